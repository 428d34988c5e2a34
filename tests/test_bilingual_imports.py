"""Issue 19, point 5: imports and exports carry Hindi beside English. CSV, XLSX and JSON hold
both languages in one file (_hi columns and keys); GIFT and Aiken hold one, and a Hindi file
adds its Hindi to the questions it translates, found by the key of their English stem."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape

from questions.formats import rules
from questions.models import Choice, Question, Topic
from quiz.models import Quiz
from tests.factories import PassageFactory, QuestionFactory, SourceFactory, TopicFactory
from tests.test_bank_between_servers import ARTICLE, command, wipe_the_bank
from tests.test_import_export import upload, write

pytestmark = pytest.mark.django_db


def _text(value) -> str:
    return value or ""


def held(*, topics=True, citations=True):
    # citations: with the difficulty and style, which Aiken does not carry either.
    """What the database holds of the bank in both languages, question by question in order."""
    rows = []
    for q in Question.objects.select_related("topic", "passage").order_by("id"):
        row = {
            "stem": (q.stem_en, _text(q.stem_hi)),
            "options": [(c.position, c.text_en, _text(c.text_hi), c.is_correct) for c in q.choices.order_by("position")],
            "explanation": (q.explanation_en, _text(q.explanation_hi)),
        }
        if topics:
            row["topic"] = (q.topic.slug, q.topic.name_en, _text(q.topic.name_hi))
        if citations:
            row["citation"] = (q.passage.position if q.passage else None, q.passage_contradicts_key)
            row["difficulty"] = q.difficulty
            row["style"] = q.style
        rows.append(row)
    return rows


@pytest.fixture
def article_bank():
    """The bundled bank with its real Hindi, as `make run` loads it, without the quizzes (a
    quiz holds its questions, which a fresh server would not have)."""
    call_command("load_article_bank", stdout=io.StringIO())
    Quiz.objects.all().delete()
    assert Question.objects.lacking_hindi().count() == 0
    return held()


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "json"])
def test_a_spreadsheet_carries_both_languages_into_an_empty_bank(tmp_path, article_bank, fmt):
    path = tmp_path / f"bank.{fmt}"
    command("export_questions", format=fmt, output=str(path))
    wipe_the_bank()

    command("import_questions", str(path), format=fmt, source=ARTICLE, publish=True)

    assert held() == article_bank
    assert Question.objects.lacking_hindi().count() == 0


def test_gift_carries_each_language_in_its_own_file_into_an_empty_bank(tmp_path, article_bank):
    english, hindi = tmp_path / "bank.gift.txt", tmp_path / "bank-hi.gift.txt"
    command("export_questions", format="gift", output=str(english))
    assert command("export_questions", format="gift", language="hi", output=str(hindi)) == f"Exported 50 questions to {hindi}.\n"
    assert "अमेरिका" not in english.read_text() and "अमेरिका" in hindi.read_text()
    wipe_the_bank()

    command("import_questions", str(english), format="gift", source=ARTICLE, publish=True)
    output = command("import_questions", str(hindi), format="gift", source=ARTICLE, language="hi")

    assert output == f"Added the Hindi of 50 questions in “{ARTICLE}”.\n"
    assert held() == article_bank


def test_aiken_carries_each_language_in_its_own_file_into_an_empty_bank(tmp_path, article_bank):
    """Aiken has no place for topics, passages, difficulty or style: the editor names the topic;
    the texts of both languages arrive whole."""
    english, hindi = tmp_path / "bank.aiken.txt", tmp_path / "bank-hi.aiken.txt"
    command("export_questions", format="aiken", output=str(english))
    command("export_questions", format="aiken", language="hi", output=str(hindi))
    wipe_the_bank()
    TopicFactory(slug="india-us")

    command("import_questions", str(english), format="aiken", source=ARTICLE, topic="india-us")
    command("import_questions", str(hindi), format="aiken", source=ARTICLE, language="hi")

    assert held(topics=False, citations=False) == [
        {k: v for k, v in row.items() if k not in ("topic", "citation", "difficulty", "style")} for row in article_bank
    ]


# --- a Hindi GIFT or Aiken file: matched by key, refused whole when it cannot be -------------


@pytest.fixture
def source():
    source = SourceFactory(slug="india-us")
    PassageFactory(source=source, position=1)
    return source


@pytest.fixture
def question(source):
    return QuestionFactory(
        source=source, passage=None, topic=TopicFactory(slug="isa", name="ISA"),
        stem="Which annex was signed in 2019?", explanation="The ISA, in December 2019.",
        choices=[("ISA", True), ("BECA", False), ("LEMOA", False), ("COMCASA", False)],
    )


def hindi_gift(key: str, *, answers="=आईएसए ~बेका ~लेमोआ ~कॉमकासा", extra="") -> str:
    return (
        "$CATEGORY: isa\n// pariksha topic: औद्योगिक सुरक्षा अनुबंध\n\n"
        f"// pariksha: difficulty=medium; style=direct; passage=; key={key}\n"
        f"2019 में किस अनुबंध पर हस्ताक्षर हुए? {{\n{answers}\n####दिसंबर 2019 में आईएसए।\n}}\n{extra}"
    )


def test_a_hindi_gift_file_adds_hindi_to_the_question_it_translates_and_names_its_topic(tmp_path, source, question):
    path = write(tmp_path, "hi.gift", hindi_gift(question.stem_key))

    command("import_questions", str(path), format="gift", source=source.slug, language="hi")

    question.refresh_from_db()
    assert (question.stem_en, question.stem_hi) == ("Which annex was signed in 2019?", "2019 में किस अनुबंध पर हस्ताक्षर हुए?")
    assert question.explanation_hi == "दिसंबर 2019 में आईएसए।"
    assert list(question.choices.values_list("text_en", "text_hi")) == [
        ("ISA", "आईएसए"), ("BECA", "बेका"), ("LEMOA", "लेमोआ"), ("COMCASA", "कॉमकासा")
    ]
    assert (question.topic.name_en, question.topic.name_hi) == ("ISA", "औद्योगिक सुरक्षा अनुबंध")
    assert Question.objects.count() == 1


def refused_hindi(path, fmt, source) -> str:
    before = list(Question.objects.values_list("stem_hi", flat=True)), list(Choice.objects.values_list("text_hi", flat=True))
    with pytest.raises(CommandError) as raised:
        command("import_questions", str(path), format=fmt, source=source.slug, language="hi")
    after = list(Question.objects.values_list("stem_hi", flat=True)), list(Choice.objects.values_list("text_hi", flat=True))
    assert after == before
    return str(raised.value)


def test_a_hindi_file_without_keys_or_with_unknown_ones_is_refused_whole(tmp_path, source, question):
    moodle = "2019 में किस अनुबंध पर हस्ताक्षर हुए? {=आईएसए ~बेका}\n"
    message = refused_hindi(write(tmp_path, "moodle.gift", moodle), "gift", source)
    assert message.endswith("line 1: " + rules.TRANSLATION_WITHOUT_KEY)

    unknown = "f" * 64
    twice = hindi_gift(question.stem_key, extra="\n" + hindi_gift(question.stem_key).split("\n\n", 1)[1])
    message = refused_hindi(write(tmp_path, "hi.gift", twice + "\n" + hindi_gift(unknown).split("\n\n", 1)[1]), "gift", source)
    assert "line 11: " + rules.translated_twice(5) in message
    assert "line 17: " + rules.no_question_with_key(unknown, "india-us") in message


def test_a_hindi_file_that_moves_the_key_or_drops_an_option_is_refused(tmp_path, source, question):
    moved = hindi_gift(question.stem_key, answers="~आईएसए =बेका ~लेमोआ ~कॉमकासा")
    message = refused_hindi(write(tmp_path, "moved.gift", moved), "gift", source)
    assert f"line 5: Marks B as right, but question #{question.pk}'s key is A" in message

    aiken = f"2019 में किस अनुबंध पर?\nA. आईएसए\nB. बेका\nANSWER: A\nKEY: {question.stem_key}\n"
    message = refused_hindi(write(tmp_path, "short.txt", aiken), "aiken", source)
    assert message.endswith(f"line 1: 2 options, but question #{question.pk} has 4: translate every option, in order.")


def test_language_is_for_gift_and_aiken_and_a_hindi_file_creates_nothing(tmp_path, source, question):
    path = write(tmp_path, "bank.csv", "stem,option_a,option_b,correct\n")
    for name in ("import_questions", "export_questions"):
        args = (str(path),) if name == "import_questions" else ()
        kwargs = {"source": source.slug} if name == "import_questions" else {"output": str(tmp_path / "x.csv")}
        with pytest.raises(CommandError, match="CSV, XLSX and JSON carry both languages"):
            command(name, *args, format="csv", language="hi", **kwargs)
    with pytest.raises(CommandError, match="--publish and --topic do not apply"):
        command("import_questions", str(path), format="gift", source=source.slug, language="hi", publish=True)


def test_a_hindi_export_leaves_out_questions_without_hindi_and_says_so(tmp_path, source, question):
    path = tmp_path / "hi.gift"
    output = command("export_questions", format="gift", language="hi", output=str(path))
    assert output == (
        f"Exported 0 questions to {path}.\nLeft out 1 question whose stem or options have no Hindi "
        "(the question list's filter “Hindi: missing” finds them).\n"
    )
    assert "Which annex" not in path.read_text()


def test_an_import_made_while_the_page_is_in_hindi_writes_the_english_columns(tmp_path, source):
    """django-modeltranslation writes `stem=…` into the active language's column: an English
    file imported from a Hindi admin page once landed in the Hindi columns."""
    TopicFactory(slug="isa", name="ISA")
    path = write(tmp_path, "bank.csv", "stem,option_a,option_b,correct,topic,stem_hi,option_a_hi\nSigned in 2019?,ISA,BECA,A,isa,2019 में?,आईएसए\n")

    with translation.override("hi"):
        command("import_questions", str(path), format="csv", source=source.slug)

    question = Question.objects.get()
    assert (question.stem_en, question.stem_hi) == ("Signed in 2019?", "2019 में?")
    assert list(question.choices.values_list("text_en", "text_hi")) == [("ISA", "आईएसए"), ("BECA", None)]


def test_hindi_options_beyond_the_english_ones_are_a_problem_of_their_row(tmp_path, source):
    TopicFactory(slug="isa")
    path = write(tmp_path, "bank.csv", "stem,option_a,option_b,correct,topic,option_c_hi\nQ?,a,b,A,isa,ग\n")
    with pytest.raises(CommandError, match="line 2: Option C has Hindi but no English"):
        command("import_questions", str(path), format="csv", source=source.slug)
    assert not Question.objects.exists()


# --- admin ----------------------------------------------------------------------------------


def test_the_admin_exports_hindi_gift_and_imports_it_back_after_a_preview(editor_client, source, question):
    Question.objects.filter(pk=question.pk).update(stem_hi="पुराना प्रश्न")
    Choice.objects.filter(question=question).update(text_hi="पुराना")
    exported = editor_client.post(
        reverse("admin:questions_question_changelist"),
        {"action": "export_gift_hindi", "_selected_action": [question.pk], "index": 0},
    )
    assert exported["Content-Disposition"].endswith('-hi.gift.txt"')
    assert f"key={question.stem_key}" in exported.content.decode() and "पुराना प्रश्न {" in exported.content.decode()

    url = reverse("admin:questions_question_import_text")
    file = upload("hi.gift", hindi_gift(question.stem_key), "text/plain")
    preview = editor_client.post(url, {"format": "gift", "language": "hi", "import_file": file, "source": source.pk})

    page = preview.content.decode()
    assert "The Hindi of this question will be written beside its English." in page
    assert f"#{question.pk} Which annex was signed in 2019?" in page
    assert Question.objects.get().stem_hi == "पुराना प्रश्न"  # a preview writes nothing
    data = {k: v for k, v in preview.context["confirm_form"].initial.items() if v is not None}
    done = editor_client.post(url, {**data, "confirm": "Confirm import"}, follow=True)

    assert Question.objects.get().stem_hi == "2019 में किस अनुबंध पर हस्ताक्षर हुए?"
    assert Question.objects.count() == 1
    assert f"Added the Hindi of 1 question in “{source}”." in [str(m) for m in done.context["messages"]]


def test_the_admin_refuses_a_hindi_file_it_cannot_match_and_offers_no_confirm(editor_client, source, question):
    response = editor_client.post(
        reverse("admin:questions_question_import_text"),
        {"format": "gift", "language": "hi", "import_file": upload("hi.gift", hindi_gift("0" * 64), "text/plain"), "source": source.pk},
    )
    assert escape(rules.no_question_with_key("0" * 64, "india-us")) in response.content.decode()
    assert "confirm_form" not in response.context


def test_the_admin_spreadsheet_import_stores_the_hindi_columns(editor_client, source):
    TopicFactory(slug="isa", name="ISA")
    csv = "\ufeffstem,option_a,option_b,correct,topic,stem_hi,option_a_hi,option_b_hi,explanation_hi\nSigned?,ISA,BECA,A,isa,हस्ताक्षर?,आईएसए,बेका,व्याख्या\n"
    preview = editor_client.post(reverse("admin:questions_question_import"), {"format": "0", "import_file": upload("bank.csv", csv), "source": source.pk})
    assert "हस्ताक्षर?" in preview.content.decode()
    data = {k: v for k, v in preview.context["confirm_form"].initial.items() if v is not None}

    editor_client.post(reverse("admin:questions_question_process_import"), data)

    question = Question.objects.get()
    assert (question.stem_en, question.stem_hi, question.explanation_hi) == ("Signed?", "हस्ताक्षर?", "व्याख्या")
    assert list(question.choices.values_list("text_hi", flat=True)) == ["आईएसए", "बेका"]
    assert not Topic.objects.filter(name_hi__isnull=False).exists()
