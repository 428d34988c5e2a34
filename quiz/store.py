"""The attempt workflows' reads and writes, private to quiz/services.py (tests/test_import_layers.py
keeps it so). The answer path's are SQL written by hand: reading the open question and the
next with their options, closing an answer, adding it to the attempt's totals and starting the
next clock; so are the result page's read of every response and the start's look-up of an
unfinished attempt.

Why by hand: answering is the request a quiz makes most (ten times per start), and its CPU is
what caps answers per second (docs/benchmarks.md). The ORM spent about 1.2 ms compiling the
seven-table read below on every answer, and about 0.25 ms on each small statement after it;
the same statements sent as text cost a fraction of that. Table and column names come from the
models' `_meta`; instances are built by `Model.from_db` after the ORM's own converters
(lib/sql.py), so they behave exactly like the ORM's (tests/test_store.py compares them field
by field, on SQLite and on PostgreSQL). On PostgreSQL the three writes of an answer are one
statement: each round trip there is time a sync worker waits.
"""

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import connection, transaction

from lib.sql import Columns, column, split_row, table
from questions.models import Choice, Passage, Question, Source
from quiz.models import ONE, Attempt, Quiz, Response, TimeAllowance

OPEN = Response.Outcome.OPEN

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
    SELECT {", ".join(columns.sql for columns in RESPONSE_TABLES)}
    FROM {table(Response)} response
    JOIN {table(Attempt)} attempt ON attempt.{column(Attempt, "id")} = response.{column(Response, "attempt")}
    JOIN {table(Quiz)} quiz ON quiz.{column(Quiz, "id")} = attempt.{column(Attempt, "quiz")}
    JOIN {table(Question)} question ON question.{column(Question, "id")} = response.{column(Response, "question")}
    JOIN {table(Source)} question_source
        ON question_source.{column(Source, "id")} = question.{column(Question, "source")}
    LEFT JOIN {table(Passage)} passage ON passage.{column(Passage, "id")} = question.{column(Question, "passage")}
    LEFT JOIN {table(Source)} passage_source
        ON passage_source.{column(Source, "id")} = passage.{column(Passage, "source")}
    WHERE response.{column(Response, "attempt")} = %s AND attempt.{column(Attempt, "user")} = %s
"""
ONE_ATTEMPT = frozenset({"attempt", "quiz"})
QUESTION_END = sum(len(columns) for columns in RESPONSE_TABLES[:4])  # where the sources' columns begin
IN_ORDER = f" ORDER BY response.{column(Response, 'position')}"
# The open question and the one after it: what showing and answering need.
UPCOMING_SQL = RESPONSES_SQL + f" AND response.{column(Response, 'outcome')} = %s" + IN_ORDER + " LIMIT 2"
EVERY_RESPONSE_SQL = RESPONSES_SQL + IN_ORDER
# One question, and the attempt's open question (for a refusal to show what is on screen).
FEEDBACK_SQL = (
    RESPONSES_SQL
    + f""" AND (response.{column(Response, "position")} = %s OR response.{column(Response, "id")} = (
        SELECT first_open.{column(Response, "id")} FROM {table(Response)} first_open
        WHERE first_open.{column(Response, "attempt")} = %s AND first_open.{column(Response, "outcome")} = %s
        ORDER BY first_open.{column(Response, "position")} LIMIT 1))"""
    + IN_ORDER
)


@dataclass
class Read:
    """What one read of a learner's attempt found: the attempt with its quiz (None when it is
    not this learner's or does not exist), its responses asked for, and their options by id."""

    attempt: Attempt | None
    responses: list[Response]
    choices: dict[int, Choice]


def read_upcoming(attempt_id: int, user_id: int) -> Read:
    """The attempt's first two open responses, if the attempt is this user's, and their options."""
    return _read(UPCOMING_SQL, [attempt_id, user_id, OPEN], attempt_id, user_id)


def read_every_response(attempt_id: int, user_id: int) -> Read:
    """All the attempt's responses in order and their options: what the result page reviews."""
    return _read(EVERY_RESPONSE_SQL, [attempt_id, user_id], attempt_id, user_id)


def read_feedback(attempt_id: int, user_id: int, position: int) -> Read:
    """The response at `position` and the attempt's open question (the same one, when it is
    open), in order, with their options."""
    return _read(FEEDBACK_SQL, [attempt_id, user_id, position, attempt_id, OPEN], attempt_id, user_id)


def _read(sql: str, params: list, attempt_id: int, user_id: int) -> Read:
    responses = _read_responses(sql, params)
    if not responses:
        # Nothing open (a finished attempt), or not this learner's: the attempt alone tells.
        attempt = Attempt.objects.select_related("quiz").filter(pk=attempt_id, user_id=user_id).first()
        return Read(attempt, [], {})
    return Read(responses[0].attempt, responses, _choices_of(responses))


def _read_responses(sql: str, params: list) -> list[Response]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows, db = cursor.fetchall(), cursor.db
    responses: list[Response] = []
    sources: dict = {}  # one instance per article, however many rows cite it
    for row in rows:
        # Every row carries the attempt and its quiz; the first row's serve them all.
        skip = ONE_ATTEMPT if responses else frozenset()
        response, attempt, quiz, question = split_row(row[:QUESTION_END], RESPONSE_TABLES[:4], db, skip)
        source, passage, passage_source = split_row(row[QUESTION_END:], RESPONSE_TABLES[4:], db, built=sources)
        if passage is not None:
            passage.source = passage_source
        question.source, question.passage = source, passage
        if attempt is not None:
            attempt.quiz = quiz
        response.attempt = responses[0].attempt if responses else attempt
        response.question = question
        responses.append(response)
    return responses


CHOICE_COLUMNS = Columns(Choice, "choice")


def _choices_of(responses: list[Response]) -> dict[int, Choice]:
    """The options of these responses' questions, keyed by id."""
    choice_ids = [choice_id for response in responses for choice_id in response.option_order]
    if not choice_ids:
        return {}
    # One query parameter per id: the ids are bound by the driver, never written into the SQL.
    placeholders = ", ".join(["%s"] * len(choice_ids))
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {CHOICE_COLUMNS.sql} FROM {table(Choice)} choice"
            f" WHERE choice.{column(Choice, 'id')} IN ({placeholders})",
            choice_ids,
        )
        rows, db = cursor.fetchall(), cursor.db
    choices = [CHOICE_COLUMNS.instance(list(row), db) for row in rows]
    return {choice.pk: choice for choice in choices}


def unfinished_attempt_id(user_id: int, quiz_id: int) -> int | None:
    """The learner's unfinished attempt at this quiz (one sitting at a time), if any: read by
    every start before the questions are drawn (and `latest_sitting` again under the lock)."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {column(Attempt, 'id')} FROM {table(Attempt)} WHERE {column(Attempt, 'user')} = %s"
            f" AND {column(Attempt, 'quiz')} = %s AND {column(Attempt, 'finished_at')} IS NULL"
            f" ORDER BY {column(Attempt, 'id')} LIMIT 1",
            [user_id, quiz_id],
        )
        row = cursor.fetchone()
    return row[0] if row else None


def time_factor(user_id: int) -> Decimal:
    """The learner's time factor: 1 unless a teacher or admin gave them extra time."""
    factor = TimeAllowance.objects.filter(user_id=user_id).values_list("factor", flat=True).first()
    return factor if factor is not None else ONE


@dataclass(frozen=True)
class Sitting:
    id: int
    is_finished: bool


def latest_sitting(user_id: int, quiz_id: int) -> Sitting | None:
    """The learner's latest attempt at this quiz, if any: read under the lock by every start.
    One sitting at a time, so an unfinished attempt is always the latest; none at all means the
    new one is the learner's first."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {column(Attempt, 'id')}, {column(Attempt, 'finished_at')} IS NOT NULL FROM {table(Attempt)}"
            f" WHERE {column(Attempt, 'user')} = %s AND {column(Attempt, 'quiz')} = %s"
            f" ORDER BY {column(Attempt, 'started_at')} DESC, {column(Attempt, 'id')} DESC LIMIT 1",
            [user_id, quiz_id],
        )
        row = cursor.fetchone()
    return Sitting(row[0], bool(row[1])) if row else None


def lock_learner(user) -> None:
    """Hold the learner's row until the transaction ends, where the database has row locks: a
    double tap on Start sends two requests at once, and the second must wait for the first's
    attempt. (SQLite has no row locks; its IMMEDIATE transactions already queue writers.)"""
    if connection.features.has_select_for_update:
        get_user_model().objects.select_for_update().filter(pk=user.pk).exists()


def create_attempt(attempt: Attempt, question_ids: list[int], option_orders: dict[int, list[int]]) -> Attempt:
    """Write a new attempt and one open response per question, in order; the caller's
    transaction makes them one write."""
    attempt.save(force_insert=True)
    Response.objects.bulk_create(
        Response(attempt=attempt, question_id=qid, position=i, option_order=option_orders[qid])
        for i, qid in enumerate(question_ids)
    )
    return attempt


# The attempt's counters an outcome may add one to: a fixed set, so a name written into the SQL
# never comes from anywhere else.
COUNTERS = ("correct_count", "wrong_count", "unanswered_count")
TOTALS = Columns(Attempt, "attempt", ["score", *COUNTERS, "finished_at"])


@dataclass(frozen=True)
class Closing:
    """An answer to write into its open response (with how sure the learner said they were,
    in the same statement), and what it adds to the attempt's totals: the marks, one to
    `counter`, and the finish time with the last question."""

    response_id: int
    outcome: str
    choice_id: int | None
    answered_at: datetime
    marks: Decimal
    attempt_id: int
    counter: str
    finished_at: datetime | None = None
    confidence: str = ""
    language: str = ""

    def __post_init__(self):
        if self.counter not in COUNTERS:
            raise ValueError(f"Not one of the attempt's counters: {self.counter!r}")


@dataclass(frozen=True)
class Clock:
    """A question's clock, started when it is first shown."""

    response_id: int
    shown_at: datetime
    deadline: datetime
    # Its key held back (quiz/key_holds.py), decided as it is shown: written with the clock.
    key_held: bool = False


@dataclass(frozen=True)
class Closed:
    """What closing an answer did: whether it matched an open question, whether it started the
    next clock, and the attempt's totals as the database left them (None when nothing closed)."""

    closed: bool
    clock_started: bool = False
    totals: dict | None = None


def close_and_advance(closing: Closing, clock: Clock | None = None) -> Closed:
    """Write the answer if its question is still open, add it to the attempt's totals and start
    the next question's clock unless another request started it: all of it or none. Nothing is
    written when the question was not open."""
    if connection.vendor == "postgresql":
        return _close_and_advance_in_one_statement(closing, clock)
    # savepoint=False: inside a caller's transaction, join it without a SAVEPOINT.
    with transaction.atomic(savepoint=False):
        with connection.cursor() as cursor:
            cursor.execute(*_close_sql(closing))
            if cursor.rowcount == 0:
                return Closed(False)
            cursor.execute(*_totals_sql(closing))
            totals = _totals(cursor.fetchone(), cursor.db)
        return Closed(True, clock is not None and start_clock(clock), totals)


def _close_and_advance_in_one_statement(closing: Closing, clock: Clock | None) -> Closed:
    """PostgreSQL: the three writes as one statement (data-modifying WITH), atomic by itself,
    so the answer costs one round trip where a transaction costs five (BEGIN, three writes,
    COMMIT): the sync worker waits on each. The totals and the clock change only if the close
    matched; a second request closing the same question waits for the first's row lock, then
    finds it closed and writes nothing. SQLite has no UPDATE inside WITH."""
    close_sql, params = _close_sql(closing)
    totals_sql, totals_params = _totals_sql(closing, only_if="EXISTS (SELECT FROM closed)")
    parts = [f"closed AS ({close_sql} RETURNING 1)", f"totals AS ({totals_sql})"]
    params += totals_params
    clock_started = "FALSE"
    if clock is not None:
        clock_sql, clock_params = _clock_sql(clock)
        parts.append(f"clock AS ({clock_sql} AND EXISTS (SELECT FROM closed) RETURNING 1)")
        params += clock_params
        clock_started = "EXISTS (SELECT FROM clock)"
    with connection.cursor() as cursor:
        cursor.execute(
            f"WITH {', '.join(parts)} SELECT {clock_started}, totals.* FROM (SELECT) one LEFT JOIN totals ON TRUE",
            params,
        )
        clock_started, *totals = cursor.fetchone()
        if totals[0] is None:  # the score is never NULL: no row, nothing closed
            return Closed(False)
        return Closed(True, clock_started, _totals(totals, cursor.db))


def start_clock(clock: Clock) -> bool:
    """Start the response's clock unless another request started it first; True if this one did."""
    with connection.cursor() as cursor:
        cursor.execute(*_clock_sql(clock))
        return cursor.rowcount > 0


def mark_key_held(attempt: Attempt) -> None:
    """Some question of the attempt has its key held back: its running score waits too."""
    if not attempt.key_held:
        Attempt.objects.filter(pk=attempt.pk).update(key_held=True)
        attempt.key_held = True


def read_clock(response_id: int) -> tuple[datetime, datetime]:
    """The clock another request started first: (shown at, deadline)."""
    return Response.objects.values_list("shown_at", "deadline").get(pk=response_id)


def _close_sql(closing: Closing) -> tuple[str, list]:
    """Write the answer into the response if it is still open (no row matches when it was not)."""
    return (
        f"UPDATE {table(Response)} SET {column(Response, 'outcome')} = %s, {column(Response, 'choice')} = %s,"
        f" {column(Response, 'answered_at')} = %s, {column(Response, 'marks')} = %s,"
        f" {column(Response, 'confidence')} = %s, {column(Response, 'language')} = %s"
        f" WHERE {column(Response, 'id')} = %s AND {column(Response, 'outcome')} = %s",
        [
            closing.outcome,
            closing.choice_id,
            _datetime(closing.answered_at),
            _marks(closing.marks),
            closing.confidence,
            closing.language,
            closing.response_id,
            OPEN,
        ],
    )


def _totals_sql(closing: Closing, only_if: str = "") -> tuple[str, list]:
    """Add the marks to the score and one to the counter, in the database's own arithmetic (two
    answers in flight cannot lose each other's marks); set the finish time with the last; return
    the totals as they now stand."""
    score, counter = column(Attempt, "score"), f'"{closing.counter}"'
    assignments = [f"{score} = {score} + %s", f"{counter} = {counter} + 1"]
    params = [_marks(closing.marks)]
    if closing.finished_at is not None:
        assignments.append(f"{column(Attempt, 'finished_at')} = %s")
        params.append(_datetime(closing.finished_at))
    returning = ", ".join(f'"{field.column}"' for field in TOTALS.fields)
    condition = f" AND {only_if}" if only_if else ""
    return (
        f"UPDATE {table(Attempt)} SET {', '.join(assignments)}"
        f" WHERE {column(Attempt, 'id')} = %s{condition} RETURNING {returning}",
        [*params, closing.attempt_id],
    )


def _totals(row, db) -> dict:
    return dict(zip(TOTALS.attnames, TOTALS.convert(list(row), db)))


def _clock_sql(clock: Clock) -> tuple[str, list]:
    return (
        f"UPDATE {table(Response)} SET {column(Response, 'shown_at')} = %s, {column(Response, 'deadline')} = %s,"
        f" {column(Response, 'key_held')} = %s"
        f" WHERE {column(Response, 'id')} = %s AND {column(Response, 'shown_at')} IS NULL",
        [_datetime(clock.shown_at), _datetime(clock.deadline), clock.key_held, clock.response_id],
    )


def _datetime(value: datetime):
    return connection.ops.adapt_datetimefield_value(value)


MARKS = Response._meta.get_field("marks")


def _marks(value: Decimal):
    return connection.ops.adapt_decimalfield_value(value, MARKS.max_digits, MARKS.decimal_places)
