"""Importing questions into a source, all or nothing, and exporting them, in any of our formats.

An import reads the whole file into rows, checks every row against the rules and the bank, and
writes only when no row has a problem, in one transaction; otherwise it raises BankImportError
listing every problem with its line. The admin (django-import-export for spreadsheets, our own
page for GIFT and Aiken) and the management commands all come through here.
"""

from dataclasses import dataclass

from django.db import transaction
from django.db.models import QuerySet

from questions.formats import aiken, gift, rules
from questions.formats.rows import (
    BankImportError,
    Problem,
    QuestionRow,
    check_size,
    dataset_from_rows,
    decode_utf8,
    rows_from_dataset,
)
from questions.formats.tabular import QuestionCSV, QuestionJSON, QuestionXLSX
from questions.models import Choice, Passage, Question, Source, Topic
from questions.text import stem_fingerprint

TABULAR = {"csv": QuestionCSV, "xlsx": QuestionXLSX, "json": QuestionJSON}
FORMATS = ("csv", "xlsx", "json", "gift", "aiken")
TEXT_FORMATS = ("gift", "aiken")
EXTENSIONS = {"csv": "csv", "xlsx": "xlsx", "json": "json", "gift": "gift.txt", "aiken": "aiken.txt"}
NO_QUESTIONS = "No questions found in the file."


@dataclass
class Planned:
    """A row that passed every check, with what it refers to looked up."""

    row: QuestionRow
    topic: Topic
    passage: Passage | None
    difficulty: str
    style: str


# --- reading and checking ------------------------------------------------------------------


def read_rows(data: bytes, fmt: str) -> list[QuestionRow]:
    """The file's questions as rows. Raises BankImportError for a file that cannot be read at
    all (too large, not UTF-8, not a workbook, no header, too many questions); problems of
    single rows stay on the rows."""
    check_size(data)
    if fmt in TABULAR:
        return rows_from_dataset(TABULAR[fmt]().create_dataset(data))
    return read_text(decode_utf8(data), fmt)


def read_text(text: str, fmt: str) -> list[QuestionRow]:
    """GIFT or Aiken text as rows. The admin's confirm step sends the text back in a form, so
    it is checked here again, not only when the file was uploaded."""
    check_size(text.encode())
    if "\x00" in text:
        raise BankImportError([Problem(text.count("\n", 0, text.index("\x00")) + 1, rules.NUL_IN_FILE)])
    return gift.read(text) if fmt == "gift" else aiken.read(text)


def check_rows(
    rows: list[QuestionRow], source: Source, *, default_topic: Topic | None = None, publish: bool = False
) -> tuple[list[Planned], list[Problem]]:
    """Every row checked against the rules and against the bank: the rows that would be created,
    and every problem found. A row may have several problems."""
    if not rows:
        return [], [Problem(1, NO_QUESTIONS)]
    if len(rows) > rules.MAX_IMPORT_QUESTIONS:
        # Spreadsheets stop at the limit as they are read; GIFT and Aiken are held to it here.
        return [], [Problem(rows[rules.MAX_IMPORT_QUESTIONS].line, rules.TOO_MANY_QUESTIONS)]
    topics: dict[str, Topic] = {}
    for topic in Topic.objects.all():
        topics[topic.slug] = topic
        topics.setdefault(topic.name.casefold(), topic)
    passages = {p.position: p for p in source.passages.all()}
    keys = {stem_fingerprint(r.stem) for r in rows if r.stem}
    in_bank = dict(
        Question.objects.filter(source=source, stem_key__in=keys).values_list("stem_key", "id")
    )
    first_line: dict[str, int] = {}
    planned, problems = [], []
    for row in rows:
        reasons = list(row.problems)
        if not row.problems:
            # Options and answer are only worth checking when the reader could make them out.
            reasons.append(rules.option_count_problem(len(row.options), row.style))
            reasons.append(rules.correct_answer_problem(row.correct, len(row.options)))
        if not row.stem:
            reasons.append(rules.EMPTY_STEM)
        else:
            key = stem_fingerprint(row.stem)
            if key in first_line:
                reasons.append(rules.duplicate_in_file(first_line[key]))
            elif key in in_bank:
                reasons.append(rules.duplicate_in_bank(source.slug, in_bank[key]))
            first_line.setdefault(key, row.line)
        topic = topics.get(row.topic) or topics.get(row.topic.casefold())
        if not row.topic or (topic is None and row.topic_is_hint and default_topic):
            topic = default_topic
            if topic is None:
                reasons.append(rules.MISSING_TOPIC)
        elif topic is None:
            reasons.append(rules.unknown_topic(row.topic))
        difficulty = row.difficulty or Question.Difficulty.MEDIUM
        if difficulty not in rules.DIFFICULTIES:
            reasons.append(rules.unknown_difficulty(row.difficulty))
        style = row.style or Question.Style.DIRECT
        if style not in rules.STYLES:
            reasons.append(rules.unknown_style(row.style))
        passage = None
        if row.passage is not None:
            passage = passages.get(row.passage)
            if passage is None:
                reasons.append(rules.unknown_passage(row.passage, source.slug, sorted(passages)))
        reasons.append(rules.explanation_problem(row.explanation, publish))
        # "\u0000" in a JSON string, or a cell, carries a NUL past the file checks.
        texts = [row.stem, row.explanation, row.topic, row.difficulty, row.style, *row.options]
        if any("\x00" in text for text in texts):
            reasons.append(rules.NUL_IN_TEXT)
        reasons = [r for r in reasons if r]
        if reasons:
            problems += [Problem(row.line, reason) for reason in reasons]
        else:
            planned.append(Planned(row, topic, passage, difficulty, style))
    return planned, problems


# --- writing -------------------------------------------------------------------------------


def choices_for(question: Question, row: QuestionRow) -> list[Choice]:
    return [
        Choice(question=question, position=i, text=text, is_correct=i in row.correct)
        for i, text in enumerate(row.options)
    ]


def question_for(planned: Planned, source: Source, status: str) -> Question:
    row = planned.row
    return Question(
        source=source,
        passage=planned.passage,
        topic=planned.topic,
        difficulty=planned.difficulty,
        style=planned.style,
        stem=row.stem,
        explanation=row.explanation,
        status=status,
        # bulk_create skips the pre_save signal that sets it.
        stem_key=stem_fingerprint(row.stem),
    )


@dataclass
class ImportReport:
    planned: list[Planned]
    created: list[Question]
    status: str
    dry_run: bool


def import_rows(
    rows: list[QuestionRow],
    source: Source,
    *,
    default_topic: Topic | None = None,
    publish: bool = False,
    dry_run: bool = False,
) -> ImportReport:
    """Create every row's question and options in `source`, or none of them.

    Questions are drafts unless `publish`, which also requires every row to have an explanation.
    `dry_run` checks everything and writes nothing.
    """
    status = Question.Status.PUBLISHED if publish else Question.Status.DRAFT
    with transaction.atomic():
        planned, problems = check_rows(rows, source, default_topic=default_topic, publish=publish)
        if problems:
            raise BankImportError(problems)
        if dry_run:
            return ImportReport(planned, [], status, dry_run=True)
        created = Question.objects.bulk_create(question_for(p, source, status) for p in planned)
        Choice.objects.bulk_create(
            choice for question, p in zip(created, planned) for choice in choices_for(question, p.row)
        )
    return ImportReport(planned, created, status, dry_run=False)


def import_file(data: bytes, fmt: str, source: Source, **options) -> ImportReport:
    return import_rows(read_rows(data, fmt), source, **options)


# --- exporting -----------------------------------------------------------------------------


def rows_from_questions(questions: QuerySet[Question]) -> list[QuestionRow]:
    rows = []
    for question in questions.select_related("topic", "passage").prefetch_related("choices"):
        choices = sorted(question.choices.all(), key=lambda c: c.position)
        rows.append(
            QuestionRow(
                stem=question.stem,
                options=[c.text for c in choices],
                correct=[i for i, c in enumerate(choices) if c.is_correct],
                explanation=question.explanation,
                topic=question.topic.slug,
                difficulty=question.difficulty,
                passage=question.passage.position if question.passage else None,
                style=question.style,
            )
        )
    return rows


def export_questions(questions: QuerySet[Question], fmt: str, *, aiken_explanations: bool = True) -> bytes:
    """The questions as a file in `fmt`, in the order of the queryset."""
    rows = rows_from_questions(questions)
    if fmt in TABULAR:
        data = TABULAR[fmt]().export_data(dataset_from_rows(rows))
    elif fmt == "gift":
        data = gift.write(rows)
    else:
        data = aiken.write(rows, explanations=aiken_explanations)
    return data.encode() if isinstance(data, str) else data
