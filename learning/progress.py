"""A learner's progress over their answers in quizzes (revision sessions left out): by topic,
with each topic's last 30 days, day by day over the last 30 days, by how sure they said they
were, and how many answers came under time pressure.

Read from the running totals (learning.TopicDay, one row per topic, day and confidence mark,
kept by learning/tally.py as attempts finish) and, in the same query, the answers of attempts
not finished yet, added up by the same rule: a constant number of queries, and a few hundred
rows however many attempts the learner has made (tests/test_query_counts.py,
docs/benchmarks.md)."""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db.models import Case, Count, F, Q, Sum, When
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

from learning import charts, tally
from learning.models import Card, TopicDay
from lib.translated import in_reading_language
from quiz import scoring
from quiz.models import Response

Outcome, Confidence = Response.Outcome, Response.Confidence
TREND_DAYS = 30
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
class Day(Tally):
    day: date | None = None


@dataclass
class TopicProgress(Tally):
    topic_id: int = 0
    name: str = ""
    mean_seconds: float | None = None
    # The last 30 days, oldest first, days without answers included.
    days: list[Day] = field(default_factory=list)

    @property
    def sparkline(self) -> charts.Sparkline:
        return charts.sparkline(self.days)

    @property
    def recent(self) -> Tally:
        """The topic's answers in the last 30 days, added up."""
        return _total(self.days)

    @property
    def earlier(self) -> Tally:
        """The first 15 of the 30 days, added up: with `later`, which way the topic is going."""
        return _total(self.days[: TREND_DAYS // 2])

    @property
    def later(self) -> Tally:
        return _total(self.days[TREND_DAYS // 2 :])

    @property
    def days_answered(self) -> int:
        return sum(1 for day in self.days if day.answered)


def _total(days: list[Day]) -> Tally:
    total = Tally()
    for day in days:
        total.answered += day.answered
        total.correct += day.correct
        total.gained += day.gained
        total.lost += day.lost
    return total


@dataclass
class ConfidenceProgress(Tally):
    label: str = ""
    level: str = ""


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

    @property
    def topic_day_rows(self) -> SafeString:
        """The table beside the topics' sparklines: a group of rows for each topic with answers
        in the 30 days, headed by its name, a row for each of its days with answers. Written
        here rather than in a template loop: up to 210 rows, which the template's tags took
        10 ms of CPU to write for the heaviest learner (docs/benchmarks.md)."""
        groups = []
        for topic in self.topics:
            days = [day for day in topic.days if day.answered]
            if not days:
                continue
            rows = format_html_join(
                "",
                '<tr><th scope="row">{}</th><td>{}</td><td>{}</td></tr>',
                ((date_format(day.day, "j M"), day.answered, day.correct) for day in days),
            )
            heading = format_html('<tr><th scope="rowgroup" colspan="3">{}</th></tr>', topic.name)
            groups.append(format_html('<tbody data-topic-days="{}">{}{}</tbody>', topic.name, heading, rows))
        return mark_safe("".join(groups))  # each part built by format_html, its values escaped


def progress_of(user, now: datetime) -> Progress:
    """Everything the progress page shows, in two queries (the attempts finished since the last
    visit added to the totals before, by the caller): the learner's totals and the answers of
    their unfinished attempts added up by topic, confidence mark and day (days older than the
    trend's 30 fall into one group), then folded here four ways; and the deck's size and due
    count."""
    first = now.astimezone(tally.zone()).date() - timedelta(days=TREND_DAYS - 1)
    rows = list(_grouped(user, first))
    deck = Card.objects.filter(user=user).aggregate(cards=Count("id"), due=Count("id", filter=Q(due__lte=now)))
    topics = _by_topic(rows, first)
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


def _grouped(user, first: date):
    """One query: the answers of the learner's unfinished quiz attempts (the finished ones are
    in the totals), added up, and beside them the learner's totals grouped the same way. The
    columns are in the same order in both halves; the first half names them."""
    since = datetime.combine(first, time.min, tzinfo=tally.zone())
    unfinished = tally.counted_answers(Response.objects.filter(attempt__user=user, attempt__finished_at__isnull=True))
    live = tally.added_up(unfinished, since=since, name=in_reading_language("question__topic__name"))
    totals = (
        TopicDay.objects.filter(user=user)
        .values(
            "confidence",
            t_topic=F("topic"),
            t_day=Case(When(day__gte=first, then=F("day")), default=None),
            t_name=in_reading_language("topic__name"),
        )
        .annotate(**{f"t_{name}": Sum(name) for name in tally.COUNT_FIELDS})
        .order_by()
    )
    return live.union(totals, all=True)


def _add(total: Tally, row: dict, answered: int) -> None:
    total.answered += answered
    total.correct += row["correct"]
    total.gained += row["gained"] or Decimal("0")
    total.lost -= row["deducted"] or Decimal("0")


def _by_topic(rows: list[dict], first: date) -> list[TopicProgress]:
    """Each topic the learner has answered, the weakest (lowest accuracy, then fewest net
    marks) first, with the mean seconds an answer took and its last 30 days."""
    topics: dict[int, TopicProgress] = {}
    seconds: dict[int, list[float]] = {}
    for row in rows:
        topic_id = row["topic_id"]
        topic = topics.get(topic_id)
        if topic is None:
            topic = topics[topic_id] = TopicProgress(topic_id=topic_id, name=row["name"], days=_days(first))
        _add(topic, row, row["answered"])
        day = _within(topic.days, first, row["day"])
        if day is not None:
            _add(day, row, row["answered"])
        total = seconds.setdefault(topic_id, [0.0, 0])
        total[0] += row["seconds"] or 0.0
        total[1] += row["timed"]
    for topic_id, (total, count) in seconds.items():
        topics[topic_id].mean_seconds = total / count if count else None
    return sorted(topics.values(), key=lambda t: (t.accuracy or 0, t.net, t.name))


def _days(first: date) -> list[Day]:
    """The last 30 days in India's calendar, oldest first, none answered yet."""
    return [Day(day=first + timedelta(days=n)) for n in range(TREND_DAYS)]


def _by_day(rows: list[dict], first: date) -> list[Day]:
    """The last 30 days, all topics together, days without answers included."""
    days = _days(first)
    for row in rows:
        day = _within(days, first, row["day"])
        if day is not None:
            _add(day, row, row["answered"])
    return days


def _within(days: list[Day], first: date, day: date | None) -> Day | None:
    """The trend's entry for `day`, if it is one of its 30 (None: older, or after today)."""
    if day is None or not 0 <= (day - first).days < len(days):
        return None
    return days[(day - first).days]


def _by_confidence(rows: list[dict]) -> list[ConfidenceProgress]:
    """Accuracy and net marks of the answers (an option picked) at each confidence level."""
    levels = {
        level: ConfidenceProgress(level=level, label=label) for level, label in [*Confidence.choices, ("", NO_MARK)]
    }
    for row in rows:
        _add(levels[row["confidence"]], row, row["graded"])
    return [level for level in levels.values() if level.answered]
