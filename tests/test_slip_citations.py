"""A passage that states the key wrongly: where the article has no passage stating a fact right,
the question cites the one that gets it wrong, and feedback and review show it as the article's
slip, beside the record, never as support for the answer."""

import re

import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse

from curation.forms import QuestionAdminForm
from questions.formats import rules
from questions.models import Question
from quiz.models import Quiz, Response
from tests.factories import QuestionFactory, QuizFactory
from tests.helpers import T0, answer_form, correct_choice, start, wrong_choice

pytestmark = pytest.mark.django_db
SLIP_NOTE = "— this is one of its slips;</strong> the record:"


@pytest.fixture
def clock():
    with time_machine.travel(T0, tick=False) as traveller:
        yield traveller


@pytest.fixture
def slip_quiz():
    """Two questions: the first cites a passage that gets the key wrong, the second one that
    supports it."""
    slip = QuestionFactory(
        stem="Which city hosted the second India-US 2+2 ministerial dialogue?",
        choices=[("New Delhi", False), ("Washington DC", True), ("Honolulu", False), ("Arlington", False)],
        passage_contradicts_key=True,
    )
    slip.passage.text = "The 2019 2+2 dialogue in New Delhi addressed a wide range of issues."
    slip.passage.save()
    supported = QuestionFactory()
    return QuizFactory(with_questions=[slip, supported])


def answer(client, attempt, pick):
    client.get(reverse("quiz:play", args=[attempt.pk]))
    current = Response.objects.get(attempt=attempt, shown_at__isnull=False, outcome="open")
    return client.post(reverse("quiz:answer", args=[attempt.pk]), answer_form(current, pick(current)), HTTP_HX_REQUEST="true")


def figure(page):
    return re.search(r'<figure class="passage[^"]*">.*?</figure>', page, re.S).group(0)


def test_feedback_shows_the_passage_as_the_article_slip_beside_the_record(learner_client, learner, slip_quiz, clock):
    attempt = start(learner, slip_quiz)

    page = answer(learner_client, attempt, wrong_choice).content.decode()

    shown = figure(page)
    slip = attempt.responses.get(position=0).question
    assert 'class="passage passage-slip"' in shown
    assert "The article says, in <a href=" in shown and f"paragraph {slip.passage.position}</a>" in shown
    assert slip.passage.text in shown
    assert f"{SLIP_NOTE} (b) Washington DC." in shown
    assert "From <a" not in shown  # never captioned as the answer's source


def test_the_review_labels_the_slip_and_keeps_the_supporting_passage_as_a_source(learner_client, learner, slip_quiz, clock):
    attempt = start(learner, slip_quiz)
    answer(learner_client, attempt, correct_choice)
    learner_client.get(reverse("quiz:feedback", args=[attempt.pk, 1]))
    answer(learner_client, attempt, correct_choice)

    page = learner_client.get(reverse("quiz:result", args=[attempt.pk])).content.decode()

    first, second = re.findall(r'<figure class="passage[^"]*">.*?</figure>', page, re.S)
    assert f"{SLIP_NOTE} (b) Washington DC." in first and "passage-slip" in first
    supported = attempt.responses.get(position=1).question
    assert "passage-slip" not in second and "slips" not in second
    assert f"From <a href=\"{supported.passage.get_absolute_url()}\">" in second


def test_an_exam_quiz_shows_no_slip_before_the_end(learner_client, learner, slip_quiz, clock):
    Quiz.objects.filter(pk=slip_quiz.pk).update(feedback="end")
    slip_quiz.refresh_from_db()
    attempt = start(learner, slip_quiz)

    page = answer(learner_client, attempt, correct_choice).content.decode()

    assert 'data-question="2"' in page  # the next question, exam style
    assert "passage" not in page and "slips" not in page and "Washington DC" not in page


def test_the_article_bank_shows_its_four_slips_in_the_review(learner_client, learner, clock):
    call_command("loaddata", "article_source", "article_bank", verbosity=0)
    bank = Question.objects.filter(pk__in=[37, 43, 47, 48, 1])
    quiz = QuizFactory(with_questions=list(bank.order_by("pk")))
    attempt = start(learner, quiz)
    for _ in range(5):
        answer(learner_client, attempt, wrong_choice)
        learner_client.get(reverse("quiz:play", args=[attempt.pk]))

    page = learner_client.get(reverse("quiz:result", args=[attempt.pk])).content.decode()

    figures = re.findall(r'<figure class="passage[^"]*">.*?</figure>', page, re.S)
    assert ["passage-slip" in f for f in figures] == [False, True, True, True, True]
    assert f"{SLIP_NOTE} (b) Washington DC." in figures[1]
    assert f"{SLIP_NOTE} (a) It was signed." in figures[2]
    assert f"{SLIP_NOTE} (c) 2016." in figures[3]
    assert "paragraph 77</a>" in figures[3] and "potential to become a major defence partner" in figures[3]


def test_admin_refuses_the_slip_mark_without_a_passage():
    question = QuestionFactory()
    form = QuestionAdminForm(
        data={
            "source": question.source_id, "passage": "", "passage_contradicts_key": "on",
            "topic": question.topic_id, "difficulty": "medium", "style": "direct", "status": "draft",
            "stem": "Another stem?", "explanation": "",
        }
    )

    assert not form.is_valid()
    assert form.errors["passage_contradicts_key"] == [rules.SLIP_WITHOUT_PASSAGE]
