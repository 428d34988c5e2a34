"""Deadline arithmetic. Pure functions: the caller reads the clock once and passes `now`."""

from datetime import datetime, timedelta


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
