"""A learner's progress, added up by the database over their answers in quizzes (revision
sessions left out) in one pass: by topic, day by day over the last 30 days, by how sure they
said they were, and how many answers came under time pressure. A constant number of queries however
many attempts the learner has made (tests/test_query_counts.py)."""

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Case, Count, Q, QuerySet, Sum, When
from django.db.models.functions import TruncDate

from learning import charts
from learning.models import Card
from quiz import scoring
from quiz.models import Response, SecondsBetween, seconds_taken_in_database
from django.utils.translation import gettext_lazy as _

Outcome, Confidence = Response.Outcome, Response.Confidence
TREND_DAYS = 30
# An answer in the question's last 5 seconds was made under time pressure.
PRESSED_SECONDS = 5
NO_MARK = _("No mark")


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


def _answers(user) -> QuerySet:
    """The learner's closed answers in quizzes: revision sessions never count."""
    return Response.objects.filter(attempt__user=user, attempt__is_revision=False).exclude(outcome=Outcome.OPEN)


def progress_of(user, now: datetime) -> Progress:
    """Everything the progress page shows, in two queries (the deck read in before, by the
    caller): the learner's answers added up once, grouped by topic, confidence mark and day
    (days older than the trend's 30 fall into one group), then folded here three ways; and the
    deck's size and due count."""
    zone = ZoneInfo(settings.DISPLAY_TIME_ZONE)
    first = now.astimezone(zone).date() - timedelta(days=TREND_DAYS - 1)
    rows = list(_grouped(user, datetime.combine(first, datetime.min.time(), tzinfo=zone), zone))
    deck = Card.objects.filter(user=user).aggregate(cards=Count("id"), due=Count("id", filter=Q(due__lte=now)))
    topics = _by_topic(rows)
    confidence = _by_confidence(rows)
    days = _by_day(rows, first)
    guesses = next((row for row in confidence if row.level == Confidence.GUESS), None)
    return Progress(
        topics=topics,
        days=days,
        chart=charts.trend(days),
        confidence=confidence,
        guessing_paid=scoring.guessing_paid(guesses.net) if guesses else None,
        pressed=sum(row["pressed"] for row in rows),
        timed_out=sum(row["timed_out"] for row in rows),
        cards=deck["cards"],
        due=deck["due"],
        answered=sum(topic.answered for topic in topics),
    )


def _grouped(user, since: datetime, zone) -> QuerySet:
    graded = Q(outcome__in=scoring.GRADED)
    timed = Q(answered_at__isnull=False, shown_at__isnull=False)
    recent_day = Case(When(answered_at__gte=since, then=TruncDate("answered_at", tzinfo=zone)), default=None)
    return (
        _answers(user)
        .alias(left=SecondsBetween("deadline", "answered_at"))
        .annotate(day=recent_day)
        .values("question__topic_id", "question__topic__name", "confidence", "day")
        .annotate(
            answered=Count("id"),
            graded=Count("id", filter=graded),
            correct=Count("id", filter=Q(outcome=Outcome.CORRECT)),
            gained=Sum("marks", filter=Q(marks__gt=0)),
            lost=Sum("marks", filter=Q(marks__lt=0)),
            seconds=Sum(seconds_taken_in_database(), filter=timed),
            timed=Count("id", filter=timed),
            pressed=Count("id", filter=graded & Q(left__lte=PRESSED_SECONDS)),
            timed_out=Count("id", filter=Q(outcome=Outcome.TIMED_OUT)),
        )
        .order_by()
    )


def _add(tally: Tally, row: dict, answered: int) -> None:
    tally.answered += answered
    tally.correct += row["correct"]
    tally.gained += row["gained"] or Decimal("0")
    tally.lost -= row["lost"] or Decimal("0")


def _by_topic(rows: list[dict]) -> list[TopicProgress]:
    """Each topic the learner has answered, the weakest (lowest accuracy, then fewest net
    marks) first, with the mean seconds an answer took."""
    topics: dict[int, TopicProgress] = {}
    seconds: dict[int, list[float]] = {}
    for row in rows:
        topic_id = row["question__topic_id"]
        topic = topics.setdefault(topic_id, TopicProgress(topic_id=topic_id, name=row["question__topic__name"]))
        _add(topic, row, row["answered"])
        total = seconds.setdefault(topic_id, [0.0, 0])
        total[0] += row["seconds"] or 0.0
        total[1] += row["timed"]
    for topic_id, (total, count) in seconds.items():
        topics[topic_id].mean_seconds = total / count if count else None
    return sorted(topics.values(), key=lambda t: (t.accuracy or 0, t.net, t.name))


def _by_day(rows: list[dict], first: date) -> list[Day]:
    """The last 30 days in India's calendar, oldest first, days without answers included."""
    days = {first + timedelta(days=n): Day(day=first + timedelta(days=n)) for n in range(TREND_DAYS)}
    for row in rows:
        if row["day"] in days:
            _add(days[row["day"]], row, row["answered"])
    return list(days.values())


def _by_confidence(rows: list[dict]) -> list[ConfidenceProgress]:
    """Accuracy and net marks of the answers (an option picked) at each confidence level."""
    levels = {
        level: ConfidenceProgress(level=level, label=label) for level, label in [*Confidence.choices, ("", NO_MARK)]
    }
    for row in rows:
        _add(levels[row["confidence"]], row, row["graded"])
    return [level for level in levels.values() if level.answered]
