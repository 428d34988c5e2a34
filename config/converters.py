class DatabaseIdConverter:
    """A positive id that fits a 64-bit column. A longer number is no id of ours: it gets a
    404 instead of an overflow error from the database."""

    regex = "[0-9]{1,18}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value: int) -> str:
        return str(value)
