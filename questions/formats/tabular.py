"""CSV, XLSX and JSON, as django-import-export formats so the admin's import and export use them.

Each reader turns a file into a tablib dataset with our columns plus the hidden line column, so
every problem is reported at the line (or sheet row) a teacher can find. Files are read as bytes
and decoded here, to name the line of a byte that is not UTF-8.

Writers protect spreadsheet cells against formula injection; CSV starts with a byte order mark
so Excel opens Devanagari and other non-Latin text correctly.
"""

import csv
import io
import json
import re
import zipfile

import tablib
from import_export.formats import base_formats

from django.utils.translation import gettext, gettext_lazy as _, ngettext

from questions.formats import rules
from questions.formats.rows import (
    BOOKKEEPING,
    LINE,
    PROBLEM,
    WHERE,
    REQUIRED_COLUMNS,
    BankImportError,
    Problem,
    cell_text,
    check_size,
    decode_utf8,
    protect_formula,
    unprotect_formula,
)

BOM = "\ufeff"
NOT_A_LIST = _("The JSON file must hold a list of questions: [{\"stem\": …}, …].")
NOT_XLSX = _("Not an XLSX workbook: save the sheet from Excel as .xlsx and import it again.")
NOT_AN_OBJECT = _(
    "Not a question: each item of the list must be an object with a stem, options and correct."
)


def _header(cell) -> str:
    """'Option A' and 'option_a' name the same column."""
    return cell_text(cell).lower().replace(" ", "_")


def _dataset(records: list[tuple], *, protected: bool, what: str) -> tablib.Dataset:
    """A dataset from (line, cells, problem) records, the first of them the header; a record
    may add where its row is, said in place of its line (see rows.WHERE). `what` names the
    file in the reader's language: "CSV file", "sheet"."""
    if not records:
        empty = gettext("The %(what)s is empty: it needs a header row and one row per question.") % {"what": what}
        raise BankImportError([Problem(1, empty)])
    header_line, header, _no_problem = records[0]
    # A column named like our own bookkeeping columns (a JSON key "_line") would stand in for
    # them: renamed, it is one more column no row reads.
    headers = [f"_ignored{h}" if h in BOOKKEEPING else h for h in (_header(cell) for cell in header)]
    while headers and not headers[-1]:
        headers.pop()
    missing = [c for c in REQUIRED_COLUMNS if c not in headers]
    if missing:
        reason = ngettext("Missing column: %(columns)s.", "Missing columns: %(columns)s.", len(missing)) % {
            "columns": ", ".join(missing)
        }
        raise BankImportError([Problem(header_line, reason)])
    dataset = tablib.Dataset(headers=[LINE, PROBLEM, WHERE, *headers])
    width = len(headers)
    for line, cells, problem, *where in records[1:]:
        extra = [c for c in cells[width:] if cell_text(c)]
        if extra:
            problem = gettext(
                "This row has %(cells)d cells but the header has %(width)d: put cells that contain "
                "commas in double quotes."
            ) % {"cells": width + len(extra), "width": width}
        cells = list(cells[:width]) + [""] * (width - len(cells))
        if protected:
            cells = [unprotect_formula(cell_text(c)) for c in cells]
        dataset.append([line, problem, where[0] if where else "", *cells])
    return dataset


def _protected(dataset: tablib.Dataset) -> tablib.Dataset:
    out = tablib.Dataset(headers=dataset.headers)
    for row in dataset:
        out.append([protect_formula(c) if isinstance(c, str) else c for c in row])
    return out


def _text(in_stream) -> str:
    if isinstance(in_stream, bytes):
        check_size(in_stream)
        return decode_utf8(in_stream)
    check_size(in_stream.encode())
    return in_stream


def _refuse(line: int, reason: str) -> BankImportError:
    return BankImportError([Problem(line, reason)])


def _check_count(records: list) -> None:
    """Called as each record is added: the header and at most MAX_IMPORT_QUESTIONS rows."""
    if len(records) > rules.MAX_IMPORT_QUESTIONS + 1:
        raise _refuse(records[-1][0], rules.TOO_MANY_QUESTIONS)


class QuestionCSV(base_formats.CSV):
    def is_binary(self) -> bool:
        # Read as bytes so decode_utf8 can report the line of a bad byte.
        return True

    def get_read_mode(self) -> str:
        return "rb"

    def create_dataset(self, in_stream, **kwargs) -> tablib.Dataset:
        reader = csv.reader(io.StringIO(_text(in_stream), newline=""))
        records = []
        start = 1
        try:
            for cells in reader:
                if any(c.strip() for c in cells):
                    records.append((start, cells, ""))
                    _check_count(records)
                start = reader.line_num + 1
        except csv.Error as error:
            raise BankImportError([Problem(reader.line_num, gettext("Not readable as CSV: %(error)s.") % {"error": error})]) from None
        return _dataset(records, protected=True, what=gettext("CSV file"))

    def export_data(self, dataset, **kwargs) -> str:
        return BOM + _protected(dataset).export("csv")


class QuestionXLSX(base_formats.XLSX):
    def create_dataset(self, in_stream) -> tablib.Dataset:
        """Formulas are read as the values Excel last worked out for them (data_only), never
        as formulas. The sheet's own claim of its size is ignored (reset_dimensions): a sheet
        claiming A1:XFD1048576 would otherwise be padded to 16384 columns on every row."""
        import openpyxl

        check_size(in_stream)
        _check_unpacked_size(in_stream)
        records = []
        try:
            book = openpyxl.load_workbook(io.BytesIO(in_stream), read_only=True, data_only=True)
            try:
                sheet = book.active
                sheet.reset_dimensions()
                rows = sheet.iter_rows(values_only=True, max_col=rules.MAX_SHEET_COLUMNS)
                for number, values in enumerate(rows, 1):
                    if number > rules.MAX_SHEET_ROWS:
                        raise _refuse(number, rules.SHEET_TOO_LONG)
                    if any(v is not None and cell_text(v) for v in values):
                        records.append((number, list(values), ""))
                        _check_count(records)
            finally:
                book.close()
        except BankImportError:
            raise
        except Exception:
            # Whatever a damaged or hostile file makes the zip, XML or openpyxl code raise
            # (bad zip, missing part, malformed XML, entity expansion refused by expat...), it
            # is not a workbook we can read.
            raise _refuse(1, NOT_XLSX) from None
        return _dataset(records, protected=True, what=gettext("sheet"))

    def export_data(self, dataset, **kwargs) -> bytes:
        return super().export_data(_protected(dataset), **kwargs)


class QuestionJSON(base_formats.JSON):
    """A list of objects with the spreadsheet's keys. Objects may leave keys out."""

    def is_binary(self) -> bool:
        return True

    def get_read_mode(self) -> str:
        return "rb"

    def create_dataset(self, in_stream, **kwargs) -> tablib.Dataset:
        items = _json_items(_text(in_stream))
        keys: list[str] = []
        for _, item in items:
            if isinstance(item, dict):
                keys += [_header(k) for k in item if _header(k) not in keys]
        records = [(1, keys, "")]
        # A file written on one line (or with two questions on a line) gives no line that tells
        # its rows apart: each is named by its number and stem, and numbered so.
        by_number = len({line for line, _ in items}) < len(items)
        for number, (line, item) in enumerate(items, 1):
            where = _json_where(number, item) if by_number else ""
            line = number if by_number else line
            if isinstance(item, dict):
                values = {_header(k): _storable(v) for k, v in item.items()}
                problem = rules.LONE_SURROGATE_IN_TEXT if values != {_header(k): v for k, v in item.items()} else ""
                nested = [k for k, v in values.items() if isinstance(v, (dict, list))]
                if nested:
                    problem = rules.json_value_not_text(nested[0], values[nested[0]])
                    # Shown in the preview as the file wrote it, not as Python's repr.
                    values.update({k: json.dumps(values[k], ensure_ascii=False)[:200] for k in nested})
                records.append((line, [values.get(k, "") for k in keys], problem, where))
            else:
                records.append((line, [""] * len(keys), NOT_AN_OBJECT, where))
        return _dataset(records, protected=False, what=gettext("JSON list"))

    def export_data(self, dataset, **kwargs) -> str:
        return json.dumps(dataset.dict, ensure_ascii=False, indent=2) + "\n"


def _json_where(number: int, item) -> str:
    stem = item.get("stem") if isinstance(item, dict) else None
    if not isinstance(stem, str) or not stem.strip():
        return gettext("Question %(number)d") % {"number": number}
    words = " ".join(_storable(stem).split())
    excerpt = words if len(words) <= 40 else words[:41].rsplit(" ", 1)[0].rstrip(" ,;:") + "…"
    return gettext("Question %(number)d (“%(stem)s”)") % {"number": number, "stem": excerpt}


def _storable(value):
    """`value` with any lone surrogate (JSON's "\\ud800": half a UTF-16 pair, which no
    database stores as text, and which failed the import's first query) made U+FFFD, so the
    row's other checks still run; the row is refused for it."""
    if isinstance(value, str):
        return value.encode("utf-8", "surrogatepass").decode("utf-8", "replace")
    return value


def _check_unpacked_size(data: bytes) -> None:
    """Refuse a workbook that unpacks to too much, from the sizes its zip directory declares
    (zipfile never reads more than a member's declared size)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(member.file_size for member in archive.infolist())
    except (zipfile.BadZipFile, ValueError, OSError, EOFError):
        raise _refuse(1, NOT_XLSX) from None
    if unpacked > rules.MAX_XLSX_UNPACKED_BYTES:
        raise _refuse(1, rules.XLSX_UNPACKS_TOO_LARGE)


_SPACE = " \t\r\n"
_SPACES = re.compile(r"[ \t\r\n]*")


def _json_items(text: str) -> list[tuple[int, object]]:
    """The items of a JSON list, each with the line its value starts on. Read item by item,
    stopping at the one past MAX_IMPORT_QUESTIONS: a 5 MB list of a million empty objects
    once became a million dicts before it was counted."""
    decoder = json.JSONDecoder()
    index = len(text) - len(text.lstrip(_SPACE))
    if not text.startswith("[", index):
        # Not a list: json.loads says whether it is JSON at all, and where it is not.
        _loads(text)
        raise _refuse(1, NOT_A_LIST)
    items = []
    index += 1
    line, counted = 1, 0
    while True:
        index = _skip_space(text, index)
        if text.startswith("]", index) and not items:
            break
        # Lines counted from the previous item on, not from the start each time.
        line += text.count("\n", counted, index)
        counted = index
        item, index = _decode(decoder, text, index)
        items.append((line, item))
        if len(items) > rules.MAX_IMPORT_QUESTIONS:
            raise _refuse(line, rules.TOO_MANY_QUESTIONS)
        index = _skip_space(text, index)
        if text.startswith(",", index):
            index += 1
        elif text.startswith("]", index):
            break
        else:
            _invalid(json.JSONDecodeError("Expecting ',' delimiter", text, index))
    if _skip_space(text, index + 1) != len(text):
        _invalid(json.JSONDecodeError("Extra data", text, _skip_space(text, index + 1)))
    return items


def _skip_space(text: str, index: int) -> int:
    return _SPACES.match(text, index).end()


def _loads(text: str):
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        _invalid(error)
    except RecursionError:
        raise _refuse(1, rules.JSON_TOO_DEEP) from None
    except ValueError:  # an integer past Python's 4300-digit limit on int() from text
        raise _refuse(1, rules.JSON_NUMBER_TOO_LONG) from None


def _decode(decoder: json.JSONDecoder, text: str, index: int):
    try:
        return decoder.raw_decode(text, index)
    except json.JSONDecodeError as error:
        _invalid(error)
    except RecursionError:
        raise _refuse(1, rules.JSON_TOO_DEEP) from None
    except ValueError:
        raise _refuse(1, rules.JSON_NUMBER_TOO_LONG) from None


def _invalid(error: json.JSONDecodeError):
    # Python's own words for what is wrong stay English: they name JSON's syntax.
    reason = gettext("Not valid JSON: %(error)s (column %(column)d).") % {"error": error.msg, "column": error.colno}
    raise BankImportError([Problem(error.lineno, reason)]) from None
