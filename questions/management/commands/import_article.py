"""Import an article (.txt, .md or .html) as a source's passages, in one step."""

from datetime import date
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from questions.articles import save_article, split_article


class Command(BaseCommand):
    help = (
        "Split FILE (.txt, .md or .html) into passages at paragraph breaks, with its section "
        "headings, and save it as the source --slug. Re-importing an edited article keeps the "
        "passages questions cite (matched by text) and reports those that changed."
    )

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--slug", required=True)
        parser.add_argument("--title", required=True)
        parser.add_argument("--published-on", type=date.fromisoformat, metavar="YYYY-MM-DD")

    def handle(self, *args, **options):
        path = Path(options["file"])
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            raise CommandError(f"Cannot read {path}: {error}") from None
        paragraphs = split_article(text, path.name)
        if not paragraphs:
            raise CommandError(f"{path} has no paragraphs.")
        saved = save_article(options["slug"], options["title"], paragraphs, options["published_on"])
        verb = "Created" if saved.created else "Updated"
        self.stdout.write(
            f"{verb} {saved.source.slug}: {len(paragraphs)} passages "
            f"({saved.kept} kept, {saved.added} new, {saved.removed} removed)."
        )
        for passage in saved.changed:
            count = passage.citations
            self.stdout.write(
                f"Changed: ¶{passage.position} (cited by {count} question{'s' * (count != 1)}) is no "
                f"longer in the article; kept for its questions: {passage.text[:80]}"
            )
