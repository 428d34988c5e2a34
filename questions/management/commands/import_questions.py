"""Import a question bank file into one source, all or nothing."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, no_translations

from questions.formats import rules
from questions.formats.rows import BankImportError
from questions.formats.service import ENGLISH, FORMATS, LANGUAGES, TABULAR, import_file, import_translations, read_rows
from questions.models import Source, Topic


class Command(BaseCommand):
    help = (
        "Import questions from FILE into the source --source, all or nothing: if any row has a "
        "problem (missing or second correct answer, empty stem, not UTF-8, an "
        "unsupported GIFT question type, a stem already in the file or the source) nothing is "
        "written and every problem is listed with its line. Questions are imported as drafts, for "
        "an editor to review in admin; --publish publishes them at once (every question then needs "
        "an explanation). CSV, XLSX and JSON use the columns stem, option_a..option_d (option_e, "
        "option_f optional), correct (a letter), explanation, topic (slug), difficulty, passage "
        "(paragraph number in the source), passage_contradicts_key (yes when the passage gets the key "
        "wrong), style and topic_name. --topic is the topic of rows that name none; in GIFT, a "
        "$CATEGORY naming one of our topics (by slug or name) sets it. A topic the bank lacks is "
        "created from the file (its slug, and the topic_name column or GIFT's `// pariksha topic:` "
        "line), as Moodle creates categories; --no-create-topics refuses such rows instead. The "
        "source must exist: its paragraphs, which questions cite, are in no import file. CSV, XLSX and "
        "JSON may carry the Hindi beside the English (stem_hi, option_a_hi.., explanation_hi, "
        "topic_name_hi). A GIFT or Aiken file holds one language: --language hi reads a Hindi file "
        "(written by export_questions --language hi) and adds its Hindi to the questions it "
        "translates, found by the key each carries; it creates no question."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="The file to import.")
        parser.add_argument("--format", choices=FORMATS, required=True, help="The file's format.")
        parser.add_argument(
            "--source", required=True, metavar="SLUG", help="Slug of the source the questions come from."
        )
        parser.add_argument("--topic", metavar="SLUG", help="Topic for rows that name none.")
        parser.add_argument(
            "--publish", action="store_true", help="Publish the questions (default: drafts)."
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Report what would be created; write nothing."
        )
        parser.add_argument(
            "--no-create-topics",
            action="store_true",
            help="Refuse rows naming a topic the bank lacks, instead of creating it.",
        )
        parser.add_argument(
            "--language",
            choices=LANGUAGES,
            default=ENGLISH,
            help="GIFT and Aiken: the file's language. en (default) creates questions; hi adds the "
            "Hindi of questions the source has.",
        )

    # The command line reads English, whichever language the process last served (the rules'
    # words follow the active language, which in admin is the editor's).
    @no_translations
    def handle(self, *args, **options):
        if options["language"] != ENGLISH:
            if options["format"] in TABULAR:
                raise CommandError(str(rules.TABULAR_BOTH_LANGUAGES))
            if options["publish"] or options["topic"]:
                raise CommandError(
                    "A Hindi file adds the Hindi of questions the bank has and creates none: "
                    "--publish and --topic do not apply to it."
                )
        source = Source.objects.filter(slug=options["source"]).first()
        if source is None:
            raise CommandError(rules.unknown_source(options["source"]))
        topic = None
        if options["topic"]:
            topic = Topic.objects.filter(slug=options["topic"]).first()
            if topic is None:
                raise CommandError(f"No topic with the slug “{options['topic']}”.")
        try:
            data = Path(options["file"]).read_bytes()
        except OSError as error:
            raise CommandError(f"Cannot read {options['file']}: {error.strerror}.") from None
        if options["language"] != ENGLISH:
            return self._translations(data, source, options)
        try:
            report = import_file(
                data,
                options["format"],
                source,
                default_topic=topic,
                publish=options["publish"],
                dry_run=options["dry_run"],
                create_topics=not options["no_create_topics"],
            )
        except BankImportError as error:
            raise CommandError(error.message) from None
        count = len(report.planned)
        if report.dry_run:
            self.stdout.write(
                f"Dry run: would create {count} question{'s' if count != 1 else ''} in “{source.slug}” "
                f"as {report.status}. Nothing was written."
            )
            self._topics("Would create", report.new_topics)
            for planned in report.planned:
                stem = " ".join(planned.row.stem.split())
                where = planned.row.where or f"line {planned.row.line}"
                self.stdout.write(f"  {where}: {stem[:80]} [{planned.topic.slug}]")
            return
        questions = f"{count} question{'s' if count != 1 else ''}"
        self.stdout.write(
            self.style.SUCCESS(f"Imported {questions} into “{source.slug}” as {report.status}.")
        )
        self._topics("Created", report.new_topics)

    def _translations(self, data: bytes, source, options) -> None:
        try:
            report = import_translations(read_rows(data, options["format"]), source, dry_run=options["dry_run"])
        except BankImportError as error:
            raise CommandError(error.message) from None
        count = len(report.matched)
        questions = f"{count} question{'s' if count != 1 else ''}"
        if report.dry_run:
            self.stdout.write(f"Dry run: would add the Hindi of {questions} in “{source.slug}”. Nothing was written.")
            for m in report.matched:
                self.stdout.write(f"  line {m.row.line}: #{m.question.pk} {' '.join(m.question.stem_en.split())[:80]}")
            return
        self.stdout.write(self.style.SUCCESS(f"Added the Hindi of {questions} in “{source.slug}”."))

    def _topics(self, verb: str, topics) -> None:
        if topics:
            self.stdout.write(f"{verb} {len(topics)} topic{'s' if len(topics) != 1 else ''} the bank lacked:")
            for topic in topics:
                self.stdout.write(f"  {topic.slug}: {topic.name}")
