"""A teacher who reads Hindi meets no English interface on their pages (issue 19, part 3,
point 2): the class list, a class, the assign form, each report, a learner's review and the
printed paper. tests/test_interface_in_hindi.py does the same for a learner's pages."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from accounts.models import Profile
from questions.models import Question
from tests.factories import UserFactory
from tests.test_interface_in_hindi import english_on, whole_words
from tests.test_teaching_support import make_class, make_quiz, take

pytestmark = pytest.mark.django_db

# The teachers' own interface words, whole and with their case (learners' words are in
# tests/test_interface_in_hindi.py, whose pages share the header and footer with these).
ENGLISH_INTERFACE = [
    "Teach", "Classes", "Class", "New class", "Learners", "Learner", "Assign", "Assigned", "Due",
    "Join code", "Export", "Scores", "Items", "Matrix", "Remove", "Time factor", "Extra time",
    "Average", "Median", "Score", "Attempts", "Attempt", "Accuracy", "Weakest topic", "Question",
    "Right", "Wrong", "Skipped", "Print", "Answer key", "Review", "Submit", "Save", "Quiz",
    "Started", "Finished", "Not started", "Back", "Download", "Language", "Topic",
    "standard time", "to",
]
ENGLISH = whole_words(ENGLISH_INTERFACE)


@pytest.fixture
def hindi_teacher_client(client, teacher):
    client.force_login(teacher)
    client.post(reverse("switch_language"), {"language": "hi", "next": "/"})
    assert Profile.objects.get(user=teacher).language == "hi"
    return client


def teacher_pages(client, teacher) -> dict[str, str]:
    call_command("load_article_bank", verbosity=0)  # questions and topics with their Hindi
    quiz = make_quiz(slug="polity-weekly", questions=list(Question.objects.order_by("pk")[:3]))
    asha, ravi = UserFactory(username="asha"), UserFactory(username="ravi")
    classroom, _ = make_class(teacher, quiz, [asha, ravi])
    attempt = take(asha, quiz, ["A", "B", "skip"])
    report = [classroom.pk, quiz.slug]
    urls = {
        "classes": reverse("teaching:index"),
        "class": reverse("teaching:class", args=[classroom.pk]),
        "scores": reverse("teaching:scores", args=report),
        "items": reverse("teaching:items", args=report),
        "matrix": reverse("teaching:matrix", args=report),
        "a learner's attempt": reverse("teaching:attempt", args=[*report, attempt.pk]),
        "printed paper": reverse("teaching:print_paper", args=[quiz.slug]),
    }
    pages = {}
    for name, url in urls.items():
        reply = client.get(url)
        assert reply.status_code == 200, name
        pages[name] = reply.content.decode()
    return pages


def test_a_teacher_reads_every_page_of_theirs_in_hindi(hindi_teacher_client, teacher):
    pages = teacher_pages(hindi_teacher_client, teacher)
    for name, page in pages.items():
        assert '<html lang="hi">' in page, name
        assert english_on(page, ENGLISH) == [], name


def test_the_same_pages_in_english_show_those_words(client, teacher):
    """The list above names words these pages really show, so the test above can fail."""
    client.force_login(teacher)
    pages = teacher_pages(client, teacher)
    shown = set().union(*(english_on(page, ENGLISH) for page in pages.values()))
    assert {"New class", "Join code", "Learners", "Scores", "Weakest topic", "Median", "Answer key", "standard time", "to"} <= shown
