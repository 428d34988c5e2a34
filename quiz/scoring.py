"""UPSC marking and what each outcome of a question does to its attempt: pure rules, no
database. +2 for a right answer, minus a third of that (0.66) for a wrong one, nothing for a
blank or a time-out; each closed question adds one to one of the attempt's counters, and the
last question closes the attempt.

Every place that scores (the answer path, regrading, seed_demo) asks these rules; adding an
outcome changes `Outcome`, the two tables below and the store's list of counters, nothing else.
"""

from collections.abc import Iterable
from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _


class Outcome(models.TextChoices):
    """What became of a question in an attempt. The labels are the words every page, report
    and export shows."""

    OPEN = "open", _("Not answered yet")
    CORRECT = "correct", _("Right")
    WRONG = "wrong", _("Wrong")
    SKIPPED = "skipped", _("Skipped")
    TIMED_OUT = "timed_out", _("Timed out")


# Outcomes that picked an option (and are marked again when an editor changes the key).
GRADED = (Outcome.CORRECT, Outcome.WRONG)

# The attempt's counter each closed outcome adds one to.
COUNTER = {
    Outcome.CORRECT: "correct_count",
    Outcome.WRONG: "wrong_count",
    Outcome.SKIPPED: "unanswered_count",
    Outcome.TIMED_OUT: "unanswered_count",
}


def marks_for(outcome: str, marks_correct: Decimal, marks_wrong: Decimal) -> Decimal:
    """The marks an outcome earns under the attempt's marking (`marks_wrong` is the deduction)."""
    if outcome == Outcome.CORRECT:
        return marks_correct
    if outcome == Outcome.WRONG:
        return -marks_wrong
    return Decimal("0")


def counter_for(outcome: str) -> str:
    """The name of the attempt's counter that a closed question with this outcome adds one to."""
    return COUNTER[outcome]


def outcomes_counted_by(counter: str) -> list[str]:
    """The outcomes that add to `counter`: what a recount from the responses counts."""
    return [outcome for outcome, name in COUNTER.items() if name == counter]


def finishes_attempt(position: int, question_count: int) -> bool:
    """Closing the question at `position` (0-based) finishes the attempt: it is the last one.
    Questions are closed in order, so the last to close is the last in the order."""
    return position == question_count - 1


def total(outcomes: Iterable[str], marks_correct: Decimal, marks_wrong: Decimal) -> Decimal:
    """The score of a set of outcomes; it may be negative (more wrong answers than right)."""
    return sum((marks_for(o, marks_correct, marks_wrong) for o in outcomes), Decimal("0"))


def break_even(marks_correct: Decimal, marks_wrong: Decimal) -> Decimal:
    """The chance of being right above which an answer earns more than a blank on average:
    p × right − (1 − p) × deduction > 0, so p > deduction / (right + deduction); about 25%
    under UPSC marking (0.66 / 2.66)."""
    return marks_wrong / (marks_correct + marks_wrong)


def guessing_paid(net_marks: Decimal) -> bool:
    """Guesses paid when together they gained more marks than negative marking took away:
    leaving them blank would have scored 0."""
    return net_marks > 0
