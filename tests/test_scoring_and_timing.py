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
