"""Workflows of a quiz attempt: start it, show its current question, record an answer.

Each runs in one transaction and guards races in the database: the attempt's rows are created
together, a question's clock is started by a conditional update that only the first request
wins, and an answer is written by a conditional update that only matches an open question, so
two tabs or a replayed request can never record a second answer or restart a clock.
"""

import random
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.db.models import Count, Max, Q, QuerySet

from questions.models import Choice, Question
from quiz import answer_sql, scoring, timing
from quiz.models import Attempt, Quiz, QuizQuestion, Response

Outcome = Response.Outcome


class QuizError(Exception):
    """A request the quiz cannot honour; `message` is shown to the learner, `status` sent."""

    status = 400

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class AttemptFinished(QuizError):
    status = 409


class NotCurrentQuestion(QuizError):
    status = 409


class InvalidChoice(QuizError):
    status = 400


class FeedbackNotYet(QuizError):
    """An exam-style attempt keeps its answers until the learner finishes."""

    status = 403


class ClockStillRunning(QuizError):
    """The browser says time is up but the server's clock disagrees."""

    status = 409


# --- starting ----------------------------------------------------------------------------


def draw_questions(quiz: Quiz, rng: random.Random) -> list[int]:
    """The question ids one attempt gets, in the order it will see them."""
    if quiz.selection == Quiz.Selection.FIXED:
        ids = list(
            quiz.quiz_questions.filter(question__status=Question.Status.PUBLISHED)
            .order_by("position")
            .values_list("question_id", flat=True)
        )
        if quiz.shuffle_questions:
            rng.shuffle(ids)
        return ids
    pool = Question.objects.published()
    if quiz.draw_topic_id:
        pool = pool.filter(topic_id=quiz.draw_topic_id)
    if quiz.draw_source_id:
        pool = pool.filter(source_id=quiz.draw_source_id)
    ids = list(pool.values_list("id", flat=True))
    rng.shuffle(ids)
    return ids[: quiz.draw_count] if quiz.draw_count else ids


def count_questions(quizzes: list[Quiz]) -> None:
    """Set `question_total` on each quiz: how many questions one attempt gets. Two queries for
    any number of quizzes."""
    fixed = dict(
        QuizQuestion.objects.filter(quiz__in=quizzes, question__status=Question.Status.PUBLISHED)
        .values_list("quiz_id")
        .annotate(n=Count("id"))
    )
    pool = list(
        Question.objects.published().values_list("source_id", "topic_id").annotate(n=Count("id"))
    )
    for quiz in quizzes:
        if quiz.selection == Quiz.Selection.FIXED:
            quiz.question_total = fixed.get(quiz.pk, 0)
            continue
        available = sum(
            n
            for source_id, topic_id, n in pool
            if quiz.draw_source_id in (None, source_id) and quiz.draw_topic_id in (None, topic_id)
        )
        quiz.question_total = min(quiz.draw_count, available) if quiz.draw_count else available
    for quiz in quizzes:
        quiz.total_seconds = quiz.question_total * quiz.seconds_per_question
        quiz.max_score = quiz.question_total * quiz.marks_correct


def attach_learner_history(quizzes: list[Quiz], user) -> None:
    """Set `best_score` (of the learner's finished attempts; None before the first) and
    `unfinished_attempt_id` (the sitting to resume, if any) on each quiz. One query over the
    learner's own attempts, through the (user, quiz) index: however many thousands of others
    have taken a quiz, the list reads none of their attempts."""
    history = (
        Attempt.objects.for_learner(user)
        .filter(quiz__in=quizzes)
        .order_by()
        .values("quiz_id")
        .annotate(
            best=Max("score", filter=Q(finished_at__isnull=False)),
            # One sitting at a time (views.start resumes it), so at most one is unfinished.
            unfinished=Max("pk", filter=Q(finished_at__isnull=True)),
        )
    )
    by_quiz = {row["quiz_id"]: row for row in history}
    for quiz in quizzes:
        row = by_quiz.get(quiz.pk, {})
        quiz.best_score, quiz.unfinished_attempt_id = row.get("best"), row.get("unfinished")


def option_orders(question_ids: list[int], shuffle: bool, rng: random.Random) -> dict[int, list[int]]:
    orders: dict[int, list[int]] = {qid: [] for qid in question_ids}
    for question_id, choice_id in (
        Choice.objects.filter(question_id__in=question_ids)
        .order_by("question_id", "position")
        .values_list("question_id", "id")
    ):
        orders[question_id].append(choice_id)
    if shuffle:
        for order in orders.values():
            rng.shuffle(order)
    return orders


@dataclass(frozen=True)
class Draw:
    """The questions one attempt gets, in order, and each question's option order."""

    question_ids: list[int]
    option_orders: dict[int, list[int]]


def draw_attempt(quiz: Quiz, rng: random.Random) -> Draw:
    question_ids = draw_questions(quiz, rng)
    if not question_ids:
        raise QuizError("This quiz has no published questions yet.")
    return Draw(question_ids, option_orders(question_ids, quiz.shuffle_options, rng))


def start_attempt(user, quiz: Quiz, now: datetime, rng: random.Random | None = None) -> Attempt:
    """Create an attempt with its question and option order fixed for good."""
    draw = draw_attempt(quiz, rng or random.Random())
    with transaction.atomic():
        return _create_attempt(user, quiz, now, draw)


def _create_attempt(user, quiz: Quiz, now: datetime, draw: Draw) -> Attempt:
    """Write the attempt and its responses; the caller's transaction makes them one write."""
    attempt = Attempt.objects.create(
        user=user,
        quiz=quiz,
        started_at=now,
        seconds_per_question=quiz.seconds_per_question,
        marks_correct=quiz.marks_correct,
        marks_wrong=quiz.marks_wrong,
        feedback=quiz.feedback,
        question_count=len(draw.question_ids),
    )
    Response.objects.bulk_create(
        Response(attempt=attempt, question_id=qid, position=i, option_order=draw.option_orders[qid])
        for i, qid in enumerate(draw.question_ids)
    )
    return attempt


def start_or_resume(user, quiz: Quiz, now: datetime) -> int:
    """The id of the learner's unfinished attempt at this quiz, or of a new one: one sitting
    at a time."""
    attempt_id = answer_sql.unfinished_attempt_id(user.pk, quiz.pk)
    if attempt_id:
        return attempt_id
    # Drawn before the write transaction: on SQLite that transaction holds the write lock of
    # the whole database, which every other learner's answer waits for.
    draw = draw_attempt(quiz, random.Random())
    with transaction.atomic():
        if connection.features.has_select_for_update:
            # A double tap on Start sends two requests at once: the second waits here for the
            # first to commit, then finds its attempt. (SQLite has no row locks; its IMMEDIATE
            # transactions already queue writers.)
            get_user_model().objects.select_for_update().get(pk=user.pk)
        resumed = answer_sql.unfinished_attempt_id(user.pk, quiz.pk)
        return resumed or _create_attempt(user, quiz, now, draw).pk


# --- showing -------------------------------------------------------------------------------


RENDER_RELATED = ("question__source", "question__passage__source")


def open_responses(attempt: Attempt) -> QuerySet[Response]:
    """The attempt's unanswered questions in order, with what rendering them needs."""
    return attempt.responses.filter(outcome=Outcome.OPEN).select_related(*RENDER_RELATED).order_by("position")


def upcoming_for_learner(attempt_id: int, user) -> list[Response]:
    """The open question of a learner's attempt and the one after it, with the attempt and its
    quiz, in one query: the answer endpoint is the hottest path, so the query is written by hand
    (quiz/answer_sql.py). Empty when the attempt is not theirs, does not exist, or has nothing
    open."""
    return answer_sql.upcoming_responses(attempt_id, user.pk)


def responses_for_learner(attempt_id: int, user) -> list[Response]:
    """Every response of a learner's attempt in order, attached as `upcoming_for_learner`'s are,
    in one query. Empty when the attempt is not theirs or does not exist."""
    return answer_sql.every_response(attempt_id, user.pk)


def choices_by_id(responses: list[Response]) -> dict[int, Choice]:
    """The options of these questions, one query, keyed by id."""
    return answer_sql.choices_by_id([choice_id for response in responses for choice_id in response.option_order])


def show_current_question(
    attempt: Attempt, now: datetime, upcoming: list[Response] | None = None
) -> Response | None:
    """The question the learner should see now, its clock started if it was not yet shown.

    A question whose deadline (plus grace) passed while the learner was away is recorded as
    timed out first. Returns None when no question is left (the attempt is then finished).
    `upcoming`: the attempt's first two open responses when the caller has read them already.
    """
    if attempt.is_finished:
        return None
    if upcoming is None:
        upcoming = list(open_responses(attempt)[:2])
    for response in upcoming:
        if response.shown_at is None:
            return _start_clock(response, now)
        if not response.is_late(now):
            return response
        try:
            # A transaction of its own (a savepoint inside a caller's): a refused close must
            # not spoil the rest of the request.
            with transaction.atomic():
                _close(attempt, response, Outcome.TIMED_OUT, None, now)
        except NotCurrentQuestion:
            pass  # a second tab or the browser's time-out closed it first: move on all the same
    return None


def _start_clock(response: Response, now: datetime) -> Response:
    clock = _clock_for(response, now)
    return _with_clock(response, clock, answer_sql.start_clock(clock))


def _clock_for(response: Response, now: datetime) -> answer_sql.Clock:
    return answer_sql.Clock(response.pk, now, timing.deadline_for(now, response.attempt.seconds_per_question))


def _with_clock(response: Response, clock: answer_sql.Clock, started: bool) -> Response:
    if started:
        response.shown_at, response.deadline = clock.shown_at, clock.deadline
    else:
        # Another request (a second tab) showed it first: its clock is the one that counts.
        response.refresh_from_db(fields=["shown_at", "deadline"])
    return response


# --- answering -----------------------------------------------------------------------------


@dataclass
class Answered:
    """What a submission did: the question it closed, the question shown next if any, and the
    options of both (loaded once, for grading and for the page)."""

    response: Response
    next_response: Response | None
    choices: dict[int, Choice]


def record_answer(
    attempt: Attempt,
    position: int,
    action: str,
    choice_id: int | None,
    now: datetime,
    upcoming: list[Response] | None = None,
) -> Answered:
    """Record the learner's answer to the question at `position` and, when the quiz gives its
    feedback at the end, start the next question's clock in the same request.

    `action` is "answer" (with `choice_id`), "skip" (leave it blank) or "expire" (the browser's
    clock ran out). Time is the server's: an answer after the deadline plus grace is timed out.
    """
    if attempt.is_finished:
        raise AttemptFinished("This attempt is finished; its questions can no longer be answered.")
    if upcoming is None:
        upcoming = list(open_responses(attempt)[:2])
    current = upcoming[0] if upcoming else None
    if current is None or current.position != position or current.shown_at is None:
        raise NotCurrentQuestion(
            "That question is no longer open: it has already been answered or timed out."
            if current is None or position < current.position
            else "That question has not been shown yet; answer the one on screen."
        )
    choices = choices_by_id(upcoming)
    outcome, choice = _judge(current, action, choice_id, choices, now)
    following = upcoming[1] if len(upcoming) > 1 and not attempt.feedback_after_each else None
    clock = _clock_for(following, now) if following else None
    clock_started = _close(attempt, current, outcome, choice, now, clock)
    if following:
        following = _with_clock(following, clock, clock_started)
    return Answered(current, following, choices)


def _judge(response: Response, action: str, choice_id: int | None, choices: dict[int, Choice], now: datetime):
    """The outcome of a submission and the option it records, decided on the server's clock."""
    if action == "expire":
        if not timing.has_expired(response.deadline, now):
            raise ClockStillRunning("There is still time left on this question.")
        return Outcome.TIMED_OUT, None
    if response.is_late(now):
        return Outcome.TIMED_OUT, None
    if action == "skip":
        return Outcome.SKIPPED, None
    if choice_id is None:
        raise InvalidChoice("Pick one of the four options before you submit, or skip the question.")
    if choice_id not in response.option_order or choice_id not in choices:
        raise InvalidChoice("That option is not one of this question's options.")
    choice = choices[choice_id]
    return (Outcome.CORRECT if choice.is_correct else Outcome.WRONG), choice


def _close(
    attempt: Attempt,
    response: Response,
    outcome: str,
    choice: Choice | None,
    now: datetime,
    clock: answer_sql.Clock | None = None,
) -> bool:
    """Write the answer into the open row, add it to the attempt's totals and start the next
    question's `clock` if given, atomically. True if this request started that clock."""
    marks = scoring.marks_for(outcome, attempt.marks_correct, attempt.marks_wrong)
    counter = {
        Outcome.CORRECT: "correct_count",
        Outcome.WRONG: "wrong_count",
    }.get(outcome, "unanswered_count")
    finished_at = now if response.position == attempt.question_count - 1 else None
    closing = answer_sql.Closing(
        response.pk, outcome, choice.pk if choice else None, now, marks, attempt.pk, counter, finished_at
    )
    closed, clock_started = answer_sql.close_and_advance(closing, clock)
    if not closed:
        raise NotCurrentQuestion("That question has already been answered.")
    response.outcome, response.choice, response.answered_at, response.marks = outcome, choice, now, marks
    _add_to_totals(attempt, outcome, marks, counter, finished_at)
    return clock_started


def _add_to_totals(attempt: Attempt, outcome: str, marks: Decimal, counter: str, finished_at):
    """Mirror the database's totals on the in-memory attempt, so the page shows them."""
    attempt.score += marks
    setattr(attempt, counter, getattr(attempt, counter) + 1)
    if finished_at:
        attempt.finished_at = finished_at
