"""Deadline arithmetic. Pure functions: the caller reads the clock once and passes `now`."""

import math
from datetime import datetime, timedelta
from decimal import Decimal


def deadline_for(shown_at: datetime, seconds_per_question: int) -> datetime:
    return shown_at + timedelta(seconds=seconds_per_question)


def seconds_left(deadline: datetime, now: datetime) -> float:
    """Seconds the learner still has, never below zero."""
    return max(0.0, (deadline - now).total_seconds())


def has_expired(deadline: datetime, now: datetime) -> bool:
    """The question's clock has run out (the learner's screen shows zero)."""
    return now >= deadline


def is_late(deadline: datetime, now: datetime, grace_seconds: float) -> bool:
    """An answer arriving `now` is too late to count: past the deadline plus the grace allowed
    for network delay. An answer arriving exactly at deadline + grace still counts."""
    return now > deadline + timedelta(seconds=grace_seconds)


def seconds_taken(shown_at: datetime | None, answered_at: datetime | None, seconds_allowed: int) -> float | None:
    """How long a question took: from when it was shown to when it was closed, never more than
    its time (a time-out recorded later, when the learner came back, took the whole time).
    None while it has not been both shown and closed. The database's version, for reports that
    add it up in SQL, is `quiz.models.seconds_taken_in_database`, built on the same rule."""
    if shown_at is None or answered_at is None:
        return None
    return min((answered_at - shown_at).total_seconds(), float(seconds_allowed))


def stretched(seconds: int, factor: Decimal) -> int:
    """A time limit times a learner's time factor, rounded up to the whole second: rounding
    never takes time away (19 s at 1.25× is 24 s)."""
    return math.ceil(seconds * factor)


def factor_label(factor: Decimal) -> str:
    """How a time factor reads on every page and export: "1.5×"."""
    return f"{factor.normalize():f}×"
