"""The store's hand-written SQL gives what the ORM gives: the same rows, the same instances
field by field (datetimes aware, decimals exact, JSON decoded), related objects attached; and
its writes land once, all or nothing, returning the totals the database holds."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.db.models import Model
from django.db.models.signals import post_init

from lib.sql import Columns
from questions.models import Choice
from quiz import store
from quiz.models import Attempt, Response
from tests.factories import QuestionFactory, QuizFactory
from tests.helpers import T0, correct_choice, show, start, submit

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
    first = show(attempt, T0)
    submit(attempt, first.position, "answer", correct_choice(first).pk, T0)
    return attempt


def test_it_reads_the_open_question_and_the_next_as_the_orm_does(learner, half_answered):
    by_hand = store.read_upcoming(half_answered.pk, learner.pk).responses

    assert [r.position for r in by_hand] == [1, 2]
    assert by_hand[0].shown_at == T0 and by_hand[0].deadline is not None and by_hand[1].shown_at is None
    assert by_hand[0].attempt.score == Decimal("2.00")
    assert by_hand[1].question.passage is None and by_hand[0].question.passage is not None
    assert isinstance(by_hand[0].option_order, list) and len(by_hand[0].option_order) == 4
    # One attempt for both rows, as the view adds to its totals once.
    assert by_hand[0].attempt is by_hand[1].attempt
    assert_same_responses(by_hand, orm_upcoming(half_answered.pk, learner))


def test_it_reads_the_last_open_question_alone(learner, half_answered):
    second = show(half_answered, T0)
    submit(half_answered, second.position, "skip", None, T0)

    by_hand = store.read_upcoming(half_answered.pk, learner.pk).responses

    assert [r.position for r in by_hand] == [2]
    assert_same_responses(by_hand, orm_upcoming(half_answered.pk, learner))


def test_it_reads_nothing_of_another_learners_attempt(other_learner, half_answered):
    assert store.read_upcoming(half_answered.pk, other_learner.pk) == store.Read(None, [], {})
    assert store.read_every_response(half_answered.pk, other_learner.pk) == store.Read(None, [], {})


def test_it_reads_every_response_for_the_review_as_the_orm_does(learner, half_answered):
    by_hand = store.read_every_response(half_answered.pk, learner.pk).responses

    # Answered, shown and not yet shown alike, in the attempt's order, one attempt for all.
    assert [r.position for r in by_hand] == [0, 1, 2]
    assert [r.outcome for r in by_hand] == ["correct", "open", "open"]
    assert by_hand[0].marks == Decimal("2.00") and by_hand[0].answered_at == T0
    assert by_hand[0].attempt is by_hand[1].attempt is by_hand[2].attempt
    by_orm = list(
        Response.objects.filter(attempt_id=half_answered.pk)
        .select_related("attempt__quiz", "question__source", "question__passage__source")
        .order_by("position")
    )
    assert_same_responses(by_hand, by_orm)
    # One instance per article, however many questions cite it: the first and third share one.
    assert by_hand[0].question.source is by_hand[2].question.source


def test_a_finished_attempt_has_nothing_open_and_is_read_alone(learner, half_answered):
    for _ in range(2):
        current = show(half_answered, T0)
        submit(half_answered, current.position, "skip", None, T0)

    read = store.read_upcoming(half_answered.pk, learner.pk)

    assert (read.responses, read.choices) == ([], {})
    assert read.attempt.is_finished and read.attempt.quiz == half_answered.quiz
    assert_same(read.attempt, Attempt.objects.get(pk=half_answered.pk))


def closing(response, outcome, choice, when, marks, counter, finished_at=None):
    return store.Closing(
        response.pk, outcome, choice.pk if choice else None, when, Decimal(marks), response.attempt_id, counter, finished_at
    )


def test_its_writes_read_back_through_the_orm_exactly(learner, half_answered):
    second, third = store.read_upcoming(half_answered.pk, learner.pk).responses
    wrong = next(c for c in second.question.choices.all() if not c.is_correct)
    later = T0 + timedelta(seconds=7)

    written = store.close_and_advance(
        closing(second, "wrong", wrong, later, "-0.66", "wrong_count"),
        store.Clock(third.pk, later, later + timedelta(seconds=19)),
    )

    assert (written.closed, written.clock_started) == (True, True)
    # The totals as the database now holds them, converted as the ORM converts them.
    assert written.totals == {
        "score": Decimal("1.34"), "correct_count": 1, "wrong_count": 1, "unanswered_count": 0, "finished_at": None,
    }
    second.refresh_from_db()
    assert (second.outcome, second.choice_id, second.answered_at, second.marks) == ("wrong", wrong.pk, later, Decimal("-0.66"))
    half_answered.refresh_from_db()
    assert (half_answered.score, half_answered.correct_count, half_answered.wrong_count) == (Decimal("1.34"), 1, 1)
    assert half_answered.finished_at is None
    third.refresh_from_db()
    assert (third.shown_at, third.deadline) == (later, later + timedelta(seconds=19))


def test_a_question_is_closed_and_counted_once_and_a_clock_started_once(learner, half_answered):
    second, third = store.read_upcoming(half_answered.pk, learner.pk).responses
    # A second tab showed the third question first: its clock is the one that counts.
    assert store.start_clock(store.Clock(third.pk, T0, T0 + timedelta(seconds=19))) is True

    skip = closing(second, "skipped", None, T0, "0", "unanswered_count")
    later_clock = store.Clock(third.pk, T0 + timedelta(seconds=5), T0 + timedelta(seconds=24))
    assert store.close_and_advance(skip, later_clock).clock_started is False
    # Replayed as a right answer: the question is closed already, so nothing at all is written.
    replay = closing(second, "correct", None, T0, "2", "correct_count")
    assert store.close_and_advance(replay, later_clock) == store.Closed(False)

    second.refresh_from_db()
    third.refresh_from_db()
    half_answered.refresh_from_db()
    assert (second.outcome, second.marks) == ("skipped", Decimal("0.00"))
    assert (third.shown_at, third.deadline) == (T0, T0 + timedelta(seconds=19))
    assert (half_answered.score, half_answered.correct_count, half_answered.unanswered_count) == (Decimal("2.00"), 1, 1)


def test_the_last_answer_sets_the_finish_time(learner, half_answered):
    second, third = store.read_upcoming(half_answered.pk, learner.pk).responses
    finished = T0 + timedelta(minutes=1)
    store.close_and_advance(closing(second, "skipped", None, T0, "0", "unanswered_count"))

    closed = store.close_and_advance(closing(third, "timed_out", None, finished, "0", "unanswered_count", finished))

    assert (closed.closed, closed.totals["finished_at"], closed.totals["score"]) == (True, finished, Decimal("2.00"))

    half_answered.refresh_from_db()
    assert (half_answered.finished_at, half_answered.unanswered_count, half_answered.score) == (finished, 2, Decimal("2.00"))


def test_a_counter_that_is_not_the_attempts_is_refused_before_anything_is_written(learner, half_answered):
    second, _ = store.read_upcoming(half_answered.pk, learner.pk).responses
    with pytest.raises(ValueError, match="Not one of the attempt's counters"):
        closing(second, "correct", None, T0, "2", "score")


def test_it_reads_the_options_of_what_it_read_as_the_orm_does(learner, half_answered):
    read = store.read_upcoming(half_answered.pk, learner.pk)
    second, third = read.responses
    ids = second.option_order + third.option_order

    by_orm = Choice.objects.in_bulk(ids)
    assert sorted(read.choices) == sorted(ids)
    for choice_id, choice in by_orm.items():
        assert_same(read.choices[choice_id], choice)
    assert sum(choice.is_correct is True for choice in read.choices.values()) == 2


def test_it_finds_the_learners_unfinished_attempt_at_that_quiz_only(learner, other_learner, half_answered):
    quiz_id = half_answered.quiz_id

    assert store.unfinished_attempt_id(learner.pk, quiz_id) == half_answered.pk
    assert store.unfinished_attempt_id(other_learner.pk, quiz_id) is None
    assert store.unfinished_attempt_id(learner.pk, QuizFactory().pk) is None
    for _ in range(2):
        current = show(half_answered, T0)
        submit(half_answered, current.position, "skip", None, T0)
    assert store.unfinished_attempt_id(learner.pk, quiz_id) is None


def test_instances_read_by_hand_behave_as_the_orms_do(learner, half_answered):
    first, second, third = store.read_every_response(half_answered.pk, learner.pk).responses

    # Related objects not in the read load as the ORM's do; a save writes the row back.
    assert first.choice == Choice.objects.get(pk=first.choice_id) and first.choice.is_correct
    assert second.question.topic == Response.objects.get(pk=second.pk).question.topic
    third.question.stem = "Edited through an instance read by hand"
    third.question.save(update_fields=["stem"])
    assert Response.objects.get(pk=third.pk).question.stem == "Edited through an instance read by hand"


def test_instances_read_by_hand_are_built_by_from_db(half_answered, monkeypatch):
    """Through the public `Model.from_db`, so a model that overrides it (or listens to its
    init, as image fields and generic relations do) gets what it asks for."""
    seen = []

    def receiver(sender, instance, **kwargs):
        seen.append(instance)

    post_init.connect(receiver, sender=Choice)
    try:
        columns = Columns(Choice, "choice")
        with connection.cursor() as cursor:
            cursor.execute(f'SELECT {columns.sql} FROM "questions_choice" choice ORDER BY choice."id"')
            row, db = cursor.fetchone(), cursor.db
        choice = columns.instance(list(row), db)
    finally:
        post_init.disconnect(receiver, sender=Choice)

    assert seen == [choice]
    assert_same(choice, Choice.objects.order_by("id").first())


def test_seconds_taken_reads_the_same_in_python_and_in_the_database(learner, half_answered):
    from quiz.models import seconds_taken_in_database

    second = show(half_answered, T0)
    submit(half_answered, second.position, "skip", None, T0 + timedelta(seconds=7.5))
    show(half_answered, T0 + timedelta(minutes=5))  # the third timed out while the learner was away

    responses = Response.objects.filter(attempt=half_answered).select_related("attempt").order_by("position")
    in_python = [r.seconds_taken for r in responses]
    in_database = list(responses.annotate(taken=seconds_taken_in_database()).values_list("taken", flat=True))

    assert in_python == [0.0, 7.5, 19.0]
    assert in_database == pytest.approx(in_python, abs=0.001)
