"""Workflows of a quiz attempt, one call per learner request: `start`, `open_question`,
`answer`, `feedback` and `review`. Each reads once through the store (quiz/store.py), judges
through pure rules (scoring.py, timing.py and the models' methods), writes once through the
store, and raises `AttemptNotFound` when the attempt is not the learner's (the view's 404) or a
`QuizError` that says what was wrong and what the learner's screen should show instead.

Races are guarded in the database: the attempt's rows are created together, a question's clock
is started by a conditional update that only the first request wins, and an answer is written
by a conditional update that only matches an open question, so two tabs or a replayed request
can never record a second answer or restart a clock.
"""

import random
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from django.db import transaction
from django.db.models import Count, Max, Q

from questions.models import Choice, GiveawayGroup, Question, giveaway_partners
from quiz import key_holds, scoring, store, timing
from quiz.models import Attempt, Quiz, QuizQuestion, Response
from django.utils.translation import gettext as _

Outcome = Response.Outcome


class AttemptNotFound(Exception):
    """No such attempt for this learner (another learner's does not exist for them): a 404."""


class QuizError(Exception):
    """A request the quiz cannot honour. `message` is shown to the learner and `status` sent;
    `attempt` and `on_screen` (the question still open to answer, if any) say what to show."""

    status = 400

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message
        self.attempt: Attempt | None = None
        self.on_screen: Response | None = None
        self.choices: dict[int, Choice] = {}

    def about(self, attempt: Attempt, on_screen: Response | None = None, choices=None) -> "QuizError":
        self.attempt, self.on_screen, self.choices = attempt, on_screen, choices or {}
        return self


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


class NotFinished(QuizError):
    """The result of an attempt still in progress."""

    status = 409


# --- the catalogue and starting ----------------------------------------------------------


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
    ids = list(quiz.drawn_from(Question.objects.published()).values_list("id", flat=True))
    rng.shuffle(ids)
    return apart(ids, giveaway_partners(), quiz.draw_count)


def apart(ids: list[int], partners: dict[int, set[int]], limit: int | None) -> list[int]:
    """The first `limit` of `ids` (all when None), in order, passing over any question whose
    giveaway partner is already taken: no attempt holds two questions of one giveaway group.
    `ids` come shuffled, so which of a group is taken is random."""
    taken: list[int] = []
    barred: set[int] = set()
    for question_id in ids:
        if limit is not None and len(taken) == limit:
            break
        if question_id in barred:
            continue
        taken.append(question_id)
        barred |= partners.get(question_id, set())
    return taken


def count_questions(quizzes: list[Quiz]) -> None:
    """Set `question_total` on each quiz: how many questions one attempt gets. Two queries for
    any number of quizzes, three when one of them is drawn at random (its giveaway groups)."""
    fixed = dict(
        QuizQuestion.objects.filter(quiz__in=quizzes, question__status=Question.Status.PUBLISHED)
        .values_list("quiz_id")
        .annotate(n=Count("id"))
    )
    pool = list(
        Question.objects.published().values_list("source_id", "topic_id").annotate(n=Count("id"))
    )
    drawn_at_random = any(quiz.selection != Quiz.Selection.FIXED for quiz in quizzes)
    grouped = _published_group_members() if drawn_at_random else {}
    for quiz in quizzes:
        if quiz.selection == Quiz.Selection.FIXED:
            quiz.question_total = fixed.get(quiz.pk, 0)
            continue
        available = sum(n for source_id, topic_id, n in pool if _draws_from(quiz, source_id, topic_id))
        # A draw takes one question of each giveaway group (exactly one when groups share no
        # question, which is how editors make them).
        available -= sum(
            max(0, sum(_draws_from(quiz, *place) for place in members) - 1) for members in grouped.values()
        )
        quiz.question_total = min(quiz.draw_count, available) if quiz.draw_count else available
    for quiz in quizzes:
        quiz.total_seconds = quiz.question_total * quiz.seconds_per_question
        quiz.max_score = quiz.question_total * quiz.marks_correct


def _draws_from(quiz: Quiz, source_id: int, topic_id: int) -> bool:
    return quiz.draw_source_id in (None, source_id) and quiz.draw_topic_id in (None, topic_id)


def _published_group_members() -> dict[int, list[tuple[int, int]]]:
    """Each giveaway group's published questions, as (source id, topic id)."""
    members: dict[int, list[tuple[int, int]]] = {}
    rows = GiveawayGroup.questions.through.objects.filter(
        question__status=Question.Status.PUBLISHED
    ).values_list("giveawaygroup_id", "question__source_id", "question__topic_id")
    for group_id, source_id, topic_id in rows:
        members.setdefault(group_id, []).append((source_id, topic_id))
    return members


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


def time_factor(user) -> Decimal:
    """The learner's time factor, for the quiz page to say before they start."""
    return store.time_factor(user.pk)


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
        raise QuizError(_("This quiz has no published questions yet."))
    return Draw(question_ids, option_orders(question_ids, quiz.shuffle_options, rng))


def start(quiz: Quiz, user, now: datetime, rng: random.Random | None = None) -> int:
    """The id of the learner's unfinished attempt at this quiz, or of a new one with its
    question and option order fixed for good: one sitting at a time."""
    return _start(quiz, user, now, lambda: draw_attempt(quiz, rng or random.Random()))


def start_revision(quiz: Quiz, user, question_ids: list[int], now: datetime, rng: random.Random | None = None) -> int:
    """A revision session of these questions (those still published, in a shuffled order) in
    the same timed engine, on `quiz` (the hidden quiz revision sessions are made on); or the
    learner's unfinished revision session, which is finished first. A revision attempt never
    counts in a quiz's scores, reports or item statistics (`Attempt.is_revision`)."""
    rng = rng or random.Random()

    def draw() -> Draw:
        ids = list(Question.objects.published().filter(pk__in=question_ids).values_list("pk", flat=True))
        if not ids:
            raise QuizError(_("There is nothing to revise right now."))
        rng.shuffle(ids)
        return Draw(ids, option_orders(ids, quiz.shuffle_options, rng))

    return _start(quiz, user, now, draw, is_revision=True)


def _start(quiz: Quiz, user, now: datetime, draw_for, is_revision: bool = False) -> int:
    attempt_id = store.unfinished_attempt_id(user.pk, quiz.pk)
    if attempt_id:
        return attempt_id
    # Drawn before the write transaction: on SQLite that transaction holds the write lock of
    # the whole database, which every other learner's answer waits for.
    draw = draw_for()
    factor = store.time_factor(user.pk)
    with transaction.atomic():
        # A double tap on Start: the second request waits here, then finds the first's attempt.
        store.lock_learner(user)
        latest = store.latest_sitting(user.pk, quiz.pk)
        if latest is not None and not latest.is_finished:
            return latest.id
        # A revision session is never a first sitting: leaderboards rank first sittings only.
        first = latest is None and not is_revision
        attempt = Attempt.starting(quiz, user, now, len(draw.question_ids), factor, is_first=first)
        attempt.is_revision = is_revision
        attempt_id = store.create_attempt(attempt, draw.question_ids, draw.option_orders).pk
        if not is_revision:
            # An exam-style attempt holds its keys from now: a practice question on screen in
            # another tab must not show its key when answered.
            key_holds.hold_keys_on_screen([user.pk], quiz)
        return attempt_id


# --- taking it -----------------------------------------------------------------------------


@dataclass
class Screen:
    """What a learner's request leads to: the attempt, the question to answer now (None when
    none is left), the question just answered or asked about (for its feedback), and the
    options of both by id."""

    attempt: Attempt
    question: Response | None = None
    answered: Response | None = None
    choices: dict[int, Choice] = field(default_factory=dict)
    # The answered question's key held back, and why (quiz/key_holds.py); None to show it.
    hold: key_holds.Hold | None = None


@dataclass(frozen=True)
class Submission:
    """What the learner sent: the question's position, "answer" (with `option`), "skip"
    (leave it blank) or "expire" (the browser's clock ran out; with `option` when one was
    selected but not submitted, which is then judged as any answer: as Moodle does), and how
    sure the learner said they were ("" when they did not say).

    `option` is the option's place in the order this learner was shown, from 1, never its id:
    ids follow the order options were imported in (right answer first, the Moodle way), so an
    id in the page would give the key away however the options were shuffled."""

    position: int
    action: str
    option: int | None = None
    confidence: str = ""


def open_question(attempt_id: int, user, now: datetime) -> Screen:
    """The question the learner should see now, its clock started if it was not yet shown.

    A question whose deadline (plus grace) passed while the learner was away is recorded as
    timed out first. `question` is None when no question is left."""
    read = _found(store.read_upcoming(attempt_id, user.pk))
    attempt = read.attempt
    return Screen(attempt, question=_current_question(attempt, read.responses, now), choices=read.choices)


def _current_question(attempt: Attempt, upcoming: list[Response], now: datetime) -> Response | None:
    # A paper has no question clocks: quiz/papers.py serves it.
    if attempt.is_finished or attempt.is_paper:
        return None
    for response in upcoming:
        if response.shown_at is None:
            return _start_clock(attempt, response, now)
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


def answer(attempt_id: int, user, submission: Submission, now: datetime, arrived_at: datetime | None = None) -> Screen:
    """Record the learner's answer to the question on screen and, when the quiz gives its
    feedback at the end, start the next question's clock in the same write. Time is the
    server's: an answer that arrived (`arrived_at`, default `now`) after the deadline plus grace
    is timed out. It is recorded as closed `now`, when the next question's clock starts.
    `answered` is the closed question; `question` the next one shown, exam style."""
    arrived_at = arrived_at or now
    read = _found(store.read_upcoming(attempt_id, user.pk))
    attempt, upcoming = read.attempt, read.responses
    if attempt.is_finished:
        raise AttemptFinished(_("This attempt is finished; its questions can no longer be answered.")).about(attempt)
    if attempt.is_paper:
        raise NotCurrentQuestion(_("This is a paper: save your answers on the paper's page.")).about(attempt)
    current = upcoming[0] if upcoming else None
    try:
        if current is None or current.position != submission.position or current.shown_at is None:
            raise NotCurrentQuestion(
                _("That question is no longer open: it has already been answered or timed out.")
                if current is None or submission.position < current.position
                else _("That question has not been shown yet; answer the one on screen.")
            )
        outcome, choice = _judge(current, submission, read.choices, arrived_at)
    except QuizError as error:
        # Nothing was written: the question on screen is still the one to answer, if it can be.
        raise error.about(attempt, _answerable(current, now), read.choices) from None
    following = upcoming[1] if len(upcoming) > 1 and not attempt.feedback_after_each else None
    clock = _clock_for(attempt, following, now) if following else None
    confidence = _confidence(attempt, outcome, submission.confidence)
    clock_started = _close(attempt, current, outcome, choice, now, clock, confidence)
    if following:
        _take_clock(following, clock, clock_started)
    # Marked when it was shown, so an answer whose key nobody holds asks nothing more.
    hold = _hold_on(attempt, current, now) if attempt.feedback_after_each and current.key_held else None
    return Screen(attempt, question=following, answered=current, choices=read.choices, hold=hold)


def refusal(attempt_id: int, user, error: QuizError, now: datetime) -> QuizError:
    """`error`, refused before the attempt was read (a malformed form), with what the
    learner's screen should show: the question still open to answer, if any. Writes nothing."""
    read = _found(store.read_upcoming(attempt_id, user.pk))
    current = read.responses[0] if read.responses else None
    return error.about(read.attempt, _answerable(current, now), read.choices)


def feedback(attempt_id: int, user, number: int, now: datetime) -> Screen:
    """The right option and explanation of one answered question (`answered`). Before the end
    of an exam-style attempt, and before the question is answered, there is nothing to see."""
    read = _found(store.read_feedback(attempt_id, user.pk, number - 1))
    attempt = read.attempt
    if attempt.is_paper and not attempt.is_finished:
        raise FeedbackNotYet(_("In a paper the answers are shown when you submit it.")).about(attempt)
    asked = next((r for r in read.responses if r.position == number - 1), None)
    if asked is None:
        raise AttemptNotFound(attempt_id)
    current = next((r for r in read.responses if r.is_open), None)
    if asked.is_open:
        error = NotCurrentQuestion(_("That question has not been answered yet."))
        raise error.about(attempt, _answerable(current, now), read.choices)
    if not (attempt.feedback_after_each or attempt.is_finished):
        error = FeedbackNotYet(_("In this exam-style quiz the answers are shown when you finish."))
        raise error.about(attempt, _answerable(current, now), read.choices)
    return Screen(attempt, answered=asked, choices=read.choices, hold=_hold_on(attempt, asked, now))


def _hold_on(attempt: Attempt, response: Response, now: datetime) -> key_holds.Hold | None:
    """What holds this question's key back from the attempt's learner now, if anything."""
    return key_holds.keys_held_back(attempt.user_id, now, [response.question_id], attempt.quiz).get(response.question_id)


@dataclass
class Review:
    """A finished attempt with every response in order, and their options by id."""

    attempt: Attempt
    responses: list[Response]
    choices: dict[int, Choice]
    # The questions whose keys are held back from the learner (quiz/key_holds.py), by id.
    held: dict[int, key_holds.Hold] = field(default_factory=dict)


def review(attempt_id: int, learner, now: datetime | None = None) -> Review:
    """Every question of the learner's finished attempt, for the result page (and for a
    teacher's view of it, once the teacher's own access is checked). The learner's own page
    passes `now`: the keys held back from them then are left out (`held`)."""
    read = _found(store.read_every_response(attempt_id, learner.pk))
    if not read.attempt.is_finished:
        raise NotFinished(_("Finish the quiz to see your result.")).about(read.attempt)
    held = {}
    if now is not None:
        held = key_holds.keys_held_back(learner.pk, now, [r.question_id for r in read.responses], read.attempt.quiz)
    return Review(read.attempt, read.responses, read.choices, held)


def _found(read: store.Read) -> store.Read:
    if read.attempt is None:
        raise AttemptNotFound()
    return read


def _answerable(response: Response | None, now: datetime) -> Response | None:
    """The open question, if its clock runs and an answer now would still count."""
    if response is None or response.shown_at is None or response.is_late(now):
        return None
    return response


def _judge(response: Response, submission: Submission, choices: dict[int, Choice], now: datetime):
    """The outcome of a submission and the option it records, decided on the server's clock."""
    if submission.action == "expire" and submission.option is None:
        if not timing.has_expired(response.deadline, now):
            raise ClockStillRunning(_("There is still time left on this question."))
        return Outcome.TIMED_OUT, None
    if response.is_late(now):
        return Outcome.TIMED_OUT, None
    if submission.action == "skip":
        return Outcome.SKIPPED, None
    if submission.option is None:
        raise InvalidChoice(_("Pick one of the four options before you submit, or skip the question."))
    choice = _shown_option(response, submission.option, choices)
    return (Outcome.CORRECT if choice.is_correct else Outcome.WRONG), choice


def _shown_option(response: Response, place: int, choices: dict[int, Choice]) -> Choice:
    """The option at `place` (from 1) in the order this learner was shown the question."""
    if not 1 <= place <= len(response.option_order) or response.option_order[place - 1] not in choices:
        raise InvalidChoice(_("That option is not one of this question's options."))
    return choices[response.option_order[place - 1]]


def _confidence(attempt: Attempt, outcome: str, said: str) -> str:
    """How sure the learner was, kept only with an option picked (a blank or a time-out has no
    answer to be sure of) and only where the quiz asks."""
    if not attempt.quiz.ask_confidence or outcome not in scoring.GRADED:
        return ""
    return said


def _clock_for(attempt: Attempt, response: Response, now: datetime) -> store.Clock:
    return store.Clock(response.pk, now, timing.deadline_for(now, attempt.seconds_per_question))


def _start_clock(attempt: Attempt, response: Response, now: datetime) -> Response:
    clock = _clock_for(attempt, response, now)
    if attempt.feedback_after_each and _hold_on(attempt, response, now):
        # Decided now, off the answer path: the answer reads this mark with its row.
        clock = store.Clock(clock.response_id, clock.shown_at, clock.deadline, key_held=True)
        store.mark_key_held(attempt)
    _take_clock(response, clock, store.start_clock(clock))
    return response


def _take_clock(response: Response, clock: store.Clock, started: bool) -> None:
    # When another request (a second tab) showed it first, its clock is the one that counts.
    response.start_clock(*((clock.shown_at, clock.deadline) if started else store.read_clock(response.pk)))


def _close(
    attempt: Attempt,
    response: Response,
    outcome: str,
    choice: Choice | None,
    now: datetime,
    clock: store.Clock | None = None,
    confidence: str = "",
) -> bool:
    """Write the answer into the open row, add it to the attempt's totals and start the next
    question's `clock` if given, atomically. True if this request started that clock."""
    marks = attempt.marks_for(outcome)
    finished_at = now if scoring.finishes_attempt(response.position, attempt.question_count) else None
    language = response.question.shown_language
    closing = store.Closing(
        response.pk, outcome, choice.pk if choice else None, now, marks, attempt.pk,
        scoring.counter_for(outcome), finished_at, confidence, language,
    )
    closed = store.close_and_advance(closing, clock)
    if not closed.closed:
        raise NotCurrentQuestion(_("That question has already been answered.")).about(attempt)
    response.close(outcome, choice, now, marks, confidence, language)
    attempt.take_totals(closed.totals)
    return closed.clock_started
