"""The row model every import and export format speaks: one question as plain values.

Readers turn a file into QuestionRows, each with the line it starts on and any problem found
while reading it; writers turn QuestionRows into a file. Nothing here touches the database.
"""

import re
from dataclasses import dataclass, field

import tablib
from django.utils.translation import gettext, ngettext

from questions.formats.rules import (
    LETTERS,
    MAX_IMPORT_BYTES,
    MAX_OPTIONS,
    NUL_IN_FILE,
    UTF16,
    at_line,
    file_too_large,
    letter,
    not_a_yes_or_no,
    not_utf8,
)

OPTION_COLUMNS = [f"option_{c}" for c in LETTERS.lower()]
OPTION_HI_COLUMNS = [f"{c}_hi" for c in OPTION_COLUMNS]
# The Hindi beside each English text (django-modeltranslation's _hi columns), after the English
# columns so a file written before them reads the same. Optional on import.
HINDI_COLUMNS = ["stem_hi", *OPTION_HI_COLUMNS, "explanation_hi", "topic_name_hi"]
# The spreadsheet columns, in order. option_e and option_f (and their _hi) are written only when
# a question has five or six options.
COLUMNS = [
    "stem", *OPTION_COLUMNS, "correct", "explanation", "topic", "topic_name", "difficulty", "passage",
    "passage_contradicts_key", "style", *HINDI_COLUMNS,
]
REQUIRED_COLUMNS = ["stem", "option_a", "option_b", "correct"]
# Hidden columns our readers add to a dataset: where each row starts in the file, and a problem
# found while reading it (a ragged row, a JSON item that is not an object).
LINE = "_line"
PROBLEM = "_problem"
# Where the row is, when a line number would not tell rows apart: a JSON file written on one
# line names its rows "Question 3 (“What does…”)" instead.
WHERE = "_where"
BOOKKEEPING = (LINE, PROBLEM, WHERE)

# A leading = + - or @ makes Excel run the cell as a formula. Exports prefix such cells with
# one ' (and cells that already start with ' before one of those, so the mapping reverses);
# imports take exactly that one ' off again.
_FORMULA_START = re.compile(r"^'*[=+\-@]")
_PROTECTED = re.compile(r"^'+[=+\-@]")
_CORRECT_SEPARATORS = re.compile(r"[\s,;/&.()]+|\bAND\b")
# ASCII digits only: "²" and "١" are digits to str.isdigit() but not to int().
_PARAGRAPH_NUMBER = re.compile(r"[0-9]{1,9}")


@dataclass
class QuestionRow:
    stem: str
    options: list[str]
    # Positions of the options marked correct; a good row has exactly one.
    correct: list[int]
    explanation: str = ""
    # A topic slug (or name); empty means the import's default topic.
    topic: str = ""
    difficulty: str = ""
    passage: int | None = None
    # The cited passage states the key wrongly (the article's slip), not in support of it.
    passage_contradicts_key: bool = False
    style: str = ""
    # The topic's name, for an import that creates the topic: a file moving between servers
    # carries it beside the slug.
    topic_name: str = ""
    line: int = 0
    problems: list[str] = field(default_factory=list)
    # GIFT categories are Moodle's course structure and often name no topic of ours: such a
    # row falls back to the default topic instead of failing.
    topic_is_hint: bool = False
    # The Hindi of the texts above ("" where there is none), which CSV, XLSX and JSON carry
    # beside the English.
    stem_hi: str = ""
    options_hi: list[str] = field(default_factory=list)
    explanation_hi: str = ""
    topic_name_hi: str = ""
    # A Hindi GIFT or Aiken file holds one language: each question carries the key of the
    # English stem it translates (Question.stem_key), which finds it in the bank.
    key: str = ""
    # Where the row is, when `line` (then the question's number) would not say: see WHERE.
    where: str = ""

    def problem(self, reason: str) -> "Problem":
        return Problem(self.line, reason, self.where)


@dataclass(frozen=True)
class Problem:
    line: int
    reason: str
    # Said in place of "line N" when set.
    where: str = ""

    def __str__(self) -> str:
        return f"{self.where or at_line(self.line)}: {self.reason}"


class BankImportError(Exception):
    """An import that wrote nothing, listing every problem found, one per bad row and reason."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(problems, key=lambda p: p.line)
        super().__init__(self.message)

    @property
    def message(self) -> str:
        count = len(self.problems)
        head = ngettext(
            "Nothing was imported. Fix this problem and import the file again:",
            "Nothing was imported. Fix these %(count)d problems and import the file again:",
            count,
        ) % {"count": count}
        return "\n".join([head, *(f"  {p}" for p in self.problems)])


def check_size(data: bytes) -> None:
    if len(data) > MAX_IMPORT_BYTES:
        raise BankImportError([Problem(1, file_too_large(len(data)))])


def decode_utf8(data: bytes) -> str:
    """The file's text; a byte order mark is allowed (Excel writes one). UTF-16 (Excel's
    "Unicode text") and anything with NUL bytes are refused by name: PostgreSQL cannot store a
    NUL, and UTF-16 without a byte order mark would otherwise pass as UTF-8 full of NULs."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise BankImportError([Problem(1, UTF16)])
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        raise BankImportError([Problem(line, not_utf8(data[error.start]))]) from None
    if "\x00" in text:
        line = text.count("\n", 0, text.index("\x00")) + 1
        raise BankImportError([Problem(line, NUL_IN_FILE)])
    return text


def cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def protect_formula(text: str) -> str:
    return f"'{text}" if _FORMULA_START.match(text) else text


def unprotect_formula(text: str) -> str:
    return text[1:] if _PROTECTED.match(text) else text


def parse_correct(value: str) -> tuple[list[int], str | None]:
    """Option positions from 'B', '(b)', 'A, C' or 'AC'; a problem if it is not letters."""
    tokens = [t for t in _CORRECT_SEPARATORS.split(value.strip().upper()) if t]
    if len(tokens) == 1 and len(tokens[0]) > 1 and set(tokens[0]) <= set(LETTERS):
        tokens = list(tokens[0])
    if any(len(t) != 1 or t not in LETTERS for t in tokens):
        return [], gettext("Correct answer must be a letter A to F, not “%(value)s”.") % {"value": value.strip()}
    return sorted({LETTERS.index(t) for t in tokens}), None


YES = {"yes", "y", "true", "1"}
NO = {"", "no", "n", "false", "0"}


def parse_yes_no(value: str, column: str) -> tuple[bool, str | None]:
    folded = value.strip().casefold()
    if folded in YES or folded in NO:
        return folded in YES, None
    return False, not_a_yes_or_no(column, value.strip())


def parse_passage(value: str) -> tuple[int | None, str | None]:
    if not value:
        return None, None
    if _PARAGRAPH_NUMBER.fullmatch(value) and int(value) > 0:
        return int(value), None
    return None, gettext("Passage must be a paragraph number of the source, not “%(value)s”.") % {"value": value}


def rows_from_dataset(dataset: tablib.Dataset) -> list[QuestionRow]:
    """Rows from a dataset made by one of our tabular readers (it carries the line column)."""
    rows = []
    for record in dataset.dict:
        cells = {key: cell_text(value) for key, value in record.items()}
        row = QuestionRow(
            stem=cells.get("stem", ""),
            options=[],
            correct=[],
            explanation=cells.get("explanation", ""),
            topic=cells.get("topic", ""),
            topic_name=cells.get("topic_name", ""),
            difficulty=cells.get("difficulty", "").lower(),
            style=cells.get("style", "").lower(),
            line=int(cells[LINE]),
            where=cells.get(WHERE, ""),
        )
        if cells.get(PROBLEM):
            row.problems.append(cells[PROBLEM])
        texts = [cells.get(column, "") for column in OPTION_COLUMNS]
        while texts and not texts[-1]:
            texts.pop()
        gaps = [letter(i) for i, text in enumerate(texts) if not text]
        if gaps:
            row.problems.append(
                gettext("Option %(letter)s is empty but a later option is not: fill the options in order from A.")
                % {"letter": gaps[0]}
            )
        row.options = texts
        row.stem_hi = cells.get("stem_hi", "")
        row.explanation_hi = cells.get("explanation_hi", "")
        row.topic_name_hi = cells.get("topic_name_hi", "")
        hindi = [cells.get(column, "") for column in OPTION_HI_COLUMNS]
        while hindi and not hindi[-1]:
            hindi.pop()
        if len(hindi) > len(texts):
            row.problems.append(
                gettext("Option %(letter)s has Hindi but no English: write the option in English too.")
                % {"letter": letter(len(hindi) - 1)}
            )
        row.options_hi = hindi
        row.correct, problem = parse_correct(cells.get("correct", ""))
        if problem:
            row.problems.append(problem)
        row.passage, problem = parse_passage(cells.get("passage", ""))
        if problem:
            row.problems.append(problem)
        row.passage_contradicts_key, problem = parse_yes_no(
            cells.get("passage_contradicts_key", ""), "passage_contradicts_key"
        )
        if problem:
            row.problems.append(problem)
        rows.append(row)
    return rows


def row_values(row: QuestionRow, option_count: int = 4) -> dict[str, object]:
    """One row as spreadsheet cells, with `option_count` option columns."""
    options = row.options + [""] * (option_count - len(row.options))
    options_hi = row.options_hi + [""] * (option_count - len(row.options_hi))
    return {
        "stem": row.stem,
        **{OPTION_COLUMNS[i]: text for i, text in enumerate(options[:option_count])},
        "correct": ",".join(letter(p) for p in row.correct),
        "explanation": row.explanation,
        "topic": row.topic,
        "topic_name": row.topic_name,
        "difficulty": row.difficulty,
        "passage": row.passage if row.passage is not None else "",
        "passage_contradicts_key": "yes" if row.passage_contradicts_key else "",
        "style": row.style,
        "stem_hi": row.stem_hi,
        **{OPTION_HI_COLUMNS[i]: text for i, text in enumerate(options_hi[:option_count])},
        "explanation_hi": row.explanation_hi,
        "topic_name_hi": row.topic_name_hi,
    }


def dataset_from_rows(rows: list[QuestionRow]) -> tablib.Dataset:
    """The header row, then one row per question: what every spreadsheet writer writes."""
    option_count = max([4, *(len(r.options) for r in rows)])
    option_count = min(option_count, MAX_OPTIONS)
    unused = {*OPTION_COLUMNS[option_count:], *OPTION_HI_COLUMNS[option_count:]}
    headers = [c for c in COLUMNS if c not in unused]
    dataset = tablib.Dataset(headers=headers)
    for row in rows:
        values = row_values(row, option_count)
        dataset.append([values[h] for h in headers])
    return dataset
