"""A bank moving between servers: an export imported into a database that has the article but
none of the bank's topics. Topics the file names are created from it (slug and name), listed in
the command's summary and the admin's preview, unless the import is told not to; a source is
never created (its paragraphs, which questions cite, are in no file)."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from django.utils.html import escape

from questions.formats import rules
from questions.models import GiveawayGroup, Question, Source, Topic
from tests.factories import PassageFactory, SourceFactory, TopicFactory
from tests.test_import_export import HEADER, refused, spreadsheet, upload, write

pytestmark = pytest.mark.django_db
ARTICLE = "india-usa-2plus2-defence-cooperation"


def held():
    """What the database holds of the bank, question by question in order."""
    return [
        {
            "stem": q.stem,
            "options": [(c.position, c.text, c.is_correct) for c in q.choices.order_by("position")],
            "explanation": q.explanation,
            "topic": (q.topic.slug, q.topic.name),
            "citation": (q.passage.position if q.passage else None, q.passage_contradicts_key),
            "difficulty": q.difficulty,
            "style": q.style,
        }
        for q in Question.objects.select_related("topic", "passage").order_by("id")
    ]


def wipe_the_bank():
    """A fresh server: the article is loaded, but no question, option, topic or group."""
    GiveawayGroup.objects.all().delete()
    Question.objects.all().delete()
    Topic.objects.all().delete()


def command(*args, **options) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out, **options)
    return out.getvalue()


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "json", "gift"])
def test_the_article_bank_moves_into_an_empty_bank_with_its_topics_and_citations(tmp_path, fmt):
    call_command("loaddata", "article_source", "article_bank", verbosity=0)
    before = held()
    topics = sorted(Topic.objects.values_list("slug", "name"))
    path = tmp_path / f"bank.{fmt}"
    command("export_questions", format=fmt, output=str(path))
    wipe_the_bank()

    output = command("import_questions", str(path), format=fmt, source=ARTICLE, publish=True)

    assert held() == before
    assert sorted(Topic.objects.values_list("slug", "name")) == topics
    assert output.startswith(
        f"Imported 50 questions into “{ARTICLE}” as published.\nCreated 7 topics the bank lacked:\n"
    )
    for slug, name in topics:
        assert f"  {slug}: {name}\n" in output
    assert Question.objects.filter(passage_contradicts_key=True).count() == 4


def test_aiken_moves_what_it_holds_into_the_topic_the_editor_names(tmp_path):
    """Aiken has no place for topics or passages: into an empty bank the editor makes one topic
    and imports into it; stems, options, keys and explanations arrive whole."""
    call_command("loaddata", "article_source", "article_bank", verbosity=0)
    before = [{k: q[k] for k in ("stem", "options", "explanation")} for q in held()]
    path = tmp_path / "bank.aiken.txt"
    command("export_questions", format="aiken", output=str(path))
    wipe_the_bank()
    TopicFactory(slug="india-us", name="India-US defence ties")

    output = command("import_questions", str(path), format="aiken", source=ARTICLE, topic="india-us")

    assert output == f"Imported 50 questions into “{ARTICLE}” as draft.\n"
    assert [{k: q[k] for k in ("stem", "options", "explanation")} for q in held()] == before
    assert {q["topic"] for q in held()} == {("india-us", "India-US defence ties")}
    assert {q["citation"] for q in held()} == {(None, False)}


# --- the rules of creating topics ---------------------------------------------------------------


@pytest.fixture
def source():
    source = SourceFactory(slug="india-us")
    for position in (1, 2, 3):
        PassageFactory(source=source, position=position)
    return source


TOPIC_HEADER = "stem,option_a,option_b,correct,topic,topic_name,passage,passage_contradicts_key\n"


def test_no_create_topics_keeps_the_strict_import(tmp_path, source):
    path = write(tmp_path, "bank.csv", TOPIC_HEADER + "Q?,a,b,A,isa,Industrial Security Annex,,\n")

    message = refused(path, "csv", source, no_create_topics=True)

    assert "line 2: " + rules.unknown_topic("isa") in message
    assert not Topic.objects.exists()


def test_a_dry_run_lists_the_topics_it_would_create_and_creates_none(tmp_path, source):
    path = write(
        tmp_path,
        "bank.csv",
        TOPIC_HEADER + "One?,a,b,A,isa,Industrial Security Annex,,\nTwo?,a,b,B,isa,Industrial Security Annex,,\n",
    )

    output = command("import_questions", str(path), format="csv", source=source.slug, dry_run=True)

    assert output == (
        "Dry run: would create 2 questions in “india-us” as draft. Nothing was written.\n"
        "Would create 1 topic the bank lacked:\n"
        "  isa: Industrial Security Annex\n"
        "  line 2: One? [isa]\n"
        "  line 3: Two? [isa]\n"
    )
    assert not Topic.objects.exists() and not Question.objects.exists()


def test_a_topic_named_by_slug_or_by_name_alone_is_created_once_and_an_existing_name_is_reused(tmp_path, source):
    TopicFactory(slug="dialogue", name="The 2+2 dialogue")
    path = write(
        tmp_path,
        "bank.csv",
        TOPIC_HEADER
        + "One?,a,b,A,export-controls,,,\n"
        + "Two?,a,b,A,Defence Technology & Trade,,,\n"
        + "Three?,a,b,A,defence-technology-trade,,,\n"
        + "Four?,a,b,A,2plus2,the 2+2 DIALOGUE,,\n",
    )

    output = command("import_questions", str(path), format="csv", source=source.slug)

    assert dict(Question.objects.values_list("stem", "topic__slug")) == {
        "One?": "export-controls", "Two?": "defence-technology-trade",
        "Three?": "defence-technology-trade", "Four?": "dialogue",
    }
    assert dict(Topic.objects.values_list("slug", "name")) == {
        "dialogue": "The 2+2 dialogue", "export-controls": "Export controls",
        "defence-technology-trade": "Defence Technology & Trade",
    }
    assert "Created 2 topics the bank lacked:\n" in output


def test_topics_and_slip_marks_that_cannot_be_imported_are_each_reported(tmp_path, source):
    path = write(
        tmp_path,
        "bank.csv",
        TOPIC_HEADER
        + "One?,a,b,A,!!!,,,\n"
        + f"Two?,a,b,A,{'x' * 121},,,\n"
        + "Three?,a,b,A,first,Same name,,\n"
        + "Four?,a,b,A,second,Same name,,\n"
        + "Five?,a,b,A,first,,,yes\n"
        + "Six?,a,b,A,first,,2,maybe\n",
    )

    message = refused(path, "csv", source)

    assert f"line 2: {rules.topic_not_named('!!!')}" in message
    assert f"line 3: {rules.topic_too_long('x' * 121)}" in message
    assert f"line 5: {rules.topic_name_taken('Same name', 'second', 'first')}" in message
    assert f"line 6: {rules.SLIP_WITHOUT_PASSAGE}" in message
    assert "line 7: passage_contradicts_key must be yes or no (blank: no), not “maybe”." in message
    assert not Topic.objects.exists()


def test_a_moodle_category_becomes_a_topic_unless_the_editor_names_a_default(tmp_path, source):
    text = "$CATEGORY: $course$/top/Defence ties\n\nFirst 2+2? {=2018 ~2019}\n"
    path = write(tmp_path, "bank.gift", text)

    command("import_questions", str(path), format="gift", source=source.slug)

    assert Question.objects.get().topic.name == "Defence ties"
    assert Topic.objects.get().slug == "defence-ties"


def test_an_unknown_source_is_refused_with_why_it_is_not_created(tmp_path, source):
    path = write(tmp_path, "bank.csv", HEADER)

    with pytest.raises(CommandError) as raised:
        command("import_questions", str(path), format="csv", source="nope")

    assert str(raised.value) == rules.unknown_source("nope")
    assert not Source.objects.filter(slug="nope").exists()


# --- admin ---------------------------------------------------------------------------------------


def test_the_admin_spreadsheet_preview_lists_new_topics_and_the_confirm_creates_them(editor_client, source):
    csv = "\ufeff" + TOPIC_HEADER + "Which came first?,LEMOA,GSOMIA,B,history,India-US history,2,yes\n"
    url = reverse("admin:questions_question_import")

    preview = editor_client.post(url, {"format": "0", "import_file": upload("bank.csv", csv), "source": source.pk, "create_topics": "on"})

    page = preview.content.decode()
    assert "These topics are not in the bank and will be created:" in page
    assert "<li>India-US history (history)</li>" in page
    assert not Topic.objects.exists()  # the preview's transaction was rolled back
    data = {k: v for k, v in preview.context["confirm_form"].initial.items() if v is not None}

    done = editor_client.post(reverse("admin:questions_question_process_import"), data, follow=True)

    question = Question.objects.get()
    assert (question.topic.slug, question.topic.name) == ("history", "India-US history")
    assert (question.passage.position, question.passage_contradicts_key) == (2, True)
    assert "New topics created from the file: “India-US history”." in [str(m) for m in done.context["messages"]]


def test_the_admin_spreadsheet_import_refuses_new_topics_when_told_to(editor_client, source):
    _, file = spreadsheet("csv")  # names the topic "agreements", which the bank lacks

    response = editor_client.post(reverse("admin:questions_question_import"), {"format": "0", "import_file": file, "source": source.pk})

    assert escape("line 2: " + rules.unknown_topic("agreements")) in response.content.decode()
    assert "confirm_form" not in response.context
    assert not Topic.objects.exists()


def test_the_admin_gift_preview_lists_new_topics_and_the_confirm_creates_them(editor_client, source):
    url = reverse("admin:questions_question_import_text")
    text = "$CATEGORY: isa\n// pariksha topic: Industrial Security Annex\n\nSigned in 2019? {=ISA ~BECA}\n"

    preview = editor_client.post(
        url, {"format": "gift", "import_file": upload("bank.gift", text, "text/plain"), "source": source.pk, "create_topics": "on"}
    )

    assert "<li>Industrial Security Annex (isa)</li>" in preview.content.decode()
    assert not Topic.objects.exists()
    data = {k: v for k, v in preview.context["confirm_form"].initial.items() if v is not None}
    done = editor_client.post(url, {**data, "confirm": "Confirm import"}, follow=True)

    assert Question.objects.get().topic.name == "Industrial Security Annex"
    assert any("New topics: “Industrial Security Annex”." in str(m) for m in done.context["messages"])
