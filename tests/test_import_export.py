"""Importing and exporting the bank: round trips in every format, every malformed file refused
whole with each bad row's line and reason, the commands, and the admin's upload pages."""

import io
import json
import re
import tempfile

import openpyxl
import pytest
from django.contrib.admin.models import LogEntry
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command, execute_from_command_line
from django.core.management.base import CommandError
from django.urls import reverse
from django.utils.html import escape

from questions.formats import aiken, gift
from questions.formats.rows import QuestionRow
from questions.formats.service import rows_from_questions
from questions.models import Choice, Question, Source, Topic
from tests.factories import PassageFactory, QuestionFactory, SourceFactory, TopicFactory

pytestmark = pytest.mark.django_db

FORMATS = ["csv", "xlsx", "json", "gift", "aiken"]
HEADER = "stem,option_a,option_b,option_c,option_d,correct,explanation,topic,difficulty,passage\n"


@pytest.fixture
def source():
    source = SourceFactory(slug="india-us")
    for position in (1, 2, 3):
        PassageFactory(source=source, position=position)
    return source


@pytest.fixture
def topic():
    return TopicFactory(slug="agreements", name="Foundational agreements")


def snapshot(source, *, full=True):
    """What a round trip must keep, question by question in order."""
    rows = rows_from_questions(Question.objects.filter(source=source).order_by("id"))
    if full:
        return [(r.stem, r.options, r.correct, r.explanation, r.topic, r.difficulty, r.passage, r.style) for r in rows]
    return [(r.stem, r.options, r.correct, r.explanation) for r in rows]


def export(tmp_path, fmt, source):
    path = tmp_path / f"bank.{fmt}"
    call_command("export_questions", format=fmt, source=source.slug, output=str(path), stdout=io.StringIO())
    return path


def import_(path, fmt, source, **options):
    out = io.StringIO()
    call_command("import_questions", str(path), format=fmt, source=source.slug, stdout=out, **options)
    return out.getvalue()


def write(tmp_path, name, content):
    path = tmp_path / name
    path.write_bytes(content if isinstance(content, bytes) else content.encode())
    return path


def refused(path, fmt, source, **options) -> str:
    """Import a bad file: it must raise, and the bank must not change."""
    before = Question.objects.count(), Choice.objects.count()
    with pytest.raises(CommandError) as raised:
        import_(path, fmt, source, **options)
    assert (Question.objects.count(), Choice.objects.count()) == before
    return str(raised.value)


# --- round trips -----------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", FORMATS)
def test_the_article_bank_survives_export_and_import_in_every_format(tmp_path, fmt):
    call_command("loaddata", "article_source", "article_bank", verbosity=0)
    source = Source.objects.get(slug="india-usa-2plus2-defence-cooperation")
    full = fmt != "aiken"  # Aiken holds no topic, difficulty or passage
    before = snapshot(source, full=full)
    path = export(tmp_path, fmt, source)
    Question.objects.all().delete()

    options = {} if full else {"topic": Topic.objects.first().slug}
    output = import_(path, fmt, source, **options)

    assert output == f"Imported {len(before)} questions into “{source.slug}” as draft.\n"
    assert snapshot(source, full=full) == before
    assert set(Question.objects.values_list("status", flat=True)) == {"draft"}


TRICKY = [
    # stem, options, correct, explanation
    (
        "भारत और अमेरिका के बीच BECA किस वर्ष हुआ?",
        ["2016", "2018", "2020", "2002"],
        2,
        "BECA पर 27 अक्टूबर 2020 को नई दिल्ली में हस्ताक्षर हुए।",
    ),
    (
        "Which cell would a spreadsheet run: {this} one, ~that, #the other = or :colon? \\ too",
        ["=SUM(A1:A3)", "+91 phone", "-5 degrees", "@handle", "'=already quoted"],
        1,
        "Formula-looking cells are kept as text. <b>Bold</b> is not markup here.",
    ),
    (
        "<script>alert('x')</script> Consider the statements:\n1. One.\n2. Two.",
        ["1 only", "2 only", "Both 1 and 2", "Neither 1 nor 2", "None of these", "All of these"],
        5,
        "Six options are allowed\nand line breaks in explanations are kept.",
    ),
]


@pytest.mark.parametrize("fmt", FORMATS)
def test_non_latin_text_formula_cells_gift_specials_and_markup_round_trip(tmp_path, fmt, source, topic):
    for stem, options, correct, explanation in TRICKY:
        QuestionFactory(
            source=source,
            passage=source.passages.first(),
            topic=topic,
            stem=stem,
            explanation=explanation,
            choices=[(text, i == correct) for i, text in enumerate(options)],
        )
    full = fmt != "aiken"
    if not full:
        # Aiken keeps one line per explanation paragraph and no blank lines: nothing to lose here.
        Question.objects.filter(explanation__contains="\n").update(explanation="Six options are allowed.")
    before = snapshot(source, full=full)
    path = export(tmp_path, fmt, source)
    Question.objects.all().delete()

    import_(path, fmt, source, topic=topic.slug)

    assert snapshot(source, full=full) == before
    assert Question.objects.filter(stem__startswith="<script>alert('x')</script>").exists()


def test_csv_export_starts_with_a_byte_order_mark_and_quotes_formula_cells(tmp_path, source, topic):
    QuestionFactory(
        source=source, passage=None, topic=topic, stem="बीईसीए कब हुआ?",
        choices=[("=1+1", True), ("@sum", False), ("2020", False), ("2018", False)],
    )
    data = export(tmp_path, "csv", source).read_bytes()

    assert data.startswith(b"\xef\xbb\xbfstem,option_a,option_b,option_c,option_d,correct,explanation")
    text = data.decode("utf-8-sig")
    assert "बीईसीए कब हुआ?,'=1+1,'@sum,2020,2018,A," in text


def test_xlsx_export_stores_formula_cells_as_quoted_text(tmp_path, source, topic):
    QuestionFactory(source=source, passage=None, topic=topic, choices=[("=HYPERLINK(\"x\")", True), ("b", False)])
    sheet = openpyxl.load_workbook(export(tmp_path, "xlsx", source)).active

    assert [c.value for c in sheet[1]][:6] == ["stem", "option_a", "option_b", "option_c", "option_d", "correct"]
    assert sheet["B2"].value == "'=HYPERLINK(\"x\")"
    assert sheet["B2"].data_type == "s"


def test_export_of_every_source_and_status_filter(tmp_path, source, topic):
    QuestionFactory(source=source, passage=None, topic=topic, status="draft")
    QuestionFactory(source=source, passage=None, topic=topic, status="published")
    QuestionFactory(topic=topic)  # another source
    path = tmp_path / "drafts.json"
    out = io.StringIO()

    call_command("export_questions", format="json", status="draft", output=str(path), stdout=out)

    assert out.getvalue() == f"Exported 1 question to {path}.\n"
    assert path.read_text().count('"stem"') == 1


def test_aiken_for_moodle_leaves_explanations_out(source, topic):
    row = QuestionRow(stem="Q?", options=["x", "y"], correct=[1], explanation="Because y.")

    assert aiken.write([row], explanations=False) == "Q?\nA. x\nB. y\nANSWER: B\n"
    assert aiken.write([row]) == "Q?\nA. x\nB. y\nANSWER: B\nEXPLANATION: Because y.\n"


# --- importing: what is created ----------------------------------------------------------------


def test_an_import_creates_drafts_with_options_passage_and_topic(tmp_path, source, topic):
    path = write(
        tmp_path,
        "bank.csv",
        HEADER + "Which came first?,LEMOA,GSOMIA,COMCASA,BECA,b,GSOMIA was 2002.,agreements,easy,2\n",
    )

    assert import_(path, "csv", source) == "Imported 1 question into “india-us” as draft.\n"

    question = Question.objects.get()
    assert (question.stem, question.status, question.difficulty, question.topic, question.passage.position) == (
        "Which came first?", "draft", "easy", topic, 2
    )
    assert list(question.choices.values_list("position", "text", "is_correct")) == [
        (0, "LEMOA", False), (1, "GSOMIA", True), (2, "COMCASA", False), (3, "BECA", False)
    ]


def test_publish_flag_publishes_and_then_requires_explanations(tmp_path, source, topic):
    good = write(tmp_path, "good.csv", HEADER + "Q one?,a,b,,,A,Because.,agreements,,\n")
    bare = write(tmp_path, "bare.csv", HEADER + "Q two?,a,b,,,A,,agreements,,\n")

    assert "as published" in import_(good, "csv", source, publish=True)
    message = refused(bare, "csv", source, publish=True)

    assert "line 2: Add an explanation before publishing: learners read it after they answer." in message
    assert Question.objects.get().status == "published"


def test_dry_run_reports_what_would_be_created_and_writes_nothing(tmp_path, source, topic):
    path = write(tmp_path, "bank.csv", HEADER + "Q one?,a,b,,,A,,agreements,,\nQ two?,a,b,c,,C,,agreements,,\n")

    output = import_(path, "csv", source, dry_run=True)

    assert output == (
        "Dry run: would create 2 questions in “india-us” as draft. Nothing was written.\n"
        "  line 2: Q one? [agreements]\n"
        "  line 3: Q two? [agreements]\n"
    )
    assert not Question.objects.exists()


def test_default_topic_fills_rows_without_one_and_a_gift_category_names_one(tmp_path, source, topic):
    other = TopicFactory(slug="dialogue", name="The 2+2 dialogue")
    text = (
        "$CATEGORY: $course$/top/The 2+2 dialogue\n\nFirst 2+2? {=2018 ~2019}\n\n"
        "$CATEGORY: $course$/top/Default for UPSC\n\nSecond 2+2? {=2019 ~2018}\n"
    )

    import_(write(tmp_path, "bank.gift", text), "gift", source, topic=topic.slug)

    assert dict(Question.objects.values_list("stem", "topic")) == {"First 2+2?": other.pk, "Second 2+2?": topic.pk}


# --- importing: every malformed case, nothing written ------------------------------------------


def test_every_bad_row_is_reported_with_its_line_and_nothing_is_imported(tmp_path, source, topic):
    QuestionFactory(source=source, passage=None, topic=topic, stem="Already in the bank?")
    path = write(
        tmp_path,
        "bank.csv",
        HEADER
        + "A good question?,a,b,c,d,A,,agreements,,\n"
        + "No answer marked?,a,b,c,d,,,agreements,,\n"
        + "Two answers marked?,a,b,c,d,\"A,C\",,agreements,,\n"
        + ",a,b,c,d,B,,agreements,,\n"
        + "Unknown topic?,a,b,c,d,B,,no-such-topic,,\n"
        + "already in the bank,a,b,c,d,B,,agreements,,\n"
        + "\"A good  QUESTION\",a,b,c,d,D,,agreements,,\n"
        + "Bad passage?,a,b,c,d,B,,agreements,hard,9\n",
    )

    message = refused(path, "csv", source, no_create_topics=True)

    assert message == (
        "Nothing was imported. Fix these 7 problems and import the file again:\n"
        "  line 3: Missing correct answer: mark exactly one option as correct.\n"
        "  line 4: Two correct answers (A and C): mark exactly one option as correct.\n"
        "  line 5: Empty stem: write the question text.\n"
        "  line 6: Unknown topic “no-such-topic”: use the slug of an existing topic (creating topics is turned off for this import).\n"
        f"  line 7: Duplicate stem: source “india-us” already has this question (#{Question.objects.get().pk}).\n"
        "  line 8: Duplicate stem: the same question as line 2.\n"
        "  line 9: Unknown passage 9: source “india-us” has passages 1 to 3."
    )


def test_a_file_that_is_not_utf8_is_refused_at_the_line_of_the_bad_byte(tmp_path, source, topic):
    latin1 = (HEADER + "Q one?,a,b,,,A,,agreements,,\nCafé question?,a,b,,,A,,agreements,,\n").encode("latin-1")

    message = refused(write(tmp_path, "bank.csv", latin1), "csv", source)

    assert message == (
        "Nothing was imported. Fix this problem and import the file again:\n"
        "  line 3: Not UTF-8 text (byte 0xE9 cannot be read): save the file as UTF-8 and import it again."
    )


@pytest.mark.parametrize(
    "question, kind",
    [
        ("Grass is green. {T}", "true/false"),
        ("Name the 2018 agreement. {=COMCASA =Communications Compatibility and Security Agreement}", "short answer"),
        ("Match. {=LEMOA -> 2016 =BECA -> 2020 =GSOMIA -> 2002}", "matching"),
        ("Year of BECA? {#2020:0}", "numerical"),
        ("Explain the 2+2 format. {}", "essay"),
        ("Which are foundational? {~%50%LEMOA ~%50%BECA ~%-100%DTTI}", "multiple answers with weights"),
        ("Just some text with no answers", "description (no answers in braces)"),
    ],
)
def test_gift_question_types_other_than_single_answer_choice_are_refused(tmp_path, source, topic, question, kind):
    text = f"// a comment\nGood one? {{=yes ~no}}\n\n{question}\n"

    message = refused(write(tmp_path, "bank.gift", text), "gift", source, topic=topic.slug)

    assert message.endswith(
        f"  line 4: Unsupported GIFT question type: {kind}. Only single-answer multiple choice is imported."
    )


def test_a_choice_question_whose_options_hold_arrows_survives_gift(tmp_path, source, topic):
    """Moodle reads a GIFT question with any ~ answer as multiple choice; only = answers with
    -> make a matching question. An ordering question's options keep their arrows."""
    QuestionFactory(
        source=source, passage=None, topic=topic, stem="Arrange these from north to south:",
        choices=[("Leh -> Delhi -> Chennai", True), ("Delhi -> Leh -> Chennai", False), ("Chennai -> Leh -> Delhi", False)],
    )
    before = snapshot(source)
    path = export(tmp_path, "gift", source)
    Question.objects.all().delete()

    import_(path, "gift", source)

    assert snapshot(source) == before


def test_gift_reports_missing_and_second_correct_answers(tmp_path, source, topic):
    text = "No right one? {~a ~b}\n\nTwo right ones? {\n=a\n=b\n~c\n}\n"

    message = refused(write(tmp_path, "bank.gift", text), "gift", source, topic=topic.slug)

    assert message.splitlines()[1:] == [
        "  line 1: Missing correct answer: mark exactly one option as correct.",
        "  line 3: Two correct answers (A and B): mark exactly one option as correct.",
    ]


def test_aiken_reports_a_missing_answer_line_and_stems_repeated_in_the_file(tmp_path, source, topic):
    text = "First?\nA. x\nB. y\n\nSecond?\nA. x\nB. y\nANSWER: A\n\nfirst\nA. p\nB. q\nANSWER: B\n"

    message = refused(write(tmp_path, "bank.txt", text), "aiken", source, topic=topic.slug)

    assert message.splitlines()[1:] == [
        "  line 1: Missing correct answer: mark exactly one option as correct.",
        "  line 10: Duplicate stem: the same question as line 1.",
    ]


def test_without_a_topic_every_row_says_so(tmp_path, source):
    message = refused(write(tmp_path, "bank.txt", "Q?\nA. x\nB. y\nANSWER: A\n"), "aiken", source)

    assert message.endswith("line 1: Missing topic: fill in the topic, or choose a default topic for the import.")


def test_json_and_xlsx_problems_name_the_line_and_the_sheet_row(tmp_path, source, topic):
    json_text = (
        '[\n  {"stem": "Fine?", "option_a": "a", "option_b": "b", "correct": "A", "topic": "agreements"},\n'
        '  {"stem": "No answer?", "option_a": "a", "option_b": "b",\n   "topic": "agreements"}\n]\n'
    )
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["stem", "option_a", "option_b", "correct", "topic"])
    sheet.append(["Fine?", "a", "b", "A", "agreements"])
    sheet.append([])
    sheet.append(["Two?", "a", "b", "AB", "agreements"])
    xlsx = io.BytesIO()
    book.save(xlsx)

    json_message = refused(write(tmp_path, "bank.json", json_text), "json", source)
    xlsx_message = refused(write(tmp_path, "bank.xlsx", xlsx.getvalue()), "xlsx", source)

    assert json_message.endswith("line 3: Missing correct answer: mark exactly one option as correct.")
    assert xlsx_message.endswith("line 4: Two correct answers (A and B): mark exactly one option as correct.")


def test_files_that_cannot_be_read_at_all(tmp_path, source):
    assert refused(write(tmp_path, "a.csv", "question,answer\nx,y\n"), "csv", source).endswith(
        "line 1: Missing columns: stem, option_a, option_b, correct."
    )
    assert refused(write(tmp_path, "a.json", '{"stem": "x"'), "json", source).endswith(
        "line 1: Not valid JSON: Expecting ',' delimiter (column 13)."
    )
    assert refused(write(tmp_path, "a.xlsx", "not a workbook"), "xlsx", source).endswith(
        "line 1: Not an XLSX workbook: save the sheet from Excel as .xlsx and import it again."
    )
    assert refused(write(tmp_path, "a.csv", HEADER), "csv", source).endswith("line 1: No questions found in the file.")


def test_a_bad_file_exits_non_zero_with_the_problems_on_stderr(tmp_path, source, topic, capsys, monkeypatch):
    path = write(tmp_path, "bank.csv", HEADER + "No answer?,a,b,,,,,agreements,,\n")
    # The command line closes every connection when a command ends; on PostgreSQL that would
    # close the one holding this test's transaction.
    monkeypatch.setattr("django.db.connections.close_all", lambda: None)

    with pytest.raises(SystemExit) as exited:
        execute_from_command_line(
            ["manage.py", "import_questions", str(path), "--format", "csv", "--source", "india-us"]
        )

    assert exited.value.code == 1
    assert "line 2: Missing correct answer" in capsys.readouterr().err
    assert not Question.objects.exists()


def test_unknown_source_or_topic_is_a_command_error(tmp_path, source):
    path = write(tmp_path, "bank.csv", HEADER)

    with pytest.raises(CommandError, match="No source with the slug “nope”."):
        call_command("import_questions", str(path), format="csv", source="nope")
    with pytest.raises(CommandError, match="No topic with the slug “nope”."):
        call_command("import_questions", str(path), format="csv", source=source.slug, topic="nope")


def test_gift_reader_keeps_escapes_titles_and_feedback_apart():
    rows = gift.read(
        "::Q1:: [html]Signed in 2002\\: which? {\n=GSOMIA#Right.\n~LEMOA#No, 2016.\n####Paragraph 51.\n}\n"
    )

    assert rows == [
        QuestionRow(
            stem="Signed in 2002: which?", options=["GSOMIA", "LEMOA"], correct=[0],
            explanation="Paragraph 51.", line=1,
        )
    ]


# --- admin uploads -----------------------------------------------------------------------------


def upload(name, content, content_type="text/csv"):
    return SimpleUploadedFile(name, content.encode() if isinstance(content, str) else content, content_type)


def spreadsheet(fmt):
    """One question as an uploaded CSV, XLSX or JSON file, and its index in the admin's format list."""
    row = ["Which came first?", "LEMOA", "GSOMIA", "B", "<b>2002</b>", "agreements"]
    header = ["stem", "option_a", "option_b", "correct", "explanation", "topic"]
    if fmt == "csv":
        return "0", upload("bank.csv", "\ufeff" + ",".join(header) + "\n" + ",".join(row) + "\n")
    if fmt == "xlsx":
        book = openpyxl.Workbook()
        book.active.append(header)
        book.active.append(row)
        data = io.BytesIO()
        book.save(data)
        return "1", upload("bank.xlsx", data.getvalue(), "application/octet-stream")
    return "2", upload("bank.json", json.dumps([dict(zip(header, row))]), "application/json")


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "json"])
def test_admin_spreadsheet_import_previews_then_creates_on_confirm(editor_client, source, topic, fmt):
    format_index, file = spreadsheet(fmt)
    url = reverse("admin:questions_question_import")

    preview = editor_client.post(url, {"format": format_index, "import_file": file, "source": source.pk})

    assert preview.status_code == 200
    assert "Which came first?" in preview.content.decode()
    assert "&lt;b&gt;2002&lt;/b&gt;" in preview.content.decode()
    assert not Question.objects.exists()
    confirm = preview.context["confirm_form"]

    data = {name: value for name, value in confirm.initial.items() if value is not None}

    done = editor_client.post(reverse("admin:questions_question_process_import"), data)

    assert done.status_code == 302
    question = Question.objects.get()
    assert (question.stem, question.explanation, question.status) == ("Which came first?", "<b>2002</b>", "draft")
    assert question.choices.get(is_correct=True).text == "GSOMIA"
    assert LogEntry.objects.get(object_id=str(question.pk)).is_addition()


def test_an_import_previewed_on_one_app_server_is_confirmed_on_another(editor_client, source, topic, tmp_path, monkeypatch):
    """The preview keeps the upload in the cache (Redis in production), shared by every app
    server, not in the server's own temporary folder: here the confirm runs with a temporary
    folder of its own, as another server's would be."""
    format_index, file = spreadsheet("xlsx")
    preview = editor_client.post(reverse("admin:questions_question_import"), {"format": format_index, "import_file": file, "source": source.pk})
    data = {name: value for name, value in preview.context["confirm_form"].initial.items() if value is not None}

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    done = editor_client.post(reverse("admin:questions_question_process_import"), data)

    assert done.status_code == 302
    assert Question.objects.get().stem == "Which came first?"
    assert list(tmp_path.iterdir()) == []


def test_admin_spreadsheet_import_lists_bad_rows_and_offers_no_confirm(editor_client, source, topic):
    csv = HEADER + "Fine?,a,b,,,A,,agreements,,\nNo answer?,a,b,,,,,agreements,,\n"

    response = editor_client.post(
        reverse("admin:questions_question_import"),
        {"format": "0", "import_file": upload("bank.csv", csv), "source": source.pk},
    )

    page = response.content.decode()
    assert "Some rows failed to validate" in page
    assert escape("line 3: Missing correct answer: mark exactly one option as correct.") in page
    assert "confirm_form" not in response.context
    assert not Question.objects.exists()


def test_admin_spreadsheet_import_names_a_file_that_is_not_utf8(editor_client, source):
    data = (HEADER + "Café?,a,b,,,A,,,,\n").encode("cp1252")

    response = editor_client.post(
        reverse("admin:questions_question_import"),
        {"format": "0", "import_file": upload("bank.csv", data), "source": source.pk},
    )

    assert escape("line 2: Not UTF-8 text (byte 0xE9 cannot be read)") in response.content.decode()
    assert not Question.objects.exists()


def test_admin_gift_import_previews_then_creates_on_confirm(editor_client, source, topic):
    url = reverse("admin:questions_question_import_text")
    text = "$CATEGORY: agreements\n\n<i>Signed</i> in 2002? {=GSOMIA ~LEMOA ####First of the four.}\n"

    preview = editor_client.post(
        url, {"format": "gift", "import_file": upload("bank.gift", text, "text/plain"), "source": source.pk}
    )

    page = preview.content.decode()
    assert "&lt;i&gt;Signed&lt;/i&gt; in 2002?" in page
    assert "<i>Signed</i>" not in page
    assert not Question.objects.exists()
    confirm = preview.context["confirm_form"]
    data = {name: value for name, value in confirm.initial.items() if value is not None}

    done = editor_client.post(url, {**data, "confirm": "Confirm import"})

    assert done.status_code == 302
    question = Question.objects.get()
    assert (question.stem, question.explanation, question.topic) == ("<i>Signed</i> in 2002?", "First of the four.", topic)


def test_admin_aiken_import_lists_problems_and_creates_nothing(editor_client, source, topic):
    response = editor_client.post(
        reverse("admin:questions_question_import_text"),
        {
            "format": "aiken",
            "import_file": upload("bank.txt", "Q?\nA. x\nB. y\nANSWER: A,B\n", "text/plain"),
            "source": source.pk,
            "topic": topic.pk,
        },
    )

    assert escape("Line 1: Two correct answers (A and B): mark exactly one option as correct.") in response.content.decode()
    assert "confirm_form" not in response.context
    assert not Question.objects.exists()


def test_admin_exports_csv_with_bom_and_gift_from_the_selection(editor_client, source, topic):
    question = QuestionFactory(source=source, passage=None, topic=topic, stem="मानचित्र?")

    csv = editor_client.post(reverse("admin:questions_question_export"), {"format": "0"})
    gift_file = editor_client.post(
        reverse("admin:questions_question_changelist"),
        {"action": "export_gift", "_selected_action": [question.pk], "index": 0},
    )

    assert csv.content.startswith("\ufeffstem,option_a".encode())
    assert "मानचित्र?" in csv.content.decode()
    assert gift_file["Content-Disposition"].endswith('.gift.txt"')
    assert "मानचित्र? {\n=" in gift_file.content.decode()


def test_the_question_list_links_every_import_and_the_upload_pages_open(editor_client, source):
    listing = editor_client.get(reverse("admin:questions_question_changelist")).content.decode()
    spreadsheet = editor_client.get(reverse("admin:questions_question_import")).content.decode()
    text = editor_client.get(reverse("admin:questions_question_import_text")).content.decode()

    assert f'href="{reverse("admin:questions_question_import_text")}">Import GIFT or Aiken</a>' in listing
    assert f"href='{reverse('admin:questions_question_import')}' class=\"import_link\">Import</a>" in listing
    assert "Default topic" in spreadsheet and str(source) in spreadsheet
    assert "stem, option_a, option_b, option_c, option_d, option_e, option_f, correct" in spreadsheet
    assert "single-answer multiple choice only" in text and str(source) in text


# --- issue 15, item 12: JSON that once gave raw Python errors ----------------------------------

JSON_ROW = '{{"stem": "{stem}", "option_a": "a", "option_b": "b", "option_c": "c", "option_d": "d", "correct": "A", "topic": "agreements"{extra}}}'


@pytest.mark.parametrize("where", ["stem", "topic"])
def test_a_lone_surrogate_in_json_is_a_row_problem_not_a_traceback(tmp_path, source, topic, where):
    row = JSON_ROW.format(stem="Which came first?", extra="")
    row = row.replace('"Which came first?"', '"Which \\ud800 came first?"') if where == "stem" else row.replace('"agreements"', '"agree\\udc00ments"')
    message = refused(write(tmp_path, "bank.json", f"[\n{row}\n]"), "json", source)
    assert "line 2: Contains half of a UTF-16 pair" in message
    assert "surrogates not allowed" not in message


def test_a_json_key_named_like_our_line_column_is_ignored_not_a_traceback(tmp_path, source, topic):
    row = JSON_ROW.format(stem="Which came first?", extra=', "_line": "notanumber", "_problem": "x"')
    import_(write(tmp_path, "bank.json", f"[\n{row}\n]"), "json", source)
    assert list(Question.objects.values_list("stem", flat=True)) == ["Which came first?"]


# --- issue 15, item 12, the rest: a JSON file on one line, and every bad input in both places ---

ONE_LINE = (
    '[{"stem": "What does COMCASA allow?", "option_a": "a", "option_b": "b", "correct": "A", "topic": "agreements"}, '
    '{"stem": "Which came first, GSOMIA or LEMOA, of the four agreements?", "option_a": "a", "option_b": "b", "topic": "agreements"}, '
    '{"stem": "What does COMCASA allow", "option_a": "a", "option_b": "b", "correct": "AB", "topic": "agreements"}]'
)


def test_a_json_file_on_one_line_names_each_bad_row_by_its_number_and_stem(tmp_path, source, topic):
    message = refused(write(tmp_path, "bank.json", ONE_LINE), "json", source)

    assert message == (
        "Nothing was imported. Fix these 3 problems and import the file again:\n"
        "  Question 2 (“Which came first, GSOMIA or LEMOA, of…”): Missing correct answer: mark exactly one option as correct.\n"
        "  Question 3 (“What does COMCASA allow”): Two correct answers (A and B): mark exactly one option as correct.\n"
        "  Question 3 (“What does COMCASA allow”): Duplicate stem: the same question as Question 1 (“What does COMCASA allow?”)."
    )


def test_the_admin_names_the_rows_of_a_one_line_json_file_apart(editor_client, source, topic):
    response = editor_client.post(
        reverse("admin:questions_question_import"),
        {"format": "2", "import_file": upload("bank.json", ONE_LINE, "application/json"), "source": source.pk},
    )

    page = response.content.decode()
    rows = re.findall(r"<tr>\s*<td>(\d+)\s*</td>.*?<li>([^<]*)</li>", page, re.S)
    assert rows == [
        ("2", "Question 2 (“Which came first, GSOMIA or LEMOA, of…”): Missing correct answer: mark exactly one option as correct."),
        ("3", "Question 3 (“What does COMCASA allow”): Two correct answers (A and B): mark exactly one option as correct."),
    ]
    assert "confirm_form" not in response.context
    assert not Question.objects.exists()


HOSTILE_JSON = {
    "a lone surrogate": JSON_ROW.format(stem="Which \\ud800 came first?", extra=""),
    "a line key that is no number": JSON_ROW.format(stem="Which came first?", extra=', "_line": "notanumber", "correct": "Z"'),
    "a list for an option": JSON_ROW.format(stem="Which came first?", extra="").replace('"option_b": "b"', '"option_b": ["b", 2]'),
}
RAW_PYTHON = ("Traceback", "surrogates not allowed", "invalid literal", "UnicodeEncodeError", "ValueError", "['b', 2]")


@pytest.mark.parametrize("case", HOSTILE_JSON)
def test_bad_json_is_a_clear_message_exit_status_1_and_nothing_written(tmp_path, source, topic, capsys, monkeypatch, case):
    path = write(tmp_path, "bank.json", f"[\n{HOSTILE_JSON[case]}\n]")
    monkeypatch.setattr("django.db.connections.close_all", lambda: None)

    with pytest.raises(SystemExit) as exited:
        execute_from_command_line(["manage.py", "import_questions", str(path), "--format", "json", "--source", "india-us"])

    err = capsys.readouterr().err
    assert exited.value.code == 1
    assert "line 2: " in err and not any(raw in err for raw in RAW_PYTHON), err
    assert not Question.objects.exists()


@pytest.mark.parametrize("case", HOSTILE_JSON)
def test_bad_json_in_admin_is_a_clear_message_and_nothing_written(editor_client, source, topic, case):
    file = upload("bank.json", f"[\n{HOSTILE_JSON[case]}\n]", "application/json")

    response = editor_client.post(reverse("admin:questions_question_import"), {"format": "2", "import_file": file, "source": source.pk})

    page = response.content.decode()
    assert response.status_code == 200 and "<li>line 2: " in page
    assert not any(escape(raw) in page for raw in RAW_PYTHON)
    assert "confirm_form" not in response.context
    assert not Question.objects.exists()
