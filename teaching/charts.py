"""Geometry of the score histogram drawn as inline SVG. Pure: the template only places what
this works out, so the chart prints and needs no script or chart service."""

from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext

from teaching.stats import Bin

WIDTH, HEIGHT = 640, 240
LEFT, RIGHT, TOP, BOTTOM = 36, 8, 12, 40


@dataclass
class Bar:
    x: float
    y: float
    width: float
    height: float
    count: int
    label: str  # the score range, "2 to 2.6"
    label_x: float


@dataclass
class Tick:
    y: float
    value: int


@dataclass
class Chart:
    width: int
    height: int
    bars: list[Bar]
    ticks: list[Tick]
    baseline: float
    left: int
    right_edge: int
    low_label: str
    high_label: str
    center: float


def _num(value: Decimal) -> str:
    text = f"{Decimal(value).quantize(Decimal('0.01')):f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def histogram_chart(bins: list[Bin]) -> Chart:
    plot_w = WIDTH - LEFT - RIGHT
    plot_h = HEIGHT - TOP - BOTTOM
    tallest = max((b.count for b in bins), default=0) or 1
    slot = plot_w / max(len(bins), 1)
    bars = []
    for i, b in enumerate(bins):
        h = plot_h * b.count / tallest
        x = LEFT + i * slot
        bars.append(
            Bar(
                x=round(x + 1, 1),
                y=round(TOP + plot_h - h, 1),
                width=round(slot - 2, 1),
                height=round(h, 1),
                count=b.count,
                label=gettext("%(low)s to %(high)s") % {"low": _num(b.low), "high": _num(b.high)},
                label_x=round(x + slot / 2, 1),
            )
        )
    step = max(1, -(-tallest // 4))
    ticks = [Tick(y=round(TOP + plot_h - plot_h * v / tallest, 1), value=v) for v in range(0, tallest + 1, step)]
    return Chart(
        width=WIDTH,
        height=HEIGHT,
        bars=bars,
        ticks=ticks,
        baseline=TOP + plot_h,
        left=LEFT,
        right_edge=WIDTH - RIGHT,
        low_label=_num(bins[0].low) if bins else "",
        high_label=_num(bins[-1].high) if bins else "",
        center=LEFT + plot_w / 2,
    )
