"""The answer path's hand-written SQL gives what the ORM gives: the same rows, the same instances
field by field (datetimes aware, decimals exact, JSON decoded), related objects attached."""

from decimal import Decimal

import pytest
from django.db.models import Model

from quiz import answer_sql, services
from quiz.models import Response
from tests.conftest import T0, correct_choice, start
from tests.factories import QuestionFactory, QuizFactory

pytestmark = pytest.mark.django_db


def orm_upcoming(attempt_id, user):
    """What the answer endpoint read through the ORM before the read was written by hand."""
    return list(
        Response.objects.filter(attempt_id=attempt_id, attempt__user=user, outcome=Response.Outcome.OPEN)
        .select_related("attempt__quiz", "question__source", "question__passage__source")
        .order_by("position")[:2]
    )


def field_values(instance: Model) -> dict:
    return {field.attname: getattr(instance, field.attname) for field in instance._meta.concrete_fields}


def assert_same(by_hand: Model | None, by_orm: Model | None):
    assert type(by_hand) is type(by_orm)
    if by_orm is not None:
        assert field_values(by_hand) == field_values(by_orm)
        assert by_hand._state.adding is False and by_hand._state.db == by_orm._state.db


def assert_same_responses(by_hand: list[Response], by_orm: list[Response]):
    assert [r.pk for r in by_hand] == [r.pk for r in by_orm]
    for mine, theirs in zip(by_hand, by_orm):
        assert_same(mine, theirs)
        assert_same(mine.attempt, theirs.attempt)
        assert_same(mine.attempt.quiz, theirs.attempt.quiz)
        assert_same(mine.question, theirs.question)
        assert_same(mine.question.source, theirs.question.source)
        assert_same(mine.question.passage, theirs.question.passage)
        if theirs.question.passage is not None:
            assert_same(mine.question.passage.source, theirs.question.passage.source)


@pytest.fixture
def half_answered(learner):
    """An exam-style attempt, its first question answered right (score 2, a decimal), the
    second shown (its clock started: datetimes) and the third, which has no passage, open."""
    first, second = QuestionFactory.create_batch(2)
    questions = [first, second, QuestionFactory(passage=None, source=first.source)]
    quiz = QuizFactory(feedback="end", with_questions=questions, marks_wrong=Decimal("0.66"))
    attempt = start(learner, quiz)
    first = services.show_current_question(attempt, T0)
    services.record_answer(attempt, first.position, "answer", correct_choice(first).pk, T0)
    return attempt


def test_it_reads_the_open_question_and_the_next_as_the_orm_does(learner, half_answered):
    by_hand = answer_sql.upcoming_responses(half_answered.pk, learner.pk)

    assert [r.position for r in by_hand] == [1, 2]
    assert by_hand[0].shown_at == T0 and by_hand[0].deadline is not None and by_hand[1].shown_at is None
    assert by_hand[0].attempt.score == Decimal("2.00")
    assert by_hand[1].question.passage is None and by_hand[0].question.passage is not None
    assert isinstance(by_hand[0].option_order, list) and len(by_hand[0].option_order) == 4
    # One attempt for both rows, as the view adds to its totals once.
    assert by_hand[0].attempt is by_hand[1].attempt
    assert_same_responses(by_hand, orm_upcoming(half_answered.pk, learner))


def test_it_reads_the_last_open_question_alone(learner, half_answered):
    second = services.show_current_question(half_answered, T0)
    services.record_answer(half_answered, second.position, "skip", None, T0)

    by_hand = answer_sql.upcoming_responses(half_answered.pk, learner.pk)

    assert [r.position for r in by_hand] == [2]
    assert_same_responses(by_hand, orm_upcoming(half_answered.pk, learner))


def test_it_reads_nothing_of_another_learners_attempt(other_learner, half_answered):
    assert answer_sql.upcoming_responses(half_answered.pk, other_learner.pk) == []


def test_it_reads_nothing_of_a_finished_attempt(learner, half_answered):
    for _ in range(2):
        current = services.show_current_question(half_answered, T0)
        services.record_answer(half_answered, current.position, "skip", None, T0)

    assert half_answered.is_finished
    assert answer_sql.upcoming_responses(half_answered.pk, learner.pk) == []
