"""Class statistics and item analysis. Pure functions over numbers: no models, no database.

The item statistics follow Moodle's quiz statistics report:
- facility = mean mark on the item / the item's maximum mark (it can go below 0 with negative
  marking: a question most people get wrong scores below zero on average);
- discrimination index = the correlation between the item's marks and the marks on the rest
  of the test (the attempt's total minus this item), undefined when either varies not at all
  or fewer than two attempts answered it.

Marks arrive one response at a time so that a class of any size is analysed in memory that
grows with the number of questions, not with the number of responses: the accumulator keeps
running means and co-moments (Welford's method) rather than the lists of marks.
"""

import math
import statistics
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from numbers import Real

FACILITY_LOW = 0.2
FACILITY_HIGH = 0.9
DISCRIMINATION_LOW = 0.2
# Below this a variance counts as none: every learner scored the same.
_NO_VARIANCE = 1e-12


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


@dataclass
class ItemStats:
    """Running statistics of one question over the attempts that answered it."""

    n: int = 0
    _fraction_sum: float = 0.0
    _mean_mark: float = 0.0
    _mean_rest: float = 0.0
    _m2_mark: float = 0.0
    _m2_rest: float = 0.0
    _co_moment: float = 0.0
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
        mark, rest = float(mark), float(attempt_total) - float(mark)
        self.n += 1
        if float(max_mark):
            self._fraction_sum += mark / float(max_mark)
        d_mark = mark - self._mean_mark
        self._mean_mark += d_mark / self.n
        d_rest = rest - self._mean_rest
        self._mean_rest += d_rest / self.n
        self._m2_mark += d_mark * (mark - self._mean_mark)
        self._m2_rest += d_rest * (rest - self._mean_rest)
        self._co_moment += d_mark * (rest - self._mean_rest)
        if timed_out:
            self.timeouts += 1
        if seconds_to_answer is not None:
            self._answer_seconds += seconds_to_answer
            self.answers_timed += 1
        if picked is not None:
            self.picks[picked] += 1

    @property
    def facility(self) -> float | None:
        return self._fraction_sum / self.n if self.n else None

    @property
    def mean_mark(self) -> float | None:
        return self._mean_mark if self.n else None

    @property
    def discrimination(self) -> float | None:
        if self.n < 2 or self._m2_mark <= _NO_VARIANCE or self._m2_rest <= _NO_VARIANCE:
            return None
        # Moodle divides covariance and both variances by n - 1; the divisors cancel.
        return self._co_moment / math.sqrt(self._m2_mark * self._m2_rest)

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
        flags.append("Very hard")
    if facility is not None and facility > FACILITY_HIGH:
        flags.append("Very easy")
    if discrimination is not None and discrimination < DISCRIMINATION_LOW:
        flags.append("Weak discrimination")
    return flags


def discrimination_index(marks: Sequence[Real], totals: Sequence[Real]) -> float | None:
    """The discrimination index of one item from its marks and the attempts' total scores."""
    item = ItemStats()
    for mark, total in zip(marks, totals, strict=True):
        item.add(mark, total, 1)
    return item.discrimination
