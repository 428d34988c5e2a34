"""Pure functions: UPSC marking and deadline arithmetic, no database."""

from datetime import timedelta
from decimal import Decimal

import pytest

from quiz import scoring, timing
from tests.helpers import T0

TWO, PENALTY = Decimal("2"), Decimal("0.66")


@pytest.mark.parametrize(
    ("outcome", "marks"),
    [("correct", Decimal("2")), ("wrong", Decimal("-0.66")), ("skipped", Decimal("0")), ("timed_out", Decimal("0"))],
)
def test_upsc_marks_for_each_outcome(outcome, marks):
    assert scoring.marks_for(outcome, TWO, PENALTY) == marks


def test_total_adds_right_and_wrong_answers_exactly():
    outcomes = ["correct"] * 7 + ["wrong"] * 3 + ["timed_out"] * 2 + ["skipped"]
    assert scoring.total(outcomes, TWO, PENALTY) == Decimal("12.02")


def test_total_can_be_negative_when_wrong_answers_outweigh_right_ones():
    assert scoring.total(["wrong", "wrong", "wrong", "correct"], TWO, PENALTY) == Decimal("0.02")
    assert scoring.total(["wrong"] * 4, TWO, PENALTY) == Decimal("-2.64")


def test_total_of_nothing_is_zero():
    assert scoring.total([], TWO, PENALTY) == Decimal("0")


def test_deadline_is_shown_time_plus_seconds_per_question():
    assert timing.deadline_for(T0, 19) == T0 + timedelta(seconds=19)


def test_seconds_left_counts_down_and_stops_at_zero():
    deadline = T0 + timedelta(seconds=19)
    assert timing.seconds_left(deadline, T0) == 19
    assert timing.seconds_left(deadline, T0 + timedelta(seconds=18.5)) == 0.5
    assert timing.seconds_left(deadline, T0 + timedelta(seconds=25)) == 0


@pytest.mark.parametrize(
    ("after_deadline", "late"),
    [(-1, False), (0, False), (1.5, False), (2, False), (3, True)],
)
def test_an_answer_is_late_only_after_deadline_plus_grace(after_deadline, late):
    deadline = T0 + timedelta(seconds=19)
    assert timing.is_late(deadline, deadline + timedelta(seconds=after_deadline), grace_seconds=2) is late


def test_clock_has_expired_at_the_deadline_not_before():
    deadline = T0 + timedelta(seconds=19)
    assert not timing.has_expired(deadline, deadline - timedelta(milliseconds=1))
    assert timing.has_expired(deadline, deadline)


@pytest.mark.parametrize(
    ("value", "places", "text"),
    [
        (Decimal("2.00"), None, "2"),
        (Decimal("0.50"), None, "0.5"),
        (Decimal("-0.66"), None, "-0.66"),
        (0.1 + 0.2, None, "0.30000000000000004"),
        (7, None, "7"),
        (Decimal("1.345"), Decimal("0.01"), "1.34"),  # banker's rounding, as Decimal.quantize
        (Decimal("-1.3200"), Decimal("0.01"), "-1.32"),
        (Decimal("1E+1"), None, "10"),
    ],
)
def test_numbers_read_the_same_on_pages_and_in_exports(value, places, text):
    from lib.numbers import plain_number

    assert plain_number(value, places) == text


def test_seconds_taken_is_capped_at_the_questions_time_and_none_until_closed():
    assert timing.seconds_taken(T0, T0 + timedelta(seconds=7.5), 19) == 7.5
    assert timing.seconds_taken(T0, T0 + timedelta(minutes=5), 19) == 19.0  # timed out while away
    assert timing.seconds_taken(T0, None, 19) is None
    assert timing.seconds_taken(None, T0, 19) is None


@pytest.mark.parametrize("outcome", ["correct", "wrong", "skipped", "timed_out"])
def test_each_closed_outcome_adds_to_exactly_one_counter_that_recounts_it(outcome):
    counter = scoring.counter_for(outcome)
    assert counter in ("correct_count", "wrong_count", "unanswered_count")
    assert outcome in scoring.outcomes_counted_by(counter)


def test_the_last_question_finishes_the_attempt():
    assert [scoring.finishes_attempt(position, 3) for position in range(3)] == [False, False, True]


def test_one_set_of_outcome_labels():
    assert [label for _, label in scoring.Outcome.choices] == ["Not answered yet", "Right", "Wrong", "Skipped", "Timed out"]
