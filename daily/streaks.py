"""Streaks: days in a row (IST) on which a learner finished at least one quiz."""

import zoneinfo
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.conf import settings
from django.db.models.functions import TruncDate

from quiz.models import Attempt


@dataclass(frozen=True)
class Streak:
    current: int
    longest: int
    done_today: bool


def streak_of(user, now: datetime) -> Streak:
    """The learner's streak now. One query: the IST days of their finished attempts, worked
    out by the database. Kept from the whole history, so the longest never drifts."""
    zone = zoneinfo.ZoneInfo(settings.DISPLAY_TIME_ZONE)
    days = set(
        Attempt.objects.for_learner(user)
        .finished()
        .order_by()
        .annotate(day=TruncDate("finished_at", tzinfo=zone))
        .values_list("day", flat=True)
        .distinct()
    )
    return streak_from(days, now.astimezone(zone).date())


def streak_from(days: set[date], today: date) -> Streak:
    """The current run of consecutive days, alive while it ends today or yesterday (today's
    quiz may still be ahead), and the longest run ever."""
    longest = run = 0
    previous = None
    for day in sorted(days):
        run = run + 1 if previous == day - timedelta(days=1) else 1
        longest = max(longest, run)
        previous = day
    current = 0
    day = today if today in days else today - timedelta(days=1)
    while day in days:
        current += 1
        day -= timedelta(days=1)
    return Streak(current=current, longest=longest, done_today=today in days)
