"""The answer endpoint's database work in hand-written SQL: the read of the open question and
the next, their options, closing the answer, the attempt's totals and the next clock; the
result page's read of every response, the same read without its condition; and the start's
look-up of an unfinished attempt.

Why: answering is the request a quiz makes most (ten times per start), and its CPU is what
caps answers per second (docs/benchmarks.md). The ORM spent about 1.2 ms compiling the
seven-table read below on every answer, and about 0.25 ms on each small statement after it;
the same statements sent as text cost a fraction of that (bench/cpu.py: 4.1 ms of CPU per
answer before, 2.1 ms after). Only this path is written by hand, with the table and column
names the ORM uses, quoted as it quotes them; instances are built with the ORM's own converters
and `Model.from_db`, so they behave exactly like the ORM's (tests/test_answer_sql.py compares
them field by field, on SQLite and on PostgreSQL). Everything else stays in the ORM. On
PostgreSQL the three writes of an answer are one statement (`close_and_advance`): each round
trip there is time a sync worker waits.
"""

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.db import connection, transaction

from lib.sql import Columns, split_row
from questions.models import Choice, Passage, Question, Source
from quiz.models import Attempt, Quiz, Response


# A learner's responses in an attempt, with what answering, rendering and reviewing them needs:
# the attempt and its quiz, the question, its source and its passage.
RESPONSE_TABLES = [
    Columns(Response, "response"),
    Columns(Attempt, "attempt"),
    Columns(Quiz, "quiz"),
    Columns(Question, "question"),
    Columns(Source, "question_source"),
    Columns(Passage, "passage"),
    Columns(Source, "passage_source"),
]
RESPONSES_SQL = f"""
    SELECT {", ".join(table.sql for table in RESPONSE_TABLES)}
    FROM "quiz_response" response
    JOIN "quiz_attempt" attempt ON attempt.id = response.attempt_id
    JOIN "quiz_quiz" quiz ON quiz.id = attempt.quiz_id
    JOIN "questions_question" question ON question.id = response.question_id
    JOIN "questions_source" question_source ON question_source.id = question.source_id
    LEFT JOIN "questions_passage" passage ON passage.id = question.passage_id
    LEFT JOIN "questions_source" passage_source ON passage_source.id = passage.source_id
    WHERE response.attempt_id = %s AND attempt.user_id = %s
"""
ONE_ATTEMPT = frozenset({"attempt", "quiz"})
# The open question and the one after it: what the answer endpoint needs.
UPCOMING_SQL = RESPONSES_SQL + " AND response.outcome = %s ORDER BY response.position LIMIT 2"
EVERY_RESPONSE_SQL = RESPONSES_SQL + " ORDER BY response.position"


def upcoming_responses(attempt_id: int, user_id: int) -> list[Response]:
    """The attempt's first two open responses, if the attempt is this user's, with their
    attempt (one instance shared by both), quiz, question, source and passage attached."""
    return _read_responses(UPCOMING_SQL, [attempt_id, user_id, Response.Outcome.OPEN])


def every_response(attempt_id: int, user_id: int) -> list[Response]:
    """All the attempt's responses in order, if the attempt is this user's, attached as above:
    what the result page reviews."""
    return _read_responses(EVERY_RESPONSE_SQL, [attempt_id, user_id])


def _read_responses(sql: str, params: list) -> list[Response]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows, db = cursor.fetchall(), cursor.db
    responses: list[Response] = []
    for row in rows:
        # Every row carries the attempt and its quiz; the first row's serve them all.
        skip = ONE_ATTEMPT if responses else frozenset()
        response, attempt, quiz, question, source, passage, passage_source = split_row(row, RESPONSE_TABLES, db, skip)
        if passage is not None:
            passage.source = passage_source
        question.source, question.passage = source, passage
        if attempt is not None:
            attempt.quiz = quiz
        response.attempt = responses[0].attempt if responses else attempt
        response.question = question
        responses.append(response)
    return responses


def unfinished_attempt_id(user_id: int, quiz_id: int) -> int | None:
    """The learner's unfinished attempt at this quiz (one sitting at a time), if any: read twice
    by every start, once before the questions are drawn and once under the lock."""
    with connection.cursor() as cursor:
        cursor.execute(
            'SELECT "id" FROM "quiz_attempt" WHERE "user_id" = %s AND "quiz_id" = %s'
            ' AND "finished_at" IS NULL ORDER BY "id" LIMIT 1',
            [user_id, quiz_id],
        )
        row = cursor.fetchone()
    return row[0] if row else None


CHOICE_COLUMNS = Columns(Choice, "choice")


def choices_by_id(choice_ids: list[int]) -> dict[int, Choice]:
    """These options, keyed by id."""
    if not choice_ids:
        return {}
    placeholders = ", ".join(["%s"] * len(choice_ids))
    with connection.cursor() as cursor:
        cursor.execute(
            f'SELECT {CHOICE_COLUMNS.sql} FROM "questions_choice" choice WHERE choice."id" IN ({placeholders})',
            choice_ids,
        )
        rows, db = cursor.fetchall(), cursor.db
    choices = [CHOICE_COLUMNS.instance(list(row), db) for row in rows]
    return {choice.pk: choice for choice in choices}


# The attempt's counters an outcome adds one to: a fixed set, so a name never comes from input.
COUNTERS = ("correct_count", "wrong_count", "unanswered_count")


@dataclass(frozen=True)
class Closing:
    """An answer to write into its open response, and what it adds to the attempt's totals:
    the marks, one to `counter`, and the finish time with the last question."""

    response_id: int
    outcome: str
    choice_id: int | None
    answered_at: datetime
    marks: Decimal
    attempt_id: int
    counter: str
    finished_at: datetime | None = None

    def __post_init__(self):
        # The counter's name is written into the SQL: it must be one of the attempt's own.
        if self.counter not in COUNTERS:
            raise ValueError(f"Not one of the attempt's counters: {self.counter!r}")


@dataclass(frozen=True)
class Clock:
    """The next question's clock, started when it is shown."""

    response_id: int
    shown_at: datetime
    deadline: datetime


def close_and_advance(closing: Closing, clock: Clock | None = None) -> tuple[bool, bool]:
    """Write the answer if its question is still open, add it to the attempt's totals and start
    the next question's clock unless another request started it: all of it or none.
    Returns (closed, clock started); nothing is written when the question was not open."""
    if connection.vendor == "postgresql":
        return _close_and_advance_in_one_statement(closing, clock)
    # savepoint=False: inside a caller's transaction, join it without a SAVEPOINT.
    with transaction.atomic(savepoint=False):
        if not _update(*_close_sql(closing)):
            return False, False
        _update(*_totals_sql(closing))
        return True, clock is not None and start_clock(clock)


def _close_and_advance_in_one_statement(closing: Closing, clock: Clock | None) -> tuple[bool, bool]:
    """PostgreSQL: the three writes as one statement (data-modifying WITH), atomic by itself,
    so the answer costs one round trip where a transaction costs five (BEGIN, three writes,
    COMMIT): the sync worker waits on each. The totals and the clock change only if the close
    matched; a second request closing the same question waits for the first's row lock, then
    finds it closed and writes nothing. SQLite has no UPDATE inside WITH."""
    close_sql, params = _close_sql(closing)
    totals_sql, totals_params = _totals_sql(closing)
    parts = [f'closed AS ({close_sql} RETURNING "id")', f"totals AS ({totals_sql} AND EXISTS (SELECT FROM closed))"]
    params += totals_params
    clock_started = "FALSE"
    if clock is not None:
        clock_sql, clock_params = _clock_sql(clock)
        parts.append(f'clock AS ({clock_sql} AND EXISTS (SELECT FROM closed) RETURNING "id")')
        params += clock_params
        clock_started = "EXISTS (SELECT FROM clock)"
    with connection.cursor() as cursor:
        cursor.execute(f"WITH {', '.join(parts)} SELECT EXISTS (SELECT FROM closed), {clock_started}", params)
        closed, clock_started = cursor.fetchone()
    return closed, clock_started


def start_clock(clock: Clock) -> bool:
    """Start the response's clock unless another request started it first; True if this one did."""
    return _update(*_clock_sql(clock))


def _close_sql(closing: Closing) -> tuple[str, list]:
    """Write the answer into the response if it is still open (no row matches when it was not)."""
    return (
        'UPDATE "quiz_response" SET "outcome" = %s, "choice_id" = %s, "answered_at" = %s, "marks" = %s'
        ' WHERE "id" = %s AND "outcome" = %s',
        [
            closing.outcome,
            closing.choice_id,
            _datetime(closing.answered_at),
            _marks(closing.marks),
            closing.response_id,
            Response.Outcome.OPEN,
        ],
    )


def _totals_sql(closing: Closing) -> tuple[str, list]:
    """Add the marks to the score and one to the counter, in the database's own arithmetic (two
    answers in flight cannot lose each other's marks); set the finish time with the last."""
    counter = closing.counter
    assignments, params = ['"score" = "score" + %s', f'"{counter}" = "{counter}" + 1'], [_marks(closing.marks)]
    if closing.finished_at is not None:
        assignments.append('"finished_at" = %s')
        params.append(_datetime(closing.finished_at))
    return f'UPDATE "quiz_attempt" SET {", ".join(assignments)} WHERE "id" = %s', [*params, closing.attempt_id]


def _clock_sql(clock: Clock) -> tuple[str, list]:
    return (
        'UPDATE "quiz_response" SET "shown_at" = %s, "deadline" = %s WHERE "id" = %s AND "shown_at" IS NULL',
        [_datetime(clock.shown_at), _datetime(clock.deadline), clock.response_id],
    )


def _update(sql: str, params: list) -> bool:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.rowcount > 0


def _datetime(value: datetime):
    return connection.ops.adapt_datetimefield_value(value)


MARKS = Response._meta.get_field("marks")


def _marks(value: Decimal):
    return connection.ops.adapt_decimalfield_value(value, MARKS.max_digits, MARKS.decimal_places)
