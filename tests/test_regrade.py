"""Regrading: an editor moves the right answer of a question learners have answered, and every
answer, every attempt's score and counts follow, with the change and the regrade in the
question's admin history."""

from decimal import Decimal

import pytest
from django.contrib.admin.models import LogEntry
from django.urls import reverse
from django.utils.html import escape

from curation.regrade import regrade_question
from quiz.models import Attempt, Response
from tests.factories import QuestionFactory, QuizFactory, UserFactory
from tests.helpers import T0, show, start, submit
from tests.test_admin_curation import question_data

pytestmark = pytest.mark.django_db


def sit(quiz, picks):
    """One learner sits `quiz`, picking an option position per question (None: skip)."""
    attempt = start(UserFactory(), quiz)
    for pick in picks:
        response = show(attempt, T0)
        if pick is None:
            submit(attempt, response.position, "skip", None, T0)
        else:
            choice = response.question.choices.get(position=pick)
            submit(attempt, response.position, "answer", choice.pk, T0)
    attempt.refresh_from_db()
    return attempt


def totals(attempt):
    attempt.refresh_from_db()
    return attempt.score, attempt.correct_count, attempt.wrong_count, attempt.unanswered_count


@pytest.fixture
def bank():
    """Two questions whose option (a) is keyed right; the first is the one that gets fixed."""
    return QuestionFactory.create_batch(2)


@pytest.fixture
def sittings(bank):
    quiz = QuizFactory(with_questions=bank)
    return {
        "picked_a": sit(quiz, [0, 0]),  # right, right
        "picked_b": sit(quiz, [1, 0]),  # wrong, right
        "skipped": sit(quiz, [None, 1]),  # blank, wrong
    }


def move_key_to_b(client, question):
    a, b, c, d = question.choices.order_by("position")
    data = question_data(
        question, choices=[(a, a.text, False, 0), (b, b.text, True, 1), (c, c.text, False, 2), (d, d.text, False, 3)]
    )
    return client.post(reverse("admin:questions_question_change", args=[question.pk]), data)


def test_moving_the_key_in_admin_regrades_every_answer_and_attempt(editor_client, bank, sittings):
    assert [totals(a) for a in sittings.values()] == [
        (Decimal("4.00"), 2, 0, 0),
        (Decimal("1.34"), 1, 1, 0),
        (Decimal("-0.66"), 0, 1, 1),
    ]

    response = move_key_to_b(editor_client, bank[0])

    assert response.status_code == 302
    assert [totals(a) for a in sittings.values()] == [
        (Decimal("1.34"), 1, 1, 0),
        (Decimal("4.00"), 2, 0, 0),
        (Decimal("-0.66"), 0, 1, 1),
    ]
    outcomes = dict(
        Response.objects.filter(question=bank[0]).values_list("attempt_id", "outcome")
    )
    assert outcomes == {
        sittings["picked_a"].pk: "wrong",
        sittings["picked_b"].pk: "correct",
        sittings["skipped"].pk: "skipped",
    }
    assert Response.objects.get(question=bank[0], attempt=sittings["picked_b"]).marks == Decimal("2.00")


def test_the_change_and_the_regrade_are_in_the_question_history(editor_client, bank, sittings):
    question = bank[0]
    a, b = question.choices.order_by("position")[:2]

    followed = move_key_to_b(editor_client, question)
    history = editor_client.get(reverse("admin:questions_question_history", args=[question.pk]))

    entries = LogEntry.objects.filter(object_id=str(question.pk)).order_by("pk")
    regrade = f"Correct option changed from (a) “{a.text}” to (b) “{b.text}”: regraded 2 answers in 2 attempts."
    assert [entry.get_change_message() for entry in entries] == [
        regrade,
        f"Changed Is correct for option “{a.text}”. Changed Is correct for option “{b.text}”.",
    ]
    assert followed.status_code == 302
    assert escape(regrade) in history.content.decode()


def test_an_unanswered_question_changes_key_without_a_regrade(editor_client):
    question = QuestionFactory()
    QuizFactory(with_questions=[question])

    move_key_to_b(editor_client, question)

    assert question.choices.get(is_correct=True).position == 1
    assert not LogEntry.objects.filter(change_message__contains="regraded").exists()


def test_other_edits_of_an_answered_question_leave_grades_alone(editor_client, bank, sittings):
    question = bank[0]
    before = [totals(a) for a in sittings.values()]

    editor_client.post(
        reverse("admin:questions_question_change", args=[question.pk]),
        question_data(question, stem="Which agreement was signed first?"),
    )

    question.refresh_from_db()
    assert question.stem == "Which agreement was signed first?"
    assert [totals(a) for a in sittings.values()] == before
    assert not LogEntry.objects.filter(change_message__contains="regraded").exists()


def test_regrade_recounts_attempts_from_their_responses(editor, bank, sittings):
    question = bank[0]
    previous = question.choices.get(is_correct=True)
    question.choices.update(is_correct=False)
    question.choices.filter(position=2).update(is_correct=True)  # nobody picked (c)

    regrade = regrade_question(question, previous=previous, user=editor)

    assert (regrade.answers, regrade.attempts) == (1, 1)
    assert totals(sittings["picked_a"]) == (Decimal("1.34"), 1, 1, 0)
    assert totals(sittings["picked_b"]) == (Decimal("1.34"), 1, 1, 0)
    assert Attempt.objects.filter(finished_at__isnull=False).count() == 3
