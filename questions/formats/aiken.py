"""The Aiken format (Moodle's plain multiple-choice text). Pure: text in, rows out, and back.

    Which agreement was signed in 2002?
    A. GSOMIA
    B. LEMOA
    C. COMCASA
    D. BECA
    ANSWER: A
    EXPLANATION: GSOMIA came first, in 2002 (paragraph 51).

The question may run over several lines; each option is one line, lettered in order with "A."
or "A)"; "ANSWER:" gives the right letter and ends the question. Aiken has no place for an
explanation, so we add an "EXPLANATION:" line after the answer, running to the next blank line.
Moodle does not know that line: `export_questions --format aiken --plain-aiken` leaves it out
(GIFT carries explanations into Moodle). A Hindi file adds a "KEY:" line after the answer: the
key of the English stem the question translates, which finds it in the bank on import.

What Aiken cannot hold is flattened on export: a line break inside an option becomes a space,
and blank lines inside a stem or explanation are dropped.
"""

import re

from django.utils.translation import gettext

from questions.formats.rows import QuestionRow, parse_correct
from questions.formats.rules import MISSING_CORRECT, letter

_OPTION = re.compile(r"^([A-Z])[.)]\s+(.*)$")
_ANSWER = re.compile(r"^ANSWER:\s*(.*)$", re.IGNORECASE)
_EXPLANATION = re.compile(r"^EXPLANATION:\s*(.*)$", re.IGNORECASE)
_KEY = re.compile(r"^KEY:\s*([0-9a-f]{64})$", re.IGNORECASE)


def write(rows: list[QuestionRow], *, explanations: bool = True, keys: bool = False) -> str:
    lines: list[str] = []
    for row in rows:
        lines += [line.strip() for line in row.stem.splitlines() if line.strip()]
        for position, text in enumerate(row.options):
            lines.append(f"{letter(position)}. {' '.join(text.split())}")
        lines.append(f"ANSWER: {','.join(letter(p) for p in row.correct)}")
        if keys and row.key:
            lines.append(f"KEY: {row.key}")
        explanation = [line.strip() for line in row.explanation.splitlines() if line.strip()]
        if explanations and explanation:
            lines.append(f"EXPLANATION: {explanation[0]}")
            lines += explanation[1:]
        lines.append("")
    return "\n".join(lines)


class _Draft:
    def __init__(self, line: int):
        self.line = line
        self.stem: list[str] = []
        self.letters: list[str] = []
        self.options: list[str] = []
        self.answer: str | None = None
        self.explanation: list[str] = []
        self.problems: list[str] = []
        self.key = ""

    def row(self) -> QuestionRow:
        row = QuestionRow(
            stem="\n".join(self.stem),
            options=self.options,
            correct=[],
            explanation="\n".join(self.explanation),
            line=self.line,
            problems=self.problems,
            key=self.key,
        )
        expected = [letter(i) for i in range(len(self.letters))]
        if self.letters != expected:
            row.problems.append(
                gettext("Options must be lettered %(expected)s in order; found %(found)s.")
                % {"expected": ", ".join(expected), "found": ", ".join(self.letters)}
            )
        if self.answer is None:
            row.problems.append(MISSING_CORRECT)
        else:
            row.correct, problem = parse_correct(self.answer)
            if problem:
                row.problems.append(problem)
        return row


def read(text: str, limit: int | None = None) -> list[QuestionRow]:
    """The file's questions; past `limit` of them, reading stops (the caller refuses the file)."""
    rows: list[QuestionRow] = []
    draft: _Draft | None = None
    in_explanation = False
    for number, raw in enumerate(text.splitlines(), 1):
        if limit is not None and len(rows) > limit:
            return rows
        line = raw.strip()
        if not line:
            in_explanation = False
            if draft is not None and draft.options and draft.answer is None:
                # Options then a blank line: the ANSWER line is missing, not just late.
                rows.append(draft.row())
                draft = None
            continue
        if draft is not None and draft.answer is not None:
            key = _KEY.match(line)
            if key and not in_explanation and not draft.key and not draft.explanation:
                draft.key = key.group(1).lower()
                continue
            explanation = _EXPLANATION.match(line)
            if explanation and not in_explanation and not draft.explanation:
                draft.explanation.append(explanation.group(1))
                in_explanation = True
                continue
            if in_explanation:
                draft.explanation.append(line)
                continue
            rows.append(draft.row())
            draft = None
        if draft is None:
            draft = _Draft(number)
        option = _OPTION.match(line)
        answer = _ANSWER.match(line)
        if answer:
            draft.answer = answer.group(1)
        elif option and draft.stem:
            draft.letters.append(option.group(1))
            draft.options.append(option.group(2).strip())
        elif draft.options:
            draft.problems.append(
                gettext("Line %(line)d is neither an option (“B. …”) nor the “ANSWER:” line.") % {"line": number}
            )
        else:
            draft.stem.append(line)
    if draft is not None:
        rows.append(draft.row())
    return rows
