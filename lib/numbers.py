"""Numbers as people read them, the same on pages and in exports.

Exports keep numbers as numbers (`plain_number`: "-0.66", which a spreadsheet reads as one);
pages show them as text, with the typographic minus sign "−" (U+2212) of the printed marking
scheme ("+2 right, −0.66 wrong"), through `shown_number` and `with_minus` alone."""

from decimal import Decimal

MINUS = "\u2212"


def plain_number(value: Decimal | int | float, places: Decimal | None = None) -> str:
    """Without trailing zeros or exponent: 2.00 reads "2", 0.50 reads "0.5", -0.66 stays
    "-0.66". `places` (such as Decimal("0.01")) rounds first."""
    if isinstance(value, int) and places is None:
        return str(value)
    number = Decimal(str(value)) if isinstance(value, float) else Decimal(value)
    if places is not None:
        number = number.quantize(places)
    text = f"{number:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def with_minus(text: str) -> str:
    """A number's text with a typographic minus in place of the hyphen-minus: "−0.66"."""
    return MINUS + text[1:] if text.startswith("-") else text


def shown_number(value: Decimal | int | float, places: Decimal | None = None) -> str:
    """`plain_number` as a page shows it: -0.66 reads "−0.66"."""
    return with_minus(plain_number(value, places))
