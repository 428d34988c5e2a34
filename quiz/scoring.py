"""UPSC marking. Pure functions over Decimals: +2 for a right answer, minus a third of that
(0.66) for a wrong one, nothing for a blank or a time-out."""

from collections.abc import Iterable
from decimal import Decimal

CORRECT = "correct"
WRONG = "wrong"


def marks_for(outcome: str, marks_correct: Decimal, marks_wrong: Decimal) -> Decimal:
    if outcome == CORRECT:
        return marks_correct
    if outcome == WRONG:
        return -marks_wrong
    return Decimal("0")


def total(outcomes: Iterable[str], marks_correct: Decimal, marks_wrong: Decimal) -> Decimal:
    """The score of a set of outcomes; it may be negative (more wrong answers than right)."""
    return sum((marks_for(o, marks_correct, marks_wrong) for o in outcomes), Decimal("0"))
