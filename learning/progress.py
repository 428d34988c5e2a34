"""A learner's progress, added up by the database over their answers in quizzes (revision
sessions left out): by topic, day by day over the last 30 days, by how sure they said they
were, and how many answers came under time pressure. A constant number of queries however
many attempts the learner has made (tests/test_query_counts.py)."""

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Avg, Count, Q, QuerySet, Sum
from django.db.models.functions import TruncDate

from learning import charts
from learning.models import Card
from quiz import scoring
from quiz.models import Response, SecondsBetween, seconds_taken_in_database

Outcome, Confidence = Response.Outcome, Response.Confidence
TREND_DAYS = 30
# An answer in the question's last 5 seconds was made under time pressure.
PRESSED_SECONDS = 5
NO_MARK = "No mark"


@dataclass
class Tally:
    """Answers added up: how many, how many right, and marks gained and lost."""

    answered: int = 0
    correct: int = 0
    gained: Decimal = Decimal("0")
    lost: Decimal = Decimal("0")

    @property
    def accuracy(self) -> float | None:
        """Share of these questions answered right (a blank or a time-out is not right)."""
        return self.correct / self.answered if self.answered else None

    @property
    def net(self) -> Decimal:
        return self.gained - self.lost


@dataclass
class TopicProgress(Tally):
    topic_id: int = 0
    name: str = ""
    mean_seconds: float | None = None


@dataclass
class ConfidenceProgress(Tally):
    label: str = ""
    level: str = ""


@dataclass
class Day(Tally):
    day: date | None = None


@dataclass
class Progress:
    topics: list[TopicProgress]
    days: list[Day]
    chart: charts.TrendChart
    confidence: list[ConfidenceProgress]
    guessing_paid: bool | None
    pressed: int
    timed_out: int
    cards: int
    due: int
    answered: int = field(default=0)


def _tallies() -> dict:
    return {
        "answered": Count("id"),
        "correct": Count("id", filter=Q(outcome=Outcome.CORRECT)),
        "gained": Sum("marks", filter=Q(marks__gt=0)),
        "lost": Sum("marks", filter=Q(marks__lt=0)),
    }


def _tally_of(row: dict) -> dict:
    return {
        "answered": row["answered"],
        "correct": row["correct"],
        "gained": row["gained"] or Decimal("0"),
        "lost": -(row["lost"] or Decimal("0")),
    }


def _answers(user) -> QuerySet:
    """The learner's closed answers in quizzes: revision sessions never count."""
    return Response.objects.filter(attempt__user=user, attempt__is_revision=False).exclude(outcome=Outcome.OPEN)


def progress_of(user, now: datetime) -> Progress:
    """Everything the progress page shows; four queries (the deck read in before, by the caller)."""
    topics = by_topic(user)
    days = by_day(user, now)
    confidence, pressed, timed_out = by_confidence(user)
    deck = Card.objects.filter(user=user).aggregate(cards=Count("id"), due=Count("id", filter=Q(due__lte=now)))
    guesses = next((row for row in confidence if row.level == Confidence.GUESS), None)
    return Progress(
        topics=topics,
        days=days,
        chart=charts.trend(days),
        confidence=confidence,
        guessing_paid=scoring.guessing_paid(guesses.net) if guesses and guesses.answered else None,
        pressed=pressed,
        timed_out=timed_out,
        cards=deck["cards"],
        due=deck["due"],
        answered=sum(topic.answered for topic in topics),
    )


def by_topic(user) -> list[TopicProgress]:
    """Each topic the learner has answered, the weakest (lowest accuracy, then fewest net
    marks) first."""
    rows = (
        _answers(user)
        .values("question__topic_id", "question__topic__name")
        .annotate(
            **_tallies(),
            mean_seconds=Avg(seconds_taken_in_database(), filter=Q(answered_at__isnull=False, shown_at__isnull=False)),
        )
        .order_by()
    )
    topics = [
        TopicProgress(
            topic_id=row["question__topic_id"],
            name=row["question__topic__name"],
            mean_seconds=row["mean_seconds"],
            **_tally_of(row),
        )
        for row in rows
    ]
    return sorted(topics, key=lambda t: (t.accuracy or 0, t.net, t.name))


def by_day(user, now: datetime) -> list[Day]:
    """The last 30 days in India's calendar, oldest first, days without answers included."""
    zone = ZoneInfo(settings.DISPLAY_TIME_ZONE)
    today = now.astimezone(zone).date()
    first = today - timedelta(days=TREND_DAYS - 1)
    since = datetime.combine(first, datetime.min.time(), tzinfo=zone)
    rows = (
        _answers(user)
        .filter(answered_at__gte=since)
        .annotate(day=TruncDate("answered_at", tzinfo=zone))
        .values("day")
        .annotate(**_tallies())
        .order_by()
    )
    found = {row["day"]: row for row in rows}
    days = [first + timedelta(days=n) for n in range(TREND_DAYS)]
    return [Day(day=day, **(_tally_of(found[day]) if day in found else {})) for day in days]


def by_confidence(user) -> tuple[list[ConfidenceProgress], int, int]:
    """Accuracy and net marks of the answers (an option picked) at each confidence level, and
    across all answers: how many came in a question's last 5 seconds, how many timed out."""
    graded = Q(outcome__in=scoring.GRADED)
    rows = (
        _answers(user)
        .alias(left=SecondsBetween("deadline", "answered_at"))
        .values("confidence")
        .annotate(
            answered=Count("id", filter=graded),
            correct=Count("id", filter=Q(outcome=Outcome.CORRECT)),
            gained=Sum("marks", filter=Q(marks__gt=0)),
            lost=Sum("marks", filter=Q(marks__lt=0)),
            pressed=Count("id", filter=graded & Q(left__lte=PRESSED_SECONDS)),
            timed_out=Count("id", filter=Q(outcome=Outcome.TIMED_OUT)),
        )
        .order_by()
    )
    rows = list(rows)
    found = {row["confidence"]: row for row in rows}
    labels = [*Confidence.choices, ("", NO_MARK)]
    levels = [
        ConfidenceProgress(level=level, label=label, **_tally_of(found[level]))
        for level, label in labels
        if level in found and found[level]["answered"]
    ]
    return levels, sum(row["pressed"] for row in rows), sum(row["timed_out"] for row in rows)
