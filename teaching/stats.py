"""Class statistics and item analysis. Pure functions over numbers: no models, no database.

The item statistics follow Moodle's quiz statistics report:
- facility = mean mark on the item / the item's maximum mark (it can go below 0 with negative
  marking: a question most people get wrong scores below zero on average);
- discrimination index = the correlation between the item's marks and the marks on the rest
  of the test (the attempt's total minus this item), undefined when either varies not at all
  or fewer than two attempts answered it.

The accumulator keeps sums, not lists of marks, so a class of any size is analysed in memory
that grows with the number of questions: responses arrive one at a time, or as a group that
shares one mark (the database adds a class's responses up that way, see `teaching.reports`).
Marks and scores are summed as exact decimals: the statistics do not depend on the order the
responses arrive in, and an item every attempt scored the same on has a variance of exactly 0.
"""

import math
import statistics
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from numbers import Real

from django.utils.translation import gettext_noop

FACILITY_LOW = 0.2
FACILITY_HIGH = 0.9
DISCRIMINATION_LOW = 0.2


@dataclass
class Summary:
    count: int
    mean: Decimal | None
    median: Decimal | None
    highest: Decimal | None
    lowest: Decimal | None


def summarise(scores: Iterable[Decimal]) -> Summary:
    """Mean, median, highest and lowest of a set of scores; all None for an empty set."""
    values = sorted(Decimal(s) for s in scores)
    if not values:
        return Summary(0, None, None, None, None)
    return Summary(
        count=len(values),
        mean=sum(values, Decimal("0")) / len(values),
        median=statistics.median(values),
        highest=values[-1],
        lowest=values[0],
    )


@dataclass
class Bin:
    low: Decimal
    high: Decimal
    count: int


def histogram(scores: Iterable[Decimal], low: Decimal, high: Decimal, bins: int) -> list[Bin]:
    """Count scores into `bins` equal ranges from `low` to `high`. Each range holds its lower
    edge; the last one also holds `high`, so a full score is counted. Scores outside are
    clamped into the end bins."""
    low, high = Decimal(low), Decimal(high)
    if high <= low:
        high = low + 1
    width = (high - low) / bins
    counts = [0] * bins
    for score in scores:
        index = int((Decimal(score) - low) / width)
        counts[min(max(index, 0), bins - 1)] += 1
    return [Bin(low + width * i, low + width * (i + 1), n) for i, n in enumerate(counts)]


def exact(value: Real | Decimal) -> Decimal:
    """A mark or a score as the decimal it stands for: the float 0.66 is 0.66, not the
    0.66000000000000003108... it is in binary."""
    return value if isinstance(value, Decimal) else Decimal(str(value))


@dataclass
class ItemStats:
    """Sums of one question over the attempts that answered it: of its marks m, of the attempts'
    totals t, of their squares and products, of the fraction of the full mark each got."""

    n: int = 0
    _fraction: Decimal = Decimal(0)
    _mark: Decimal = Decimal(0)
    _mark_squared: Decimal = Decimal(0)
    _total: Decimal = Decimal(0)
    _total_squared: Decimal = Decimal(0)
    _mark_times_total: Decimal = Decimal(0)
    timeouts: int = 0
    _answer_seconds: float = 0.0
    answers_timed: int = 0
    picks: Counter = field(default_factory=Counter)

    def add(
        self,
        mark: Real | Decimal,
        attempt_total: Real | Decimal,
        max_mark: Real | Decimal,
        *,
        timed_out: bool = False,
        seconds_to_answer: float | None = None,
        picked=None,
    ) -> None:
        """One attempt's response: its mark, the attempt's whole score, the most the item
        could give; whether it timed out, how long an answer took, which option was picked."""
        total = exact(attempt_total)
        self.add_group(
            mark,
            max_mark,
            count=1,
            totals=total,
            totals_squared=total * total,
            timeouts=1 if timed_out else 0,
            answer_seconds=seconds_to_answer or 0.0,
            answers_timed=0 if seconds_to_answer is None else 1,
            picked=picked,
        )

    def add_group(
        self,
        mark: Real | Decimal,
        max_mark: Real | Decimal,
        count: int,
        totals: Real | Decimal,
        totals_squared: Real | Decimal,
        *,
        timeouts: int = 0,
        answer_seconds: float = 0.0,
        answers_timed: int = 0,
        picked=None,
    ) -> None:
        """`count` responses with the same mark out of the same most: the sum of their
        attempts' totals and of those totals squared; how many timed out; the seconds that
        `answers_timed` of them took to answer, added up; the option all of them picked."""
        mark, max_mark, totals = exact(mark), exact(max_mark), exact(totals)
        self.n += count
        if max_mark:
            self._fraction += mark * count / max_mark
        self._mark += mark * count
        self._mark_squared += mark * mark * count
        self._total += totals
        self._total_squared += exact(totals_squared)
        self._mark_times_total += mark * totals
        self.timeouts += timeouts
        self._answer_seconds += answer_seconds
        self.answers_timed += answers_timed
        if picked is not None:
            self.picks[picked] += count

    @property
    def facility(self) -> float | None:
        return float(self._fraction / self.n) if self.n else None

    @property
    def mean_mark(self) -> float | None:
        return float(self._mark / self.n) if self.n else None

    def _co_moment(self, sum_xy: Decimal, sum_x: Decimal, sum_y: Decimal) -> Decimal:
        """The sum of (x - mean x)(y - mean y), from the sums of x, y and xy."""
        return sum_xy - sum_x * sum_y / self.n

    @property
    def discrimination(self) -> float | None:
        if self.n < 2:
            return None
        # The rest of the test r = t - m, so its sums follow from those of m and t.
        rest = self._total - self._mark
        rest_squared = self._total_squared - 2 * self._mark_times_total + self._mark_squared
        mark_times_rest = self._mark_times_total - self._mark_squared
        mark_spread = self._co_moment(self._mark_squared, self._mark, self._mark)
        rest_spread = self._co_moment(rest_squared, rest, rest)
        if mark_spread <= 0 or rest_spread <= 0:  # everyone scored the same
            return None
        # Moodle divides covariance and both variances by n - 1; the divisors cancel.
        co_moment = self._co_moment(mark_times_rest, self._mark, rest)
        return float(co_moment) / math.sqrt(mark_spread * rest_spread)

    @property
    def timeout_rate(self) -> float | None:
        return self.timeouts / self.n if self.n else None

    @property
    def mean_seconds(self) -> float | None:
        return self._answer_seconds / self.answers_timed if self.answers_timed else None

    @property
    def flags(self) -> list[str]:
        return item_flags(self.facility, self.discrimination)


def item_flags(facility: float | None, discrimination: float | None) -> list[str]:
    """Why a question deserves a second look: too hard, too easy, or not separating the
    stronger learners from the weaker ones."""
    flags = []
    if facility is not None and facility < FACILITY_LOW:
        flags.append(gettext_noop("Very hard"))
    if facility is not None and facility > FACILITY_HIGH:
        flags.append(gettext_noop("Very easy"))
    if discrimination is not None and discrimination < DISCRIMINATION_LOW:
        flags.append(gettext_noop("Weak discrimination"))
    return flags


def discrimination_index(marks: Sequence[Real], totals: Sequence[Real]) -> float | None:
    """The discrimination index of one item from its marks and the attempts' total scores."""
    item = ItemStats()
    for mark, total in zip(marks, totals, strict=True):
        item.add(mark, total, 1)
    return item.discrimination
