"""Exports of the three reports. As in pretix: one generator per report yields the header row
and then the data rows; thin writers turn rows into CSV or XLSX.

Both writers stream. CSV lines go out as they are made (UTF-8 with a byte order mark, so Excel
reads Devanagari names); XLSX goes through openpyxl's write-only workbook, which keeps rows in
a temporary file rather than in memory. Times are written in India Standard Time. Text cells
that a spreadsheet would run as a formula are neutralised; numbers stay numbers, so a mark of
-0.66 is written as the number it is.
"""

import csv
import re
import tempfile
import zoneinfo
from collections.abc import Callable, Iterable, Iterator
from datetime import datetime
from decimal import Decimal
from typing import IO

from django.conf import settings
from django.http import FileResponse, StreamingHttpResponse
from django.utils import translation
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell

from lib.numbers import plain_number
from teaching import reports
from teaching.models import Assignment

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
TIME_FORMAT = "%Y-%m-%d %H:%M"


# --- the rows of each report ---------------------------------------------------------------


def score_table(assignment: Assignment) -> Iterator[list]:
    yield reports.SCORE_COLUMNS
    # In English, as every export (see matrix_table): the weakest topic's name too.
    with translation.override(settings.LANGUAGE_CODE):
        rows = reports.score_rows(assignment)
    for row in rows:
        yield row.cells()


def item_table(assignment: Assignment) -> Iterator[list]:
    questions = reports.report_questions(assignment)
    yield reports.item_columns(questions)
    for row in reports.item_rows(assignment, questions):
        yield row.cells()


def matrix_table(assignment: Assignment) -> Iterator[list]:
    questions = reports.report_questions(assignment)
    yield reports.matrix_columns(questions)
    for row in reports.matrix_rows(assignment, questions):
        # Exports are in English whoever downloads them (the page follows the teacher's
        # language): a file is shared, sorted and filtered by its words.
        with translation.override(settings.LANGUAGE_CODE):
            cells = row.export_cells()
        yield cells


TABLES: dict[str, Callable[[Assignment], Iterator[list]]] = {
    "scores": score_table,
    "items": item_table,
    "matrix": matrix_table,
}
TITLES = {"scores": "Scores", "items": "Item analysis", "matrix": "Learner x question"}


def filename(assignment: Assignment, kind: str, fmt: str) -> str:
    """Letters, digits and dashes only: a join code set in admin could hold a quote or a line
    break, which a Content-Disposition header cannot carry."""
    name = f"{assignment.classroom.join_code}-{assignment.quiz.slug}-{kind}"
    return re.sub(r"[^A-Za-z0-9_-]", "", name) + f".{fmt}"


# --- cells ---------------------------------------------------------------------------------


def neutralise(text: str) -> str:
    """A text cell a spreadsheet would read as a formula, made plain text with a quote."""
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text


def in_display_zone(moment: datetime) -> datetime:
    return moment.astimezone(zoneinfo.ZoneInfo(settings.DISPLAY_TIME_ZONE))


def csv_cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, (int, float, Decimal)):
        return plain_number(value)
    if isinstance(value, datetime):
        return in_display_zone(value).strftime(TIME_FORMAT)
    return neutralise(str(value))


# --- writers -------------------------------------------------------------------------------


class _Echo:
    """A file-like object whose write returns the line, so csv.writer can feed a generator."""

    def write(self, value: str) -> str:
        return value


def csv_lines(rows: Iterable[list]) -> Iterator[str]:
    writer = csv.writer(_Echo())
    yield "\ufeff"
    for row in rows:
        yield writer.writerow([csv_cell(value) for value in row])


def write_csv(rows: Iterable[list], out: IO[bytes]) -> None:
    for line in csv_lines(rows):
        out.write(line.encode("utf-8"))


def write_xlsx(rows: Iterable[list], out, title: str) -> None:
    """Rows into a write-only workbook saved to `out` (a path or a binary file)."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=title[:31])
    for row in rows:
        sheet.append([_xlsx_cell(sheet, value) for value in row])
    workbook.save(out)


def _xlsx_cell(sheet, value):
    if isinstance(value, datetime):
        cell = WriteOnlyCell(sheet, value=in_display_zone(value).replace(tzinfo=None))
        cell.number_format = "yyyy-mm-dd hh:mm"
        return cell
    if isinstance(value, str):
        # A string starting with "=" would be stored as a formula; as a string it is only text.
        cell = WriteOnlyCell(sheet, value=value)
        cell.data_type = "s"
        return cell
    return value


def csv_response(assignment: Assignment, kind: str) -> StreamingHttpResponse:
    response = StreamingHttpResponse(csv_lines(TABLES[kind](assignment)), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename(assignment, kind, "csv")}"'
    return response


def xlsx_response(assignment: Assignment, kind: str) -> FileResponse:
    # The temporary file is deleted when FileResponse closes it after sending.
    out = tempfile.TemporaryFile(suffix=".xlsx")
    write_xlsx(TABLES[kind](assignment), out, TITLES[kind])
    out.seek(0)
    return FileResponse(out, as_attachment=True, filename=filename(assignment, kind, "xlsx"), content_type=XLSX_TYPE)
