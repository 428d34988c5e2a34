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
from django.core.management.base import BaseCommand

from questions.models import Source

FIXTURES = ("article_source", "article_bank", "article_quizzes")


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
        call_command("loaddata", *FIXTURES, verbosity=0)
        self.stdout.write(f"Loaded the article bank (source {slug}).")
