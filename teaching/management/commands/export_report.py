"""Write a class's report on an assigned quiz to a file, as the export buttons do."""

from django.core.management.base import BaseCommand, CommandError

from teaching import exports
from teaching.models import Assignment, normalise_join_code


class Command(BaseCommand):
    help = "Export a report (scores, items or matrix) of a class and an assigned quiz as CSV or XLSX."

    def add_arguments(self, parser):
        parser.add_argument("--class", dest="code", required=True, help="The class's join code.")
        parser.add_argument("--quiz", dest="slug", required=True, help="The assigned quiz's slug.")
        parser.add_argument("--kind", choices=sorted(exports.TABLES), required=True)
        parser.add_argument("--format", dest="fmt", choices=["csv", "xlsx"], required=True)
        parser.add_argument("-o", "--output", required=True, help="The file to write.")

    def handle(self, *args, code, slug, kind, fmt, output, **options):
        assignment = (
            Assignment.objects.select_related("classroom", "quiz")
            .filter(classroom__join_code=normalise_join_code(code), quiz__slug=slug)
            .first()
        )
        if assignment is None:
            raise CommandError(f"No class with code {code} has the quiz {slug!r} assigned.")
        rows = exports.TABLES[kind](assignment)
        if fmt == "csv":
            with open(output, "wb") as out:
                exports.write_csv(rows, out)
        else:
            exports.write_xlsx(rows, output, exports.TITLES[kind])
        self.stdout.write(f"Wrote the {kind} report of {assignment} to {output}.")
