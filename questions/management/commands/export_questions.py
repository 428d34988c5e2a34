"""Export questions to a file that import_questions (or Moodle, for GIFT and Aiken) reads back."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, no_translations

from questions.formats import rules
from questions.formats.service import ENGLISH, FORMATS, HINDI, LANGUAGES, TABULAR, export_file
from questions.models import Question, Source


class Command(BaseCommand):
    help = (
        "Export questions, every status, ordered by source and id. CSV is UTF-8 with a byte order "
        "mark so Excel reads non-Latin text; CSV and XLSX cells that start with = + - or @ get a "
        "leading ' so spreadsheets do not run them (import_questions takes it off again). Aiken "
        "has no place for explanations: we add an EXPLANATION: line, which --plain-aiken leaves "
        "out for Moodle (use GIFT to carry explanations to Moodle). CSV, XLSX and JSON carry the Hindi "
        "beside the English (_hi columns); a GIFT or Aiken file holds one language, --language: "
        "a Hindi one holds the questions whose stem and options have Hindi, each with the key of "
        "its English stem, and import_questions --language hi adds its Hindi to those questions."
    )

    def add_arguments(self, parser):
        parser.add_argument("--format", choices=FORMATS, required=True)
        parser.add_argument("--source", metavar="SLUG", help="Only this source's questions.")
        parser.add_argument(
            "--status", choices=Question.Status.values, help="Only questions in this status."
        )
        parser.add_argument("-o", "--output", required=True, metavar="FILE", help="The file to write.")
        parser.add_argument("--plain-aiken", action="store_true", help="Aiken without EXPLANATION: lines.")
        parser.add_argument(
            "--language", choices=LANGUAGES, default=ENGLISH, help="GIFT and Aiken: the file's language (default en)."
        )

    # The command line reads English (see import_questions).
    @no_translations
    def handle(self, *args, **options):
        if options["language"] != ENGLISH and options["format"] in TABULAR:
            raise CommandError(str(rules.TABULAR_BOTH_LANGUAGES))
        questions = Question.objects.order_by("source__title", "source_id", "id")
        if options["source"]:
            source = Source.objects.filter(slug=options["source"]).first()
            if source is None:
                raise CommandError(f"No source with the slug “{options['source']}”.")
            questions = questions.filter(source=source)
        if options["status"]:
            questions = questions.filter(status=options["status"])
        export = export_file(
            questions, options["format"], aiken_explanations=not options["plain_aiken"], language=options["language"]
        )
        try:
            Path(options["output"]).write_bytes(export.data)
        except OSError as error:
            raise CommandError(f"Cannot write {options['output']}: {error.strerror}.") from None
        count = export.count
        self.stdout.write(f"Exported {count} question{'s' if count != 1 else ''} to {options['output']}.")
        if options["language"] == HINDI and export.left_out:
            self.stdout.write(
                f"Left out {export.left_out} question{'s' if export.left_out != 1 else ''} whose stem or "
                "options have no Hindi (the question list's filter “Hindi: missing” finds them)."
            )
