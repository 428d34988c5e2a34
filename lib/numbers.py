"""Numbers as people read them, the same on pages and in exports."""

from decimal import Decimal


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
