"""Geometry of the progress page's 30-day trend, drawn as inline SVG: accuracy per day as a
line with a dot for each day with answers. Pure: the template places what this works out, so
the chart prints and needs no script; a table beside it says the same in words."""

from dataclasses import dataclass

from django.utils.formats import date_format
from django.utils.html import format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext

WIDTH, HEIGHT = 640, 200
LEFT, RIGHT, TOP, BOTTOM = 40, 8, 10, 28
TICKS = (0, 50, 100)


@dataclass
class Point:
    x: float
    y: float
    label: str


@dataclass
class Tick:
    y: float
    label: str


def polyline_of(points) -> str:
    """An SVG polyline's `points` attribute, to a tenth of a unit."""
    return " ".join(f"{p.x:.1f},{p.y:.1f}" for p in points)


@dataclass
class TrendChart:
    width: int
    height: int
    points: list[Point]
    ticks: list[Tick]
    left: int
    right_edge: int
    first_label: str
    last_label: str
    label_y: float

    @property
    def polyline(self) -> str:
        return polyline_of(self.points)


def trend(days) -> TrendChart:
    """`days`: Tally-like rows with `.day` and `.accuracy` (None on a day without answers)."""
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    step = plot_w / max(len(days) - 1, 1)

    def y_of(percent: float) -> float:
        return TOP + plot_h * (1 - percent / 100)

    points = [
        Point(LEFT + i * step, y_of(day.accuracy * 100), f"{day.day:%d %b}: {day.accuracy:.0%} right of {day.answered}")
        for i, day in enumerate(days)
        if day.accuracy is not None
    ]
    return TrendChart(
        width=WIDTH,
        height=HEIGHT,
        points=points,
        ticks=[Tick(y_of(t), f"{t}%") for t in TICKS],
        left=LEFT,
        right_edge=WIDTH - RIGHT,
        first_label=f"{days[0].day:%d %b}" if days else "",
        last_label=f"{days[-1].day:%d %b}" if days else "",
        label_y=HEIGHT - 8,
    )


# A topic's 30 days as a sparkline: one small chart per topic, all on the same 0-100% scale so
# they compare at a glance, as wide as a phone's screen allows.
SPARK_WIDTH, SPARK_HEIGHT, SPARK_PAD = 300, 44, 5


@dataclass
class SparkPoint:
    x: float
    y: float
    day: object  # the progress page's Day: `.day`, `.answered`, `.correct`


@dataclass
class Sparkline:
    width: int
    height: int
    points: list[SparkPoint]
    # Where 50% right and the plot's edges fall.
    middle_y: float
    left: float
    right: float

    @property
    def polyline(self) -> str:
        return polyline_of(self.points)

    @property
    def dots(self) -> SafeString:
        """A dot for each day with answers, its figures in a tooltip. Written here rather than
        in a template loop: a page of seven topics has up to 210, and the template's tags cost
        a millisecond for every seven (docs/benchmarks.md)."""
        label = gettext("%(day)s: %(right)s of %(answered)s right")
        return format_html_join(
            "",
            '<circle cx="{}" cy="{}" r="3" class="sparkline-dot"><title>{}</title></circle>',
            (
                (f"{p.x:.1f}", f"{p.y:.1f}", label % {"day": date_format(p.day.day, "j M"), "right": p.day.correct, "answered": p.day.answered})
                for p in self.points
            ),
        )


def sparkline(days) -> Sparkline:
    """`days`: Day-like rows, oldest first, with `.accuracy` None on a day without answers,
    which the line passes over."""
    plot_w, plot_h = SPARK_WIDTH - 2 * SPARK_PAD, SPARK_HEIGHT - 2 * SPARK_PAD
    step = plot_w / max(len(days) - 1, 1)

    def y_of(share: float) -> float:
        return SPARK_PAD + plot_h * (1 - share)

    return Sparkline(
        width=SPARK_WIDTH,
        height=SPARK_HEIGHT,
        points=[SparkPoint(SPARK_PAD + i * step, y_of(day.accuracy), day) for i, day in enumerate(days) if day.accuracy is not None],
        middle_y=y_of(0.5),
        left=SPARK_PAD,
        right=SPARK_WIDTH - SPARK_PAD,
    )
