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
them field by field, on SQLite and on PostgreSQL). Everything else stays in the ORM.
"""

from datetime import datetime
from decimal import Decimal

from django.db import connection

from config.sql import Columns, split_row
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


def close_response(response_id: int, outcome: str, choice_id: int | None, now: datetime, marks: Decimal) -> bool:
    """Write the answer into the response if it is still open; False when it was not."""
    return _update(
        'UPDATE "quiz_response" SET "outcome" = %s, "choice_id" = %s, "answered_at" = %s, "marks" = %s'
        ' WHERE "id" = %s AND "outcome" = %s',
        [outcome, choice_id, _datetime(now), _marks(marks), response_id, Response.Outcome.OPEN],
    )


# The attempt's counters an outcome adds one to: a fixed set, so a name never comes from input.
COUNTERS = ("correct_count", "wrong_count", "unanswered_count")


def add_to_attempt_totals(attempt_id: int, marks: Decimal, counter: str, finished_at: datetime | None) -> None:
    """Add the marks to the score and one to the counter, in the database's own arithmetic (two
    answers in flight cannot lose each other's marks); set the finish time with the last."""
    if counter not in COUNTERS:
        raise ValueError(f"Not one of the attempt's counters: {counter!r}")
    assignments, params = ['"score" = "score" + %s', f'"{counter}" = "{counter}" + 1'], [_marks(marks)]
    if finished_at is not None:
        assignments.append('"finished_at" = %s')
        params.append(_datetime(finished_at))
    _update(f'UPDATE "quiz_attempt" SET {", ".join(assignments)} WHERE "id" = %s', [*params, attempt_id])


def start_clock(response_id: int, now: datetime, deadline: datetime) -> bool:
    """Start the response's clock unless another request started it first; True if this one did."""
    return _update(
        'UPDATE "quiz_response" SET "shown_at" = %s, "deadline" = %s WHERE "id" = %s AND "shown_at" IS NULL',
        [_datetime(now), _datetime(deadline), response_id],
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
