"""Load the bundled article bank (its source, questions and quizzes) into a database that lacks
it, and leave it alone in one that has it.

`make run` runs this on every start. Loading the fixtures again each time (as it once did)
wrote the bundled rows over the same primary keys and silently undid every change editors had
made to those questions in admin.
"""

import json
from pathlib import Path

from django.apps import apps
from django.core.management import call_command
from django.db import transaction
from django.core.management.base import BaseCommand

from questions.models import Source

FIXTURES = ("article_source", "article_bank", "article_quizzes")
# The bank's Hindi, kept beside the English fixtures (tests/test_hindi_bank.py checks it): each
# row names an object and holds its texts' _hi columns.
TRANSLATIONS = ("article_source_hi.json", "article_bank_hi.json", "article_quizzes_hi.json")


def load_translations() -> int:
    """Write the bundled Hindi into the objects the fixtures just made; how many were updated."""
    folder = Path(apps.get_app_config("questions").path) / "translations"
    updated = 0
    for name in TRANSLATIONS:
        for row in json.loads((folder / name).read_text(encoding="utf-8")):
            model = apps.get_model(row["model"])
            updated += model.objects.filter(pk=row["pk"]).update(**row["fields"])
    return updated


def bank_source_slug() -> str:
    """The slug of the article the bundled bank is written on, read from its fixture."""
    path = Path(apps.get_app_config("questions").path) / "fixtures" / "article_source.json"
    rows = json.loads(path.read_text(encoding="utf-8"))
    return next(row["fields"]["slug"] for row in rows if row["model"] == "questions.source")


class Command(BaseCommand):
    help = "Load the bundled article bank unless the database already has it (editors' changes are kept)."

    def handle(self, *args, **options):
        slug = bank_source_slug()
        if Source.objects.filter(slug=slug).exists():
            self.stdout.write(f"The article bank is already loaded (source {slug}); left as it is.")
            return
        with transaction.atomic():
            call_command("loaddata", *FIXTURES, verbosity=0)
            load_translations()
        self.stdout.write(f"Loaded the article bank (source {slug}).")
