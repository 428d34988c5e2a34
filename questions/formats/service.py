"""Importing questions into a source, all or nothing, and exporting them, in any of our formats.

An import reads the whole file into rows, checks every row against the rules and the bank, and
writes only when no row has a problem, in one transaction; otherwise it raises BankImportError
listing every problem with its line. The admin (django-import-export for spreadsheets, our own
page for GIFT and Aiken) and the management commands all come through here.
"""

from dataclasses import dataclass

import re

from django.db import transaction
from django.db.models import QuerySet
from django.utils.text import slugify

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
_SLUG = re.compile(r"[-a-z0-9_]+")


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
    rows: list[QuestionRow],
    source: Source,
    *,
    default_topic: Topic | None = None,
    publish: bool = False,
    create_topics: bool = True,
) -> tuple[list[Planned], list[Problem]]:
    """Every row checked against the rules and against the bank: the rows that would be created,
    and every problem found. A row may have several problems. A topic the bank lacks is planned
    as a new, unsaved Topic (the same one for every row naming it), unless `create_topics` is
    off, when it is a problem."""
    if not rows:
        return [], [Problem(1, NO_QUESTIONS)]
    if len(rows) > rules.MAX_IMPORT_QUESTIONS:
        # Spreadsheets stop at the limit as they are read; GIFT and Aiken are held to it here.
        return [], [Problem(rows[rules.MAX_IMPORT_QUESTIONS].line, rules.TOO_MANY_QUESTIONS)]
    topics = Topics(create=create_topics)
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
        topic = topics.existing(row)
        if not row.topic or (topic is None and row.topic_is_hint and default_topic):
            topic = default_topic
            if topic is None:
                reasons.append(rules.MISSING_TOPIC)
        elif topic is None:
            topic, problem = topics.new(row)
            reasons.append(problem)
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
        elif row.passage_contradicts_key:
            reasons.append(rules.SLIP_WITHOUT_PASSAGE)
        reasons.append(rules.explanation_problem(row.explanation, publish))
        # "\u0000" in a JSON string, or a cell, carries a NUL past the file checks.
        texts = [row.stem, row.explanation, row.topic, row.topic_name, row.difficulty, row.style, *row.options]
        if any("\x00" in text for text in texts):
            reasons.append(rules.NUL_IN_TEXT)
        reasons = [r for r in reasons if r]
        if reasons:
            problems += [Problem(row.line, reason) for reason in reasons]
        else:
            planned.append(Planned(row, topic, passage, difficulty, style))
    return planned, problems


class Topics:
    """The bank's topics, found by slug or name, and the new ones an import plans, by slug."""

    def __init__(self, *, create: bool):
        self.create = create
        self.known: dict[str, Topic] = {}
        for topic in Topic.objects.all():
            self.known[topic.slug] = topic
            self.known.setdefault(topic.name.casefold(), topic)
        self.planned: dict[str, Topic] = {}
        self.planned_names: dict[str, str] = {}

    def existing(self, row: QuestionRow) -> Topic | None:
        """The topic the row names, by slug or name, if the bank has it (or the import plans it)."""
        for key in (row.topic, row.topic.casefold(), row.topic_name.casefold()):
            if key and key in self.known:
                return self.known[key]
        return self.planned.get(row.topic)

    def new(self, row: QuestionRow) -> tuple[Topic | None, str | None]:
        """The unsaved topic the row names, planned once per slug, or why there can be none.
        Our exports give slug and name; a file giving one value has a slug (made a name of) or
        a name (slugified)."""
        if not self.create:
            return None, rules.unknown_topic(row.topic)
        value = row.topic.strip()
        if _SLUG.fullmatch(value):
            slug, name = value, row.topic_name.strip() or value.replace("-", " ").replace("_", " ").capitalize()
        else:
            slug, name = slugify(value), row.topic_name.strip() or value
        if not slug:
            return None, rules.topic_not_named(value)
        if max(len(slug), len(name)) > rules.TOPIC_LENGTH:
            return None, rules.topic_too_long(value)
        found = self.known.get(slug) or self.known.get(name.casefold()) or self.planned.get(slug)
        if found is not None:
            return found, None
        other = self.planned_names.get(name.casefold())
        if other is not None:
            return None, rules.topic_name_taken(name, slug, other)
        self.planned[slug] = Topic(slug=slug, name=name)
        self.planned_names[name.casefold()] = slug
        return self.planned[slug], None


def new_topics(planned: list[Planned]) -> list[Topic]:
    """The topics an import creates, in the order the file first names them."""
    return list({id(p.topic): p.topic for p in planned if p.topic.pk is None}.values())


def create_new_topics(planned: list[Planned]) -> list[Topic]:
    """Save the topics the import plans, so its questions can refer to them."""
    created = new_topics(planned)
    for topic in created:
        topic.save()
    return created


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
        passage_contradicts_key=row.passage_contradicts_key,
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
    # The topics the import created (or, in a dry run, would create).
    new_topics: list[Topic]


def import_rows(
    rows: list[QuestionRow],
    source: Source,
    *,
    default_topic: Topic | None = None,
    publish: bool = False,
    dry_run: bool = False,
    create_topics: bool = True,
) -> ImportReport:
    """Create every row's question and options in `source`, or none of them, and the topics
    the rows name that the bank lacks (unless `create_topics` is off: then they are problems).

    Questions are drafts unless `publish`, which also requires every row to have an explanation.
    `dry_run` checks everything and writes nothing.
    """
    status = Question.Status.PUBLISHED if publish else Question.Status.DRAFT
    with transaction.atomic():
        planned, problems = check_rows(
            rows, source, default_topic=default_topic, publish=publish, create_topics=create_topics
        )
        if problems:
            raise BankImportError(problems)
        if dry_run:
            return ImportReport(planned, [], status, dry_run=True, new_topics=new_topics(planned))
        topics = create_new_topics(planned)
        created = Question.objects.bulk_create(question_for(p, source, status) for p in planned)
        Choice.objects.bulk_create(
            choice for question, p in zip(created, planned) for choice in choices_for(question, p.row)
        )
    return ImportReport(planned, created, status, dry_run=False, new_topics=topics)


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
                topic_name=question.topic.name,
                difficulty=question.difficulty,
                passage=question.passage.position if question.passage else None,
                passage_contradicts_key=question.passage_contradicts_key,
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
