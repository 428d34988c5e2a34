"""A quiz's leaderboard: each learner's first finished attempt, ranked by UPSC score, then by
time taken. Retakes for practice never count (quiz.models.AttemptQuerySet.first_finished).

A learner's rank is 1 + the first attempts strictly better than theirs (a higher score, or the
same score in less time), so ties share a rank; the percentile is the share of the board at
or above that rank ("top 12%"). Three queries for any size of board: the learner's own entry,
the count of the board and of those ahead, and the top of it.
"""

import math
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from django.db.models import Count, DurationField, ExpressionWrapper, F, Q

from quiz.models import Attempt, Quiz
from teaching.reports import learner_name

TOP = 20
ANONYMOUS = "Aspirant"


@dataclass(frozen=True)
class Entry:
    rank: int
    name: str
    score: Decimal
    seconds: int
    is_you: bool


@dataclass(frozen=True)
class Board:
    quiz: Quiz
    top: list[Entry]
    size: int
    mine: Entry | None = None

    @property
    def top_percent(self) -> int | None:
        """The learner's place as "top N%": ranked 12th of 100 is the top 12%."""
        if self.mine is None or not self.size:
            return None
        return max(1, math.ceil(100 * self.mine.rank / self.size))


def _taken():
    return ExpressionWrapper(F("finished_at") - F("started_at"), output_field=DurationField())


def ranked(quiz: Quiz, among=None):
    """The board's attempts, best first; `among` limits it to some learners (a class)."""
    attempts = Attempt.objects.first_finished(quiz.pk).annotate(taken=_taken())
    if among is not None:
        attempts = attempts.filter(user__in=among)
    return attempts


def _ahead_of(score: Decimal, taken: timedelta) -> Q:
    return Q(score__gt=score) | Q(score=score, taken__lt=taken)


def board_for(quiz: Quiz, user, among=None, real_names: bool = False) -> Board:
    """The top of the board and, when `user` has a first finished attempt, their own entry.
    Names are display names (or "Aspirant"); a teacher's board of a class (`among`, with
    `real_names`) shows each learner's name."""
    attempts = ranked(quiz, among)
    mine = attempts.filter(user=user).values("score", "taken").first() if user is not None else None
    counts = {"size": Count("pk")}
    if mine:
        counts["ahead"] = Count("pk", filter=_ahead_of(mine["score"], mine["taken"]))
    totals = attempts.aggregate(**counts)
    top_rows = attempts.select_related("user", "user__daily_profile").order_by("-score", "taken", "finished_at", "pk")[:TOP]
    top = _ranked_entries(list(top_rows), user, real_names)
    own = None
    if mine:
        own = Entry(totals["ahead"] + 1, "You", mine["score"], _seconds(mine["taken"]), True)
    return Board(quiz=quiz, top=top, size=totals["size"], mine=own)


def _ranked_entries(rows: list[Attempt], user, real_names: bool) -> list[Entry]:
    """Ranks down the top rows: ties (same score and time) share the rank of the first."""
    entries: list[Entry] = []
    for index, attempt in enumerate(rows):
        previous = rows[index - 1] if index else None
        tied = previous is not None and (previous.score, previous.taken) == (attempt.score, attempt.taken)
        rank = entries[-1].rank if tied else index + 1
        is_you = user is not None and attempt.user_id == user.pk
        entries.append(Entry(rank, _name(attempt.user, real_names), attempt.score, _seconds(attempt.taken), is_you))
    return entries


def _name(learner, real_names: bool) -> str:
    if real_names:
        return learner_name(learner)
    profile = getattr(learner, "daily_profile", None)
    return (profile.display_name if profile else "") or ANONYMOUS


def _seconds(taken: timedelta) -> int:
    return round(taken.total_seconds())
