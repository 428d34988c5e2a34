"""A whole paper read in Hindi (issue 19, part 3, point 2): the page before starting, a
question with its palette, the confirmation before submitting and the result carry no English
interface word. The paper's words are added to the learner's list of
tests/test_interface_in_hindi.py."""

import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse

from questions.models import Question
from quiz.models import Attempt
from tests.factories import QuizFactory
from tests.helpers import T0
from tests.test_interface_in_hindi import ENGLISH_INTERFACE, english_on, whole_words
from tests.test_papers import question_url, save

pytestmark = pytest.mark.django_db

PAPER_WORDS = [
    "Save", "Next", "Mark for review", "Submit paper", "Not answered", "Not visited", "Marked",
    "Previous", "unanswered", "left", "Time", "paper", "Paper",
]
ENGLISH = whole_words(ENGLISH_INTERFACE + PAPER_WORDS)


def paper_pages(client) -> dict[str, str]:
    """The learner's pages through a paper of three of the article bank's questions (their Hindi
    is in the bank)."""
    call_command("load_article_bank", verbosity=0)
    quiz = QuizFactory(
        slug="mock-paper", timing="paper", feedback="end", seconds_per_question=72,
        with_questions=list(Question.objects.order_by("pk")[:3]),
    )
    pages = {}
    with time_machine.travel(T0, tick=False):
        pages["before starting"] = client.get(quiz.get_absolute_url())
        client.post(reverse("quiz:start", args=[quiz.slug]))
        attempt = Attempt.objects.get(quiz=quiz)
        pages["question 1"] = client.get(question_url(attempt, 1))
        save(client, attempt, 1, action="review")
        pages["question 2"] = client.get(question_url(attempt, 2))
        pages["before submitting"] = client.get(reverse("quiz:paper_submit", args=[attempt.pk]))
        client.post(reverse("quiz:paper_submit", args=[attempt.pk]))
        pages["result"] = client.get(reverse("quiz:result", args=[attempt.pk]))
    for name, reply in pages.items():
        assert reply.status_code == 200, name
    return {name: reply.content.decode() for name, reply in pages.items()}


def test_a_paper_read_in_hindi_has_no_english_interface(learner_client, learner):
    learner_client.post(reverse("switch_language"), {"language": "hi", "next": "/"})
    for name, page in paper_pages(learner_client).items():
        assert '<html lang="hi">' in page, name
        assert english_on(page, ENGLISH) == [], name


def test_the_same_paper_in_english_shows_those_words(learner_client):
    """The list names words a paper really shows, so the test above can fail."""
    shown = set().union(*(english_on(page, ENGLISH) for page in paper_pages(learner_client).values()))
    assert {"Mark for review", "Not answered", "Save", "Previous", "unanswered", "paper"} <= shown
