"""The interface's own words in Hindi (issue 19, part 3, point 2): every template's words are
in the catalogue (locale/hi/LC_MESSAGES/django.po) and translated there, and a learner who
reads in Hindi takes the article bank's quiz from the quiz list to the review without meeting
the English interface ("Submit", "Next question", "Right answer", ...).

The catalogue is compiled by the Makefile (`make compilemessages`, a step of `make test`);
tests/conftest.py compiles it too when a .po is newer than its .mo."""

import ast
import gettext
import html
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse
from django.utils.translation.template import templatize

from accounts.models import Profile
from quiz.models import Attempt, Quiz, Response
from tests.helpers import answer_form, correct_choice, wrong_choice

ROOT = Path(settings.BASE_DIR)
TEMPLATES = ROOT / "templates"
CATALOGUE = ROOT / "locale" / "hi" / "LC_MESSAGES" / "django.mo"

# English left in a template on purpose: the switch's own name for English, its spoken
# "(Read in Hindi)", and the note on an untranslated question, which says it in both languages.
MEANT_TO_BE_ENGLISH = {
    "base.html": {"English", "Read in Hindi"},
    "quiz/_translation_note.html": {"Not yet in Hindi shown in English"},
}


# --- every template's words in the catalogue ----------------------------------------------

COMMENT_BLOCK = re.compile(r"{%\s*comment\s*%}.*?{%\s*endcomment\s*%}", re.S)
BLOCK_TRANSLATE = re.compile(r"{%\s*blocktranslate\b.*?{%\s*endblocktranslate\s*%}", re.S)
TRANSLATE = re.compile(r"{%\s*translate\b.*?%}", re.S)
TEMPLATE_SYNTAX = re.compile(r"{%.*?%}|{{.*?}}|{#.*?#}", re.S)
# The attributes a screen reader speaks (the HTML attributes of those names: `placeholder` is the
# hint inside an empty input, spoken when it takes focus).
SPOKEN_ATTRIBUTES = re.compile(r'\b(?:aria-label|title|placeholder|alt)="([^"]*)"')
# A submit input's words are its value.
BUTTON_VALUE = re.compile(r'<input\b[^>]*\btype="submit"[^>]*\bvalue="([^"]*)"')
# &rsaquo; and the like are signs, not English words.
ENTITY = re.compile(r"&(?:[A-Za-z]+|#\d+);")
SCRIPT_OR_STYLE = re.compile(r"<(script|style)\b.*?</\1>", re.S)
HTML_TAG = re.compile(r"<[^>]*>", re.S)
WORDS = re.compile(r"[A-Za-z][A-Za-z'’]+")
# What templatize() turns {% translate %} and {% blocktranslate %} into, for xgettext.
GETTEXT_CALL = re.compile(r"\b(n?p?gettext)\(((?:u'(?:[^'\\]|\\.)*'(?:, )?)+)")


def interface_templates() -> list[Path]:
    """Every template of ours, the admin pages we add or extend too: an editor who reads in
    Hindi gets our admin words in Hindi, beside Django admin's own (its Hindi catalogue)."""
    return sorted(TEMPLATES.rglob("*.html"))


def words_outside_the_catalogue(source: str) -> list[str]:
    """Runs of English words a reader would see or hear that no translate tag wraps: the text
    between tags, and the attributes a screen reader speaks."""
    source = COMMENT_BLOCK.sub(" ", source)
    source = BLOCK_TRANSLATE.sub(" ", source)
    source = TRANSLATE.sub(" ", source)
    source = TEMPLATE_SYNTAX.sub(" ", source)
    spoken = SPOKEN_ATTRIBUTES.findall(source) + BUTTON_VALUE.findall(source)
    text = ENTITY.sub(" ", HTML_TAG.sub(" ", SCRIPT_OR_STYLE.sub(" ", source)))
    return [" ".join(found) for chunk in [text, *spoken] if (found := WORDS.findall(chunk))]


def msgids(source: str) -> list[tuple[str, str]]:
    """(kind, key in a compiled catalogue) of every translate and blocktranslate in a template."""
    found = []
    for function, arguments in GETTEXT_CALL.findall(templatize(source)):
        strings = ast.literal_eval(f"({arguments.rstrip(', ')},)")
        if function.startswith("p") or function.startswith("np"):
            context, strings = strings[0], strings[1:]
            key = f"{context}\x04{strings[0]}"
        else:
            key = strings[0]
        found.append((function, (key, 0) if function.startswith(("n", "np")) else key))
    return found


@pytest.fixture(scope="module")
def hindi():
    with CATALOGUE.open("rb") as compiled:
        return gettext.GNUTranslations(compiled)._catalog


@pytest.mark.parametrize("template", interface_templates(), ids=lambda p: str(p.relative_to(TEMPLATES)))
def test_no_template_shows_english_outside_a_translate_tag(template):
    allowed = MEANT_TO_BE_ENGLISH.get(str(template.relative_to(TEMPLATES)), set())
    assert [run for run in words_outside_the_catalogue(template.read_text()) if run not in allowed] == []


@pytest.mark.parametrize("template", interface_templates(), ids=lambda p: str(p.relative_to(TEMPLATES)))
def test_every_translated_template_string_has_its_hindi(template, hindi):
    missing = [key for _, key in msgids(template.read_text()) if not hindi.get(key)]
    assert missing == [], "run `make messages`, translate the new entries, and commit the .po"


def test_the_scan_catches_a_string_left_untranslated():
    """The two tests above, on a template an engineer might write."""
    source = (
        '{% load i18n %}<h1>{% translate "Your result" %}</h1><p>Well done!</p><a aria-label="Close">×</a>'
        '<input type="submit" value="Confirm import"> &rsaquo;'
    )
    assert words_outside_the_catalogue(source) == ["Well done", "Close", "Confirm import"]
    assert msgids(source) == [("gettext", "Your result")]


# --- a learner's pages in Hindi -------------------------------------------------------------

# Interface words a Hindi reader must not meet. Whole words, matched with their case, so the
# bank's Latin abbreviations (COMCASA, DIU) and figures never match.
ENGLISH_INTERFACE = [
    "Submit", "Skip", "Next question", "Log in", "Log out", "Sign up", "Progress", "Time left",
    "s left", "Right answer", "Your answer", "Explanation", "Score", "Quizzes", "Quiz",
    "My attempts", "Menu", "Start quiz", "Resume", "Leaderboard", "Review", "Wrong", "Correct",
    "Unanswered", "Accuracy", "Question", "Options", "Marking", "Answers", "Time", "Today",
    "Topic", "Search", "Revise", "notebook", "See your result", "Report a problem", "Password",
    "Profile", "Skip to content", "Main", "answered", "finished", "Sure", "Guess",
]


def whole_words(words: list[str]) -> re.Pattern:
    return re.compile(r"(?<![A-Za-z])(?:" + "|".join(map(re.escape, words)) + r")(?![A-Za-z])")


ENGLISH = whole_words(ENGLISH_INTERFACE)


def what_a_reader_meets(page: str) -> str:
    """The page's visible text and the attributes a screen reader speaks, without the header's
    switch to English (which names English in English, as it must)."""
    page = re.sub(r'<button[^>]*value="en"[^>]*>English</button>', " ", page)
    page = SCRIPT_OR_STYLE.sub(" ", page)
    spoken = " ".join(SPOKEN_ATTRIBUTES.findall(page))
    return html.unescape(HTML_TAG.sub(" ", page) + " " + spoken)


def english_on(page: str, english: re.Pattern = ENGLISH) -> list[str]:
    """The English interface words (`english`: the learner's, or another page's list) a reader
    meets on the page."""
    return sorted(set(english.findall(what_a_reader_meets(page))))


@pytest.fixture
def article_bank(db):
    call_command("load_article_bank", verbosity=0)
    return Quiz.objects.get(slug="india-us-2plus2-whole-bank")


@pytest.fixture
def hindi_learner_client(learner_client, learner):
    learner_client.post(reverse("switch_language"), {"language": "hi", "next": "/"})
    assert Profile.objects.get(user=learner).language == "hi"
    return learner_client


def test_a_learner_takes_the_article_bank_quiz_without_meeting_the_english_interface(
    hindi_learner_client, learner, article_bank
):
    client = hindi_learner_client
    pages = {"quiz list": client.get(reverse("quiz:list")), "quiz": client.get(article_bank.get_absolute_url())}
    play = client.post(reverse("quiz:start", args=[article_bank.slug]))["Location"]
    pages["question"] = client.get(play)
    attempt = Attempt.objects.get(user=learner)
    for response in Response.objects.select_related("question").filter(attempt=attempt).order_by("position"):
        if response.position >= 3:  # the rest skipped, to reach the result
            client.get(play)
            client.post(reverse("quiz:answer", args=[attempt.pk]), answer_form(response, action="skip"))
            continue
        choice = correct_choice(response) if response.position == 0 else wrong_choice(response)
        client.post(reverse("quiz:answer", args=[attempt.pk]), answer_form(response, choice))
        pages[f"feedback {response.position + 1}"] = client.get(reverse("quiz:feedback", args=[attempt.pk, response.position + 1]))
        pages[f"question {response.position + 2}"] = client.get(play)
    pages["result"] = client.get(reverse("quiz:result", args=[attempt.pk]))
    for name in ["quiz:attempts", "learning:progress", "learning:notebook", "daily:profile", "teaching:join"]:
        pages[name] = client.get(reverse(name))
    pages["leaderboard"] = client.get(reverse("daily:leaderboard", args=[article_bank.slug]))

    for name, reply in pages.items():
        assert reply.status_code == 200, name
        page = reply.content.decode()
        assert '<html lang="hi">' in page, name
        assert english_on(page) == [], name
    assert "उत्तर जमा करें" in pages["question"].content.decode()
    assert "सही उत्तर" in pages["feedback 1"].content.decode()
    assert "अगला प्रश्न" in pages["feedback 2"].content.decode()
    assert "आपका परिणाम" in pages["result"].content.decode()


def test_the_timer_speaks_its_warnings_in_hindi(hindi_learner_client, learner, article_bank):
    play = hindi_learner_client.post(reverse("quiz:start", args=[article_bank.slug]))["Location"]
    page = hindi_learner_client.get(play).content.decode()
    assert 'data-say-10="10 सेकंड शेष"' in page and 'data-say-5="5 सेकंड शेष"' in page
    assert "शेष समय" in page


def test_log_in_and_sign_up_read_in_hindi_before_log_in(client, db):
    client.post(reverse("switch_language"), {"language": "hi", "next": "/accounts/login/"})
    for url in [reverse("login"), reverse("signup"), reverse("password_reset")]:
        page = client.get(url).content.decode()
        assert english_on(page) == [], url
    refused = client.post(reverse("login"), {"username": "nobody", "password": "wrong-password-1"}).content.decode()
    assert "लॉग इन करें" in refused and "सही उपयोगकर्ता नाम और पासवर्ड लिखें।" in refused
    # Django's own form words (labels, help, the password rules), in the interface's terms.
    signup = what_a_reader_meets(client.get(reverse("signup")).content.decode())
    for english in ("Required.", "characters", "Your password", "Enter the same password"):
        assert english not in signup
    for hindi in ("उपयोगकर्ता नाम", "पासवर्ड की पुष्टि", "आपके पासवर्ड में कम से कम 8 वर्ण होने चाहिए।"):
        assert hindi in signup
    refused = client.post(reverse("signup"), {"username": "asha", "email": "a@example.com", "password1": "12345678", "password2": "1234567"})
    assert "दोनों पासवर्ड मेल नहीं खाते।" in refused.content.decode()


def test_a_refusal_from_the_quiz_service_reads_in_hindi(hindi_learner_client, learner, article_bank):
    play = hindi_learner_client.post(reverse("quiz:start", args=[article_bank.slug]))["Location"]
    hindi_learner_client.get(play)
    attempt = Attempt.objects.get(user=learner)
    response = Response.objects.get(attempt=attempt, position=0)
    reply = hindi_learner_client.post(
        reverse("quiz:answer", args=[attempt.pk]), {"position": response.position, "action": "answer"}
    )
    assert reply.status_code == 400
    assert "जमा करने से पहले चारों में से एक विकल्प चुनें, या प्रश्न छोड़ दें।" in reply.content.decode()
    assert not Response.objects.filter(attempt=attempt, choice__isnull=False).exists()


def test_english_pages_keep_their_english(learner_client, article_bank):
    page = learner_client.get(reverse("quiz:list")).content.decode()
    assert '<html lang="en">' in page and "Start quiz" in page and "प्रश्नोत्तरी शुरू करें" not in page


def test_marks_read_with_their_signs_in_hindi(hindi_learner_client, article_bank):
    page = hindi_learner_client.get(article_bank.get_absolute_url()).content.decode()
    assert "सही +2, गलत −0.66, अनुत्तरित 0" in page
