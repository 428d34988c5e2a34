"""Importing questions into a source, all or nothing, and exporting them, in any of our formats.

An import reads the whole file into rows, checks every row against the rules and the bank, and
writes only when no row has a problem, in one transaction; otherwise it raises BankImportError
listing every problem with its line. The admin (django-import-export for spreadsheets, our own
page for GIFT and Aiken) and the management commands all come through here.
"""

import re
from dataclasses import dataclass, replace

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext, gettext_lazy as _, gettext_noop

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
NO_QUESTIONS = _("No questions found in the file.")
# The languages of a GIFT or Aiken file (settings.LANGUAGES): English makes questions, Hindi
# adds the Hindi of questions the bank has.
ENGLISH, HINDI = "en", "hi"
LANGUAGES = (ENGLISH, HINDI)
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
    if max(text.count("\n"), text.count("\r")) >= rules.MAX_IMPORT_LINES:
        raise BankImportError([Problem(rules.MAX_IMPORT_LINES + 1, rules.TOO_MANY_LINES)])
    rows = gift.read(text, limit=rules.MAX_IMPORT_QUESTIONS) if fmt == "gift" else aiken.read(text, limit=rules.MAX_IMPORT_QUESTIONS)
    if len(rows) > rules.MAX_IMPORT_QUESTIONS:
        raise BankImportError([Problem(rows[-1].line, rules.TOO_MANY_QUESTIONS)])
    return rows


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
        return [], [rows[rules.MAX_IMPORT_QUESTIONS].problem(rules.TOO_MANY_QUESTIONS)]
    topics = Topics(create=create_topics)
    passages = {p.position: p for p in source.passages.all()}
    keys = {stem_fingerprint(r.stem) for r in rows if r.stem}
    in_bank = dict(
        Question.objects.filter(source=source, stem_key__in=keys).values_list("stem_key", "id")
    )
    first_row: dict[str, QuestionRow] = {}
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
            if key in first_row:
                reasons.append(rules.duplicate_in_file(first_row[key].line, first_row[key].where))
            elif key in in_bank:
                reasons.append(rules.duplicate_in_bank(source.slug, in_bank[key]))
            first_row.setdefault(key, row)
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
        reasons += text_problems(row)
        reasons = [r for r in reasons if r]
        if reasons:
            problems += [row.problem(reason) for reason in reasons]
        else:
            planned.append(Planned(row, topic, passage, difficulty, style))
    return planned, problems


def text_problems(row: QuestionRow) -> list[str]:
    """What is wrong with a row's texts themselves, whichever language the import writes."""
    return ([rules.NUL_IN_TEXT] if has_nul(row) else []) + too_long(row)


def has_nul(row: QuestionRow) -> bool:
    """"\u0000" in a JSON string, or a cell, carries a NUL past the file checks."""
    texts = [
        row.stem, row.explanation, row.topic, row.topic_name, row.difficulty, row.style, *row.options,
        row.stem_hi, row.explanation_hi, row.topic_name_hi, row.key, *row.options_hi,
    ]
    return any("\x00" in text for text in texts)


def too_long(row: QuestionRow) -> list[str]:
    """A problem for each text longer than MAX_TEXT_CHARS. A text is named in the reader's
    language only when it is too long: naming every text of a 5000-row file took 0.3 s."""
    texts = [
        (gettext_noop("stem"), None, row.stem),
        (gettext_noop("explanation"), None, row.explanation),
        (gettext_noop("Hindi stem"), None, row.stem_hi),
        (gettext_noop("Hindi explanation"), None, row.explanation_hi),
        *((gettext_noop("option %(letter)s"), i, text) for i, text in enumerate(row.options)),
        *((gettext_noop("Hindi option %(letter)s"), i, text) for i, text in enumerate(row.options_hi)),
    ]
    return [
        rules.text_too_long(_text_name(name, position), len(text))
        for name, position, text in texts
        if len(text) > rules.MAX_TEXT_CHARS
    ]


def _text_name(name: str, position: int | None) -> str:
    named = gettext(name)
    return named if position is None else named % {"letter": rules.letter(position)}


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
        # The English column by name: Topic(name=…) writes the language the request is in.
        self.planned[slug] = Topic(slug=slug, name_en=name, name_hi=row.topic_name_hi or None)
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


# Texts are written to their language's column by name: django-modeltranslation writes
# `stem=…` into the column of the language the request is in, which in a Hindi admin page would
# put an English file's stems into the Hindi column. A text without Hindi stays NULL there.


def choices_for(question: Question, row: QuestionRow) -> list[Choice]:
    hindi = row.options_hi + [""] * len(row.options)
    return [
        Choice(question=question, position=i, text_en=text, text_hi=hindi[i] or None, is_correct=i in row.correct)
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
        stem_en=row.stem,
        stem_hi=row.stem_hi or None,
        explanation_en=row.explanation,
        explanation_hi=row.explanation_hi or None,
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
                stem=question.stem_en or "",
                options=[c.text_en or "" for c in choices],
                correct=[i for i, c in enumerate(choices) if c.is_correct],
                explanation=question.explanation_en or "",
                topic=question.topic.slug,
                topic_name=question.topic.name_en or "",
                difficulty=question.difficulty,
                passage=question.passage.position if question.passage else None,
                passage_contradicts_key=question.passage_contradicts_key,
                style=question.style,
                stem_hi=question.stem_hi or "",
                options_hi=[c.text_hi or "" for c in choices],
                explanation_hi=question.explanation_hi or "",
                topic_name_hi=question.topic.name_hi or "",
                key=question.stem_key,
            )
        )
    return rows


def in_hindi(row: QuestionRow) -> QuestionRow | None:
    """The row as a Hindi GIFT or Aiken file holds it: the Hindi texts in place of the English,
    with the key of the English stem. None when the stem or an option has no Hindi: such a
    question cannot be written in Hindi, and an English text in a Hindi file would be read
    back into the Hindi columns."""
    if not row.stem_hi or len(row.options_hi) < len(row.options) or not all(row.options_hi):
        return None
    return replace(
        row,
        stem=row.stem_hi,
        options=list(row.options_hi),
        explanation=row.explanation_hi,
        topic_name=row.topic_name_hi,
    )


@dataclass
class Export:
    data: bytes
    # Questions written, and those a Hindi GIFT or Aiken file leaves out for lack of Hindi.
    count: int
    left_out: int


def export_file(
    questions: QuerySet[Question], fmt: str, *, aiken_explanations: bool = True, language: str = ENGLISH
) -> Export:
    """The questions as a file in `fmt`, in the order of the queryset. CSV, XLSX and JSON carry
    both languages; a GIFT or Aiken file carries one, `language`."""
    rows = rows_from_questions(questions)
    total = len(rows)
    if fmt in TABULAR:
        data = TABULAR[fmt]().export_data(dataset_from_rows(rows))
    else:
        hindi = language == HINDI
        if hindi:
            rows = [r for r in map(in_hindi, rows) if r is not None]
        if fmt == "gift":
            data = gift.write(rows, keys=hindi)
        else:
            data = aiken.write(rows, explanations=aiken_explanations, keys=hindi)
    data = data.encode() if isinstance(data, str) else data
    return Export(data, len(rows), total - len(rows))


def export_questions(questions: QuerySet[Question], fmt: str, *, aiken_explanations: bool = True, language: str = ENGLISH) -> bytes:
    return export_file(questions, fmt, aiken_explanations=aiken_explanations, language=language).data


# --- a Hindi GIFT or Aiken file: the Hindi of questions the bank has -----------------------


@dataclass
class Matched:
    """A row of a Hindi file and the question it translates."""

    row: QuestionRow
    question: Question
    choices: list[Choice]


def check_translations(rows: list[QuestionRow], source: Source) -> tuple[list[Matched], list[Problem]]:
    """Each row of a Hindi GIFT or Aiken file matched, by its key, to the question of `source`
    whose English stem it translates, and checked against it: as many options, the same one
    right. Every problem found, one per row and reason."""
    if not rows:
        return [], [Problem(1, NO_QUESTIONS)]
    if len(rows) > rules.MAX_IMPORT_QUESTIONS:
        return [], [rows[rules.MAX_IMPORT_QUESTIONS].problem(rules.TOO_MANY_QUESTIONS)]
    questions = {
        q.stem_key: q
        for q in Question.objects.filter(source=source, stem_key__in={r.key for r in rows if r.key})
        .select_related("topic")
        .prefetch_related("choices")
    }
    first_line: dict[str, int] = {}
    matched, problems = [], []
    for row in rows:
        reasons = list(row.problems)
        question = questions.get(row.key)
        if not row.key:
            reasons.append(rules.TRANSLATION_WITHOUT_KEY)
        elif row.key in first_line:
            reasons.append(rules.translated_twice(first_line[row.key]))
        elif question is None:
            reasons.append(rules.no_question_with_key(row.key, source.slug))
        first_line.setdefault(row.key, row.line)
        if not row.stem:
            reasons.append(rules.EMPTY_STEM)
        choices = sorted(question.choices.all(), key=lambda c: c.position) if question else []
        if question is not None and not row.problems:
            right = [i for i, c in enumerate(choices) if c.is_correct]
            if len(row.options) != len(choices):
                reasons.append(rules.translation_option_count(len(row.options), question.pk, len(choices)))
            elif row.correct != right:
                reasons.append(rules.translation_key_differs(row.correct, question.pk, right))
        reasons += text_problems(row)
        reasons = [r for r in reasons if r]
        if reasons:
            problems += [row.problem(reason) for reason in reasons]
        else:
            matched.append(Matched(row, question, choices))
    return matched, problems


@dataclass
class TranslationReport:
    matched: list[Matched]
    dry_run: bool


def import_translations(rows: list[QuestionRow], source: Source, *, dry_run: bool = False) -> TranslationReport:
    """Write a Hindi file's texts into the Hindi columns of the questions it translates, all or
    none. An explanation the file leaves out (Aiken for Moodle has none) keeps the Hindi one
    the question has; the topic's Hindi name is set when the file names the question's topic."""
    with transaction.atomic():
        matched, problems = check_translations(rows, source)
        if problems:
            raise BankImportError(problems)
        if dry_run:
            return TranslationReport(matched, dry_run=True)
        now = timezone.now()
        questions, choices, topics = [], [], {}
        for m in matched:
            m.question.stem_hi = m.row.stem
            if m.row.explanation:
                m.question.explanation_hi = m.row.explanation
            m.question.updated_at = now
            questions.append(m.question)
            for choice, text in zip(m.choices, m.row.options):
                choice.text_hi = text
                choices.append(choice)
            if m.row.topic_name and m.row.topic == m.question.topic.slug:
                m.question.topic.name_hi = m.row.topic_name
                topics[m.question.topic.pk] = m.question.topic
        Question.objects.bulk_update(questions, ["stem_hi", "explanation_hi", "updated_at"])
        Choice.objects.bulk_update(choices, ["text_hi"])
        Topic.objects.bulk_update(list(topics.values()), ["name_hi"])
    return TranslationReport(matched, dry_run=False)
