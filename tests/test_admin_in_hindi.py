"""Issue 19, part 3 point 3: an editor who chose Hindi reads Django admin in Hindi. Nothing
forces English on admin: the language middleware serves it as every page, so the index and the
lists carry lang="hi", Django's own admin words where Django ships them in Hindi, and ours
(locale/hi) on our pages: the question list's columns and actions, the GIFT and Aiken import
with its preview, confirmation and message."""

import io
import re

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape

from accounts.models import Profile
from questions.models import Question
from tests.factories import ClassroomFactory, QuestionFactory, SourceFactory, TopicFactory
from tests.test_admin_curation import ADD, page, question_data
from tests.test_import_export import upload

pytestmark = pytest.mark.django_db

IMPORT = reverse("admin:questions_question_import_text")
GIFT = (
    "$CATEGORY: defence-ties\n// pariksha topic: Defence ties\n\n"
    "Which agreement was signed in 2020? {=BECA ~LEMOA ~COMCASA ~GSOMIA}\n\n"
    "Which agreement was signed in 2016? {~BECA =LEMOA ~COMCASA ~GSOMIA}\n"
)


@pytest.fixture
def hindi_editor_client(editor_client, editor):
    editor_client.post(reverse("switch_language"), {"language": "hi", "next": "/admin/"})
    assert Profile.objects.get(user=editor).language == "hi"
    return editor_client


def test_the_admin_index_is_in_hindi_django_s_words_and_ours(hindi_editor_client):
    index = page(hindi_editor_client.get(reverse("admin:index")))

    assert '<html lang="hi"' in index
    # Django's own (contrib/admin/locale/hi): "Welcome,", "Log out".
    assert "आपका स्वागत है," in index and "लॉग आउट" in index
    # Django's words its catalogue leaves English or says otherwise, in ours
    # (curation/django_admin_words.py): "Add" (Django: "बढाएं"), "View site", "Recent actions".
    assert "जोड़ें" in index and "साइट देखें" in index and "हाल की कार्रवाइयाँ" in index
    assert "बढाएं" not in index and "View site" not in index and "Recent actions" not in index
    # Ours: the site's header, the apps' names.
    assert "परीक्षा प्रशासन" in index and "प्रश्न बैंक" in index and "प्रश्नोत्तरियाँ और प्रयास" in index
    assert "Pariksha administration" not in index and "Question bank" not in index


def test_the_question_list_is_in_hindi(hindi_editor_client):
    QuestionFactory()
    listing = page(hindi_editor_client.get(reverse("admin:questions_question_changelist")))

    assert '<html lang="hi"' in listing
    assert "क्रिया:" in listing and "खोज" in listing  # Django's "Action:" and "Search"
    for ours in ["प्रश्न-पाठ", "सही (%)", "GIFT या Aiken आयात करें", "चयनित प्रश्न प्रकाशित करें", "चयनित प्रश्नों से नई मसौदा प्रश्नोत्तरी बनाएँ"]:
        assert ours in listing, ours
    for english in ["Stem", "Import GIFT or Aiken", "Publish selected questions", "% correct"]:
        assert english not in listing, english


def test_a_gift_import_reads_in_hindi_from_upload_to_confirmation(hindi_editor_client):
    source, topic = SourceFactory(slug="india-us"), TopicFactory(slug="agreements")
    form = page(hindi_editor_client.get(IMPORT))
    assert "आयात करने के लिए फ़ाइल" in form and 'value="पूर्वावलोकन"' in form and "Upload a GIFT file" not in form

    preview = hindi_editor_client.post(
        IMPORT, {"format": "gift", "import_file": upload("bank.gift", GIFT, "text/plain"), "source": source.pk, "topic": topic.pk, "create_topics": "on"}
    )

    shown = page(preview)
    assert "ये 2 प्रश्न बनाए जाएँगे। इन्हें जाँच लें, फिर पुष्टि करें।" in shown
    assert "ये विषय बैंक में नहीं हैं और बनाए जाएँगे:" in shown and "Defence ties" in shown
    assert 'value="आयात की पुष्टि करें"' in shown and "प्रश्न-पाठ" in shown and "कठिनाई" in shown
    assert "Confirm import" not in shown and "will be created" not in shown
    assert not Question.objects.exists()

    data = {k: v for k, v in preview.context["confirm_form"].initial.items() if v is not None}
    done = hindi_editor_client.post(IMPORT, {**data, "confirm": "1"}, follow=True)

    assert Question.objects.count() == 2
    assert [str(m) for m in done.context["messages"]] == [
        "2 प्रश्न “{}” में मसौदे के रूप में आयात किए गए। नए विषय: “Defence ties”।".format(source)
    ]


def test_the_same_import_reads_in_english_for_an_english_editor(editor_client):
    source, topic = SourceFactory(slug="india-us"), TopicFactory(slug="agreements")
    preview = editor_client.post(
        IMPORT, {"format": "gift", "import_file": upload("bank.gift", GIFT, "text/plain"), "source": source.pk, "topic": topic.pk, "create_topics": "on"}
    )

    assert "These 2 questions will be created. Check them, then confirm." in page(preview)
    assert 'value="Confirm import"' in page(preview)


def test_a_question_s_form_names_its_fields_and_choices_in_hindi(hindi_editor_client):
    question = QuestionFactory()
    form = page(hindi_editor_client.get(reverse("admin:questions_question_change", args=[question.pk])))

    for ours in ["प्रश्न-पाठ [en]", "प्रश्न-पाठ [hi]", "कठिनाई", "मध्यम", "कथन (UPSC)", "विकल्प 1 का हिन्दी पाठ", "अंश में उत्तर गलत दिया गया है", "उत्तर-सूचक समूह"]:
        assert ours in form, ours
    for english in ["Stem [en]", "Difficulty", "Medium", "Statements (UPSC)", "Hindi text of option 1", "Giveawaygroup"]:
        assert english not in form, english


def test_a_quiz_s_form_names_its_fields_sections_and_choices_in_hindi(hindi_editor_client):
    form = page(hindi_editor_client.get(reverse("admin:quiz_quiz_add")))

    # "Add quiz" is Django's "Add %s" around our "quiz".
    for ours in ["शीर्षक [hi]", "प्रति प्रश्न सेकंड", "समय और अंकन", "अंत में, जैसे परीक्षा में", "प्रश्नोत्तरी बढाएं"]:
        assert ours in form, ours
    for english in ["Seconds per question", "Time and marking", "At the end, as in the exam"]:
        assert english not in form, english


def test_a_question_the_rules_refuse_is_refused_in_hindi(hindi_editor_client):
    source, topic = SourceFactory(), TopicFactory()
    data = question_data(
        choices=[("1 only", True), ("2 only", False), ("Both", True)],
        source=source.pk, topic=topic.pk, style="statements", status="published", stem="Consider the following:",
    )

    refused = page(hindi_editor_client.post(ADD, data))

    assert "कथन-आधारित (UPSC) प्रश्न में ठीक 4 विकल्प, (a) से (d), होने चाहिए; इसमें 3 हैं।" in refused
    assert "दो सही उत्तर (A और C): ठीक एक विकल्प को सही चिह्नित करें।" in refused
    assert "प्रकाशित करने से पहले व्याख्या जोड़ें" in refused
    assert not Question.objects.exists()


def test_an_editor_reading_hindi_finds_questions_and_passages_by_their_english_or_hindi_words(hindi_editor_client):
    question = QuestionFactory(stem="Which annex was signed in 2019?")
    Question.objects.filter(pk=question.pk).update(stem_hi="2019 में किस अनुबंध पर हस्ताक्षर हुए?")
    listed = lambda words: [  # noqa: E731
        q.pk for q in hindi_editor_client.get(reverse("admin:questions_question_changelist"), {"q": words}).context["cl"].result_list
    ]

    assert listed("annex") == [question.pk] and listed("अनुबंध") == [question.pk]
    # The question form's passage picker searches the same way.
    picked = hindi_editor_client.get(
        reverse("admin:autocomplete"),
        {"term": "fact a question asks", "app_label": "questions", "model_name": "question", "field_name": "passage"},
    ).json()
    assert [r["id"] for r in picked["results"]] == [str(question.passage_id)]


def test_classes_and_problem_reports_are_named_in_hindi_for_an_admin(admin_client):
    """The models an admin (not a question editor) sees too: classes and problem reports, with
    their lists' columns."""
    ClassroomFactory()
    admin_client.post(reverse("switch_language"), {"language": "hi", "next": "/admin/"})
    index = page(admin_client.get(reverse("admin:index")))
    assert "कक्षाएँ" in index and "समस्या रिपोर्टें" in index
    assert "Classrooms" not in index and "Problem reports" not in index
    reports = page(admin_client.get(reverse("admin:daily_problemreport_changelist")))
    assert "कारण" in reports and "Reason" not in reports
    classes = page(admin_client.get(reverse("admin:teaching_classroom_changelist")))
    assert "शिक्षक" in classes and "Teacher" not in classes


def test_saving_a_question_says_so_in_hindi(hindi_editor_client):
    """Django's message after a save, which its Hindi catalogue leaves in English."""
    question = QuestionFactory()
    saved = hindi_editor_client.post(
        reverse("admin:questions_question_change", args=[question.pk]), question_data(question), follow=True
    )
    said = [str(m) for m in saved.context["messages"]]
    assert len(said) == 1 and said[0].endswith("बदल दिया गया।"), said
    assert "changed successfully" not in page(saved)


# --- an import's problems (issue 19, part 3 point 2) -----------------------------------------

# A bank file with one problem on each row after the first: a duplicate stem, no right answer,
# a gap among the options, a topic the bank lacks (creating topics off), a difficulty we lack.
BAD_CSV = (
    "stem,option_a,option_b,option_c,correct,topic,difficulty\n"
    "Which came first?,LEMOA,GSOMIA,,B,agreements,\n"
    "Which came first?,LEMOA,GSOMIA,,B,agreements,\n"
    "Which was signed in 2018?,COMCASA,BECA,,,agreements,\n"
    "Which was signed in 2020?,BECA,,LEMOA,A,agreements,\n"
    "Which was signed in 2016?,LEMOA,BECA,,A,defence-ties,\n"
    "Which was signed in 2002?,GSOMIA,BECA,,A,agreements,tough\n"
)
IN_HINDI = [
    "पंक्ति 3: दोहराया गया प्रश्न-पाठ: वही प्रश्न पंक्ति 2 में भी है।",
    "पंक्ति 4: सही उत्तर नहीं दिया गया: ठीक एक विकल्प को सही चिह्नित करें।",
    "पंक्ति 5: विकल्प B खाली है, पर उसके बाद का विकल्प खाली नहीं है: विकल्प A से क्रम में भरें।",
    "पंक्ति 6: अज्ञात विषय “defence-ties”: किसी मौजूदा विषय का स्लग लिखें (इस आयात में नए विषय बनाना बंद है)।",
    "पंक्ति 7: अज्ञात कठिनाई “tough”: easy, medium या hard लिखें।",
]
IN_ENGLISH = [
    "line 3: Duplicate stem: the same question as line 2.",
    "line 4: Missing correct answer: mark exactly one option as correct.",
    "line 5: Option B is empty but a later option is not: fill the options in order from A.",
    "line 6: Unknown topic “defence-ties”: use the slug of an existing topic (creating topics is turned off for this import).",
    "line 7: Unknown difficulty “tough”: use easy, medium or hard.",
]


def test_a_hindi_editor_reads_a_spreadsheet_import_s_problems_in_hindi(hindi_editor_client):
    source = SourceFactory(slug="india-us")
    TopicFactory(slug="agreements")

    refused = hindi_editor_client.post(
        reverse("admin:questions_question_import"),
        {"format": "0", "import_file": upload("bank.csv", BAD_CSV), "source": source.pk},
    )

    shown = page(refused)
    listed = re.findall(r'<ul class="validation-error-list"><li>([^<]*)</li>', shown)
    assert listed == [escape(problem) for problem in IN_HINDI]
    for english in ["line ", "Duplicate stem", "Missing correct answer", "is empty", "Unknown topic", "Unknown difficulty"]:
        assert english not in shown, english
    assert "confirm_form" not in refused.context
    assert not Question.objects.exists()


def test_a_hindi_editor_reads_a_gift_file_s_problems_in_hindi(hindi_editor_client):
    source, topic = SourceFactory(slug="india-us"), TopicFactory(slug="agreements")
    gift = "Signed in 2002? {=GSOMIA ~LEMOA}\n\nIs BECA a foundational agreement? {T}\n\nSigned in 2020? {=BECA ~LEMOA\n"

    refused = page(hindi_editor_client.post(
        IMPORT, {"format": "gift", "import_file": upload("bank.gift", gift, "text/plain"), "source": source.pk, "topic": topic.pk}
    ))

    assert escape("पंक्ति 3: असमर्थित GIFT प्रश्न-प्रकार: सत्य/असत्य। केवल एक सही उत्तर वाले बहुविकल्पीय प्रश्न आयात किए जाते हैं।") in refused
    assert escape("पंक्ति 5: उत्तर बंद नहीं किए गए हैं: छूटा हुआ “}” जोड़ें।") in refused
    assert "Unsupported GIFT" not in refused and "true/false" not in refused and "not closed" not in refused
    assert not Question.objects.exists()


def test_the_import_command_reports_the_same_problems_in_english_whatever_language_is_active(tmp_path):
    """The command line reads English, even in a process whose last request was in Hindi."""
    source = SourceFactory(slug="india-us")
    TopicFactory(slug="agreements")
    bank = tmp_path / "bank.csv"
    bank.write_text(BAD_CSV)

    with translation.override("hi"), pytest.raises(CommandError) as refused:
        call_command("import_questions", str(bank), format="csv", source=source.slug, no_create_topics=True, stdout=io.StringIO())
    assert str(refused.value) == "\n".join(
        ["Nothing was imported. Fix these 5 problems and import the file again:", *(f"  {p}" for p in IN_ENGLISH)]
    )

    # A source is chosen from a list in admin; the command names it by slug.
    with translation.override("hi"), pytest.raises(CommandError) as refused:
        call_command("import_questions", str(bank), format="csv", source="no-such-source", stdout=io.StringIO())
    assert str(refused.value).startswith("No source with the slug “no-such-source”. A source is an article")
    assert not Question.objects.exists()
