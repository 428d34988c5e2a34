"""Look-alike usernames (issue 15, item 11): `аlice` (Cyrillic а) signed up beside `alice`.

A username is refused when a skeleton of it, in the sense of Unicode TR39 (section 4,
"Confusable Detection"), equals one of an existing name's. A skeleton: NFKC (fullwidth `ａｌｉｃｅ`
is `alice`), each character replaced by the prototype Unicode's confusables data gives it
(Cyrillic `а` is Latin `a`, `1` is `l`), case folded and normalised again, until nothing changes.
Case is folded at two moments, so a name has two skeletons: folded first (`ALICE` is `alice`),
and mapped as written (a capital `I` is an `l` before it is an `i`: `aIice` is `alice`).

The data is Unicode's confusables.txt as the confusable-homoglyphs package ships it. That
package answers "is this string confusable at all?", not "what is its skeleton?", and keeps
each source-to-prototype pair in both directions; `_prototypes` reads the direction back: a
prototype lists its sources, a source lists its one prototype.

Each user's skeleton is stored (`UsernameSkeleton`, indexed) whenever a username is saved,
however it is saved, so the check is one indexed query.
"""

import hashlib
import unicodedata
from functools import lru_cache

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

# Right-to-left characters are stored with direction marks around them.
_MARKS = "\u200e\u200f"

LOOKALIKE_MESSAGE = _(
    "This username looks too much like one already taken (letters from another alphabet, or "
    "digits and capitals that read the same). Choose one that reads differently."
)


@lru_cache(maxsize=1)
def _prototypes() -> dict[str, str]:
    from confusable_homoglyphs.confusables import confusables_data

    table: dict[str, str] = {}
    singles: dict[str, str] = {}
    for key, entries in confusables_data.items():
        key = key.strip(_MARKS)
        homoglyphs = [entry["c"].strip(_MARKS) for entry in entries]
        if len(homoglyphs) == 1 and len(key) == 1:
            singles[key] = homoglyphs[0]  # a source and its prototype, or a prototype with one source
            continue
        for source in homoglyphs:
            if len(source) == 1 and source != key:
                table[source] = key
    for key, other in singles.items():
        if key in table:
            continue
        if singles.get(other) == key:
            # A prototype with a single source reads both ways: either spelling maps to one.
            canonical = min(key, other)
            if key != canonical:
                table[key] = canonical
        else:
            table[key] = other
    return table


def skeleton(username: str, fold_first: bool = True) -> str:
    """What `username` looks like: two names with one skeleton are confusable."""
    table = _prototypes()
    text = unicodedata.normalize("NFKC", username)
    text = text.casefold() if fold_first else "".join(table.get(char, char) for char in text)
    for _round in range(4):
        mapped = unicodedata.normalize("NFKC", "".join(table.get(char, char) for char in text)).casefold()
        if mapped == text:
            break
        text = mapped
    return text


def skeleton_keys(username: str) -> tuple[str, str]:
    """The two skeletons as stored: digests, as NFKC can make a 150-character name thousands of
    bytes long, past what a database index takes."""
    return tuple(hashlib.sha256(skeleton(username, fold).encode("utf-8", "surrogatepass")).hexdigest() for fold in (True, False))


def refuse_lookalike(username: str, user=None) -> None:
    """Raise a form error when `username` is confusable with another user's (not `user`'s own)."""
    from accounts.models import UsernameSkeleton

    keys = skeleton_keys(username)
    taken = UsernameSkeleton.objects.filter(Q(key__in=keys) | Q(key_as_written__in=keys))
    if user is not None and user.pk is not None:
        taken = taken.exclude(user_id=user.pk)
    if taken.exists():
        raise forms.ValidationError(LOOKALIKE_MESSAGE, code="lookalike")
