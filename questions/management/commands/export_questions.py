"""Export questions to a file that import_questions (or Moodle, for GIFT and Aiken) reads back."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from questions.formats.service import FORMATS, export_questions
from questions.models import Question, Source


class Command(BaseCommand):
    help = (
        "Export questions, every status, ordered by source and id. CSV is UTF-8 with a byte order "
        "mark so Excel reads non-Latin text; CSV and XLSX cells that start with = + - or @ get a "
        "leading ' so spreadsheets do not run them (import_questions takes it off again). Aiken "
        "has no place for explanations: we add an EXPLANATION: line, which --plain-aiken leaves "
        "out for Moodle (use GIFT to carry explanations to Moodle)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--format", choices=FORMATS, required=True)
        parser.add_argument("--source", metavar="SLUG", help="Only this source's questions.")
        parser.add_argument(
            "--status", choices=Question.Status.values, help="Only questions in this status."
        )
        parser.add_argument("-o", "--output", required=True, metavar="FILE", help="The file to write.")
        parser.add_argument("--plain-aiken", action="store_true", help="Aiken without EXPLANATION: lines.")

    def handle(self, *args, **options):
        questions = Question.objects.order_by("source__title", "source_id", "id")
        if options["source"]:
            source = Source.objects.filter(slug=options["source"]).first()
            if source is None:
                raise CommandError(f"No source with the slug “{options['source']}”.")
            questions = questions.filter(source=source)
        if options["status"]:
            questions = questions.filter(status=options["status"])
        data = export_questions(questions, options["format"], aiken_explanations=not options["plain_aiken"])
        try:
            Path(options["output"]).write_bytes(data)
        except OSError as error:
            raise CommandError(f"Cannot write {options['output']}: {error.strerror}.") from None
        count = questions.count()
        self.stdout.write(f"Exported {count} question{'s' if count != 1 else ''} to {options['output']}.")
