"""Pure text helpers for the question bank (no database)."""

import hashlib
import re
import unicodedata

_SPACE = re.compile(r"\s+")
_PUNCTUATION_AT_END = re.compile(r"[\s.?!:;,]+$")


def normalise_stem(stem: str) -> str:
    """The form two stems are compared in: Unicode-normalised, case-folded, one space between
    words, trailing punctuation dropped. "What is  COMCASA?" and "what is comcasa" are one stem."""
    text = unicodedata.normalize("NFKC", stem).casefold()
    text = _SPACE.sub(" ", text).strip()
    return _PUNCTUATION_AT_END.sub("", text)


def stem_fingerprint(stem: str) -> str:
    """A fixed-width key of the normalised stem, so a unique index can hold long stems."""
    return hashlib.sha256(normalise_stem(stem).encode()).hexdigest()
