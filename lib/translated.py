"""Translated fields (django-modeltranslation) where its descriptor does not reach: inside a
query (`values()`, `F()`), where the field's own column holds the default language (English)
whatever the page's language is; in texts the app writes itself for every language; and in
admin's searches, which should find a text in any language."""

from collections.abc import Callable

from django.conf import settings
from django.db.models import CharField, F, Value
from django.db.models.functions import Coalesce, NullIf
from django.utils import translation


def in_reading_language(path: str):
    """The text at `path` (`topic__name`) in the active language, English where it has none, as
    the descriptor falls back."""
    default = settings.MODELTRANSLATION_DEFAULT_LANGUAGE
    language = translation.get_language()
    if language == default or language not in dict(settings.LANGUAGES):
        return F(f"{path}_{default}")
    # Two translation fields of one text: the same type, which Django cannot tell by itself.
    return Coalesce(NullIf(F(f"{path}_{language}"), Value("")), F(f"{path}_{default}"), output_field=CharField())


def written_in_every_language(field: str, write: Callable[[], str]) -> dict[str, str]:
    """The columns of translated `field` (`title_en`, `title_hi`), each the text `write()`
    gives with that language active: for texts the app writes itself (gettext, and translated
    fields read through their descriptors), which each reader then reads in their own language."""
    columns = {}
    for language, _ in settings.LANGUAGES:
        with translation.override(language):
            columns[f"{field}_{language}"] = write()
    return columns


def columns_in_every_language(*paths: str) -> tuple[str, ...]:
    """Each translated text's path (`stem`, `choices__text`) as its column in every language, for
    admin's search_fields: django-modeltranslation turns a plain `stem` into the reader's
    language only, and an editor reading Hindi would not find a question by its English words."""
    return tuple(f"{path}_{code}" for path in paths for code, _ in settings.LANGUAGES)
