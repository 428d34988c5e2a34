"""Formatting filters for quiz pages, loaded as builtins (see TEMPLATES in settings)."""

import math
from decimal import Decimal

from django import template
from django.utils.translation import gettext

from lib.numbers import shown_number, with_minus
from quiz.timing import factor_label

HUNDREDTHS = Decimal("0.01")

register = template.Library()


@register.filter
def ceil(value) -> int:
    """Whole seconds as a countdown shows them: 18.2 s left reads "19"."""
    return math.ceil(float(value))


@register.filter
def normalize(value) -> str:
    """2.00 reads "2", 0.66 stays "0.66", -1.32 reads "−1.32" (a typographic minus)."""
    if value is None or value == "":
        return ""
    return shown_number(Decimal(value), places=HUNDREDTHS)


@register.filter
def minus(value) -> str:
    """A number printed as it is, with a typographic minus: -0.25 reads "−0.25"."""
    return with_minus(str(value))


@register.filter
def duration(seconds) -> str:
    """A quiz's total time: 855 reads "14 min 15 s"."""
    minutes, rest = divmod(int(seconds or 0), 60)
    if minutes and rest:
        return gettext("%(minutes)s min %(seconds)s s") % {"minutes": minutes, "seconds": rest}
    if minutes:
        return gettext("%(minutes)s min") % {"minutes": minutes}
    return gettext("%(seconds)s s") % {"seconds": rest}


@register.filter
def times(factor) -> str:
    """A time factor as every page shows it: 1.50 reads "1.5×"."""
    return factor_label(Decimal(factor))


@register.filter
def clock(seconds) -> str:
    """A paper's time left as its clock shows it (paper.js writes the same): 4319.2 s reads
    "1:12:00", 59 reads "0:59"."""
    whole = math.ceil(float(seconds))
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"
