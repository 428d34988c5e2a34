"""What the three reports of one assigned quiz hold, row by row: scores, item analysis, and
the learner x question matrix. Pages and exports read the same rows and the same columns.

Every report reads a fixed number of queries whatever the size of the class and the quiz. The
item analysis is added up by the database, which returns a few rows per question; the scores
and the matrix iterate their queries in chunks, so an export of a large class streams instead
of loading every response at once, and the matrix page reads only its page of learners.
Learners are those in the class now; attempts are those at the assigned quiz; statistics are
on each learner's first finished attempt.
"""

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import (
    BigIntegerField,
    Count,
    FloatField,
    Exists,
    F,
    Max,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
)
from django.db.models.functions import Cast, Coalesce, Round
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_noop

from lib.translated import in_reading_language
from questions.models import LETTERS, Choice, Question
from quiz import scoring, timing
from quiz.models import Attempt, Quiz, QuizQuestion, Response, seconds_taken_in_database
from teaching.models import Assignment, Membership
from teaching.stats import ItemStats, Summary, histogram, summarise

CHUNK = 2000
# Learners on one page of the learner x question matrix. 50 learners on a 100-question quiz
# are 5,000 cells, which render well within the 500 ms a report page may take (the whole
# class of 1,000 on one page was 8 MB and took seconds); the exports hold every learner.
MATRIX_PAGE_SIZE = 50
SUBMITTED, IN_PROGRESS, NOT_ATTEMPTED = gettext_noop("Submitted"), gettext_noop("In progress"), gettext_noop("Not yet attempted")
Outcome = Response.Outcome


def learner_name(user) -> str:
    return user.get_full_name() or user.username


def rounded(value: float | Decimal | None, places: str = "0.01") -> Decimal | None:
    """Rounded half up as by hand. Floats are first cut to 9 places, so 0.33499999999999996
    (which is 1.34 / 4 in binary) rounds as the 0.335 it stands for."""
    if value is None:
        return None
    return Decimal(str(round(value, 9))).quantize(Decimal(places), rounding=ROUND_HALF_UP)


# --- whose attempts ------------------------------------------------------------------------


def members(assignment: Assignment) -> QuerySet[Membership]:
    """The class's learners in a stable order that every report and its merge rely on."""
    return (
        Membership.objects.filter(classroom_id=assignment.classroom_id)
        .select_related("learner")
        .order_by("learner__username", "learner_id")
    )


def first_attempts(assignment: Assignment, joined_by: datetime | None = None) -> QuerySet[Attempt]:
    """Each class member's first finished attempt at the assigned quiz; with `joined_by`, only
    of those who had joined by then."""
    # One filter() call, so the membership conditions apply to the same membership row.
    membership = {"user__class_memberships__classroom_id": assignment.classroom_id}
    if joined_by is not None:
        membership["user__class_memberships__joined_at__lte"] = joined_by
    return Attempt.objects.first_finished(assignment.quiz_id).filter(**membership)


def _in_progress(assignment: Assignment) -> Exists:
    return Exists(
        Attempt.objects.filter(user=OuterRef("learner"), quiz_id=assignment.quiz_id, finished_at__isnull=True)
    )


def report_questions(assignment: Assignment) -> list[Question]:
    """The quiz's questions in quiz order, with their options: its fixed published set, and
    any other question a first attempt was given (a random draw, or one since archived).
    Each gets `number` (Q1, Q2, ...), `option_letters` and `key` (the right option's letter).
    Two queries."""
    quiz_id = assignment.quiz_id
    fixed = QuizQuestion.objects.filter(quiz_id=quiz_id, question__status=Question.Status.PUBLISHED)
    drawn = Response.objects.filter(attempt__in=first_attempts(assignment)).values("question_id")
    position = QuizQuestion.objects.filter(quiz_id=quiz_id, question=OuterRef("pk")).values("position")[:1]
    questions = list(
        Question.objects.filter(Q(pk__in=fixed.values("question_id")) | Q(pk__in=drawn))
        .annotate(quiz_position=Subquery(position))
        .order_by(F("quiz_position").asc(nulls_last=True), "pk")
        .prefetch_related(Prefetch("choices", queryset=Choice.objects.order_by("position")))
    )
    for number, question in enumerate(questions, start=1):
        question.number = number
        question.option_letters = {c.pk: LETTERS[i] for i, c in enumerate(question.choices.all())}
        question.key = next((LETTERS[i] for i, c in enumerate(question.choices.all()) if c.is_correct), "")
    return questions


# --- scores --------------------------------------------------------------------------------

SCORE_COLUMNS = [
    gettext_noop("Learner"),
    gettext_noop("Username"),
    gettext_noop("Status"),
    gettext_noop("First score"),
    gettext_noop("Best score"),
    gettext_noop("Correct"),
    gettext_noop("Wrong"),
    gettext_noop("Unanswered"),
    gettext_noop("Marks lost"),
    gettext_noop("Time taken (s)"),
    gettext_noop("Submitted (IST)"),
    gettext_noop("Attempts"),
    gettext_noop("Time factor"),
    gettext_noop("Weakest topic"),
    gettext_noop("Guesses (share of answers)"),
    gettext_noop("Guesses paid"),
]


@dataclass
class ScoreRow:
    learner: object
    status: str
    first_attempt_id: int | None = None
    first_score: Decimal | None = None
    best_score: Decimal | None = None
    correct: int | None = None
    wrong: int | None = None
    unanswered: int | None = None
    marks_lost: Decimal | None = None
    seconds_taken: int | None = None
    time_factor: Decimal | None = None
    submitted_at: datetime | None = None
    attempts: int = 0
    weakest_topic: str = ""
    guess_share: Decimal | None = None
    guesses_paid: str = ""
    # Questions of the first attempt whose key the learner had already seen elsewhere.
    keys_seen_before: int = 0

    @property
    def time_factor_label(self) -> str | None:
        return None if self.time_factor is None else timing.factor_label(self.time_factor)

    @property
    def name(self) -> str:
        return learner_name(self.learner)

    def cells(self) -> list:
        return [
            self.name,
            self.learner.username,
            self.status,
            self.first_score,
            self.best_score,
            self.correct,
            self.wrong,
            self.unanswered,
            self.marks_lost,
            self.seconds_taken,
            self.submitted_at,
            self.attempts,
            self.time_factor_label,
            self.weakest_topic,
            self.guess_share,
            self.guesses_paid,
        ]


def _score_queryset(assignment: Assignment) -> QuerySet[Membership]:
    finished = Attempt.objects.filter(
        user=OuterRef("learner"), quiz_id=assignment.quiz_id, finished_at__isnull=False
    )
    first = finished.order_by("started_at", "pk")

    def of_first(name: str) -> Subquery:
        return Subquery(first.values(name)[:1])

    per_learner = finished.order_by().values("user")
    return members(assignment).annotate(
        first_id=of_first("pk"),
        first_score=of_first("score"),
        first_correct=of_first("correct_count"),
        first_wrong=of_first("wrong_count"),
        first_unanswered=of_first("unanswered_count"),
        first_marks_wrong=of_first("marks_wrong"),
        first_started_at=of_first("started_at"),
        first_finished_at=of_first("finished_at"),
        first_time_factor=of_first("time_factor"),
        best=Subquery(per_learner.annotate(best=Max("score")).values("best")),
        finished_count=Coalesce(Subquery(per_learner.annotate(n=Count("pk")).values("n")), 0),
        in_progress=_in_progress(assignment),
    ).annotate(**_learning_of_first(), keys_seen_before=_keys_seen_before_first())


def _keys_seen_before_first() -> Coalesce:
    """How many questions of the first attempt the learner had already been shown the key of
    elsewhere before starting it (issue 15, item 2). Derived from the answers already stored,
    so nothing is recorded on the answer path: an answer closed with its feedback shown in a
    quiz with feedback after each (revision sessions included), unless its key was held back
    when it was shown (`Response.key_held`); or any question of another attempt finished
    before, whose result page shows its key. (That result page may have held the key back if
    the learner opened it only while a hold applied: such a question is counted all the same.)"""
    started = OuterRef("attempt__started_at")
    seen = (
        Response.objects.filter(attempt__user=OuterRef("attempt__user"), question=OuterRef("question"), key_held=False)
        .exclude(attempt=OuterRef("attempt"))
        .exclude(outcome=Response.Outcome.OPEN)
        .filter(Q(attempt__feedback=Quiz.Feedback.EACH, answered_at__lt=started) | Q(attempt__finished_at__lt=started))
    )
    firsts = Response.objects.filter(attempt=OuterRef("first_id")).filter(Exists(seen)).order_by().values("attempt")
    return Coalesce(Subquery(firsts.annotate(n=Count("pk")).values("n")), 0)


def _learning_of_first() -> dict:
    """What the first attempt says of the learner's learning: the topic they got least right
    (ties: the name first), and their answers marked Guess with the marks those earned."""
    answers = Response.objects.filter(attempt=OuterRef("first_id")).exclude(outcome=Response.Outcome.OPEN).order_by()
    by_topic = (
        answers.annotate(topic_name=in_reading_language("question__topic__name"))
        .values("question__topic", "topic_name")
        .annotate(
            n=Count("pk"),
            accuracy=Cast(Count("pk", filter=Q(outcome=Response.Outcome.CORRECT)), FloatField()) / Count("pk"),
        )
        .order_by("accuracy", "topic_name")
        .values("topic_name")[:1]
    )
    guesses = answers.filter(confidence=Response.Confidence.GUESS).values("attempt")
    return {
        "weakest_topic": Subquery(by_topic),
        "guesses": Coalesce(Subquery(guesses.annotate(n=Count("pk")).values("n")), 0),
        "guess_marks": Subquery(guesses.annotate(net=Sum("marks")).values("net")),
    }


def _guesses_paid(guesses: int, marks: Decimal | None) -> str:
    if not guesses:
        return ""
    return "yes" if scoring.guessing_paid(marks or Decimal("0")) else "no"


def score_rows(assignment: Assignment) -> Iterator[ScoreRow]:
    """One row per learner in the class, first attempt and best, in one streamed query. The
    query is built here, not when the rows are first read: its topic names are in the language
    active now."""
    return _score_rows(_score_queryset(assignment))


def _score_rows(memberships: QuerySet[Membership]) -> Iterator[ScoreRow]:
    for m in memberships.iterator(chunk_size=CHUNK):
        if m.first_id is None:
            yield ScoreRow(learner=m.learner, status=IN_PROGRESS if m.in_progress else NOT_ATTEMPTED)
            continue
        yield ScoreRow(
            learner=m.learner,
            status=SUBMITTED,
            first_attempt_id=m.first_id,
            first_score=m.first_score,
            best_score=m.best,
            correct=m.first_correct,
            wrong=m.first_wrong,
            unanswered=m.first_unanswered,
            marks_lost=m.first_marks_wrong * m.first_wrong,
            seconds_taken=round((m.first_finished_at - m.first_started_at).total_seconds()),
            time_factor=m.first_time_factor,
            submitted_at=m.first_finished_at,
            attempts=m.finished_count,
            weakest_topic=m.weakest_topic or "",
            guess_share=rounded(m.guesses / answered) if (answered := m.first_correct + m.first_wrong) else None,
            guesses_paid=_guesses_paid(m.guesses, m.guess_marks),
            keys_seen_before=m.keys_seen_before,
        )


@dataclass
class ScoreReport:
    rows: list[ScoreRow]
    summary: Summary
    bins: list


def score_report(assignment: Assignment, max_score: Decimal, bins: int = 10) -> ScoreReport:
    rows = list(score_rows(assignment))
    firsts = [r.first_score for r in rows if r.first_score is not None]
    low = min([Decimal("0"), *firsts])
    return ScoreReport(rows, summarise(firsts), histogram(firsts, low, max_score or Decimal("1"), bins))


# --- item analysis -------------------------------------------------------------------------


def item_columns(questions: list[Question]) -> list[str]:
    options = max((len(q.option_letters) for q in questions), default=4)
    return [
        gettext_noop("Question"),
        gettext_noop("Text"),
        gettext_noop("Key"),
        gettext_noop("First attempts"),
        gettext_noop("Facility"),
        gettext_noop("Discrimination"),
        gettext_noop("Timeout rate"),
        gettext_noop("Mean time to answer (s)"),
        *LETTERS[:options],
        gettext_noop("Flags"),
    ]


@dataclass
class ItemRow:
    question: Question
    stats: ItemStats
    option_count: int

    @property
    def picks(self) -> list[int]:
        """How often each option (in its canonical order a, b, c, ...) was picked."""
        by_letter = {self.question.option_letters[cid]: n for cid, n in self.stats.picks.items()}
        return [by_letter.get(letter, 0) for letter in LETTERS[: self.option_count]]

    @property
    def option_cells(self) -> list[tuple[str, int, bool]]:
        return [(LETTERS[i], n, LETTERS[i] == self.question.key) for i, n in enumerate(self.picks)]

    @property
    def facility(self) -> Decimal | None:
        return rounded(self.stats.facility)

    @property
    def discrimination(self) -> Decimal | None:
        return rounded(self.stats.discrimination)

    @property
    def timeout_rate(self) -> Decimal | None:
        return rounded(self.stats.timeout_rate)

    @property
    def mean_seconds(self) -> Decimal | None:
        return rounded(self.stats.mean_seconds, "0.1")

    @property
    def flags(self) -> list[str]:
        return self.stats.flags

    def cells(self) -> list:
        return [
            f"Q{self.question.number}",
            str(self.question),
            self.question.key,
            self.stats.n,
            self.facility,
            self.discrimination,
            self.timeout_rate,
            self.mean_seconds,
            *self.picks,
            "; ".join(self.flags),
        ]


def _item_groups(assignment: Assignment) -> QuerySet:
    """The first attempts' responses added up by the database, grouped by question and by what
    fixes a response's mark (its outcome, option and mark, and the attempt's full mark): within
    a group only the attempts' scores differ, so their sum and the sum of their squares are all
    the discrimination index needs. Scores are summed in whole hundredths, exact on SQLite too
    (whose decimals are floats)."""
    score_hundredths = Round(F("attempt__score") * 100)
    seconds_to_answer = seconds_taken_in_database()
    # Answers that picked an option and have both times. A missing time is left out here, not
    # by LEAST(), which on PostgreSQL would skip it and give the question's whole time.
    timed_answers = Q(
        outcome__in=[Outcome.CORRECT, Outcome.WRONG], shown_at__isnull=False, answered_at__isnull=False
    )
    return (
        Response.objects.filter(attempt__in=first_attempts(assignment))
        .values_list("question_id", "choice_id", "outcome", "marks", "attempt__marks_correct")
        .annotate(
            count=Count("pk"),
            totals=Sum(score_hundredths, output_field=BigIntegerField()),
            totals_squared=Sum(score_hundredths * score_hundredths, output_field=BigIntegerField()),
            answer_seconds=Sum(seconds_to_answer, filter=timed_answers),
            answers_timed=Count("pk", filter=timed_answers),
        )
        .order_by()
    )


def item_rows(assignment: Assignment, questions: list[Question]) -> list[ItemRow]:
    """Item statistics of every question over the class's first attempts, from one query that
    returns a few rows per question whatever the size of the class."""
    stats = {q.pk: ItemStats() for q in questions}
    for group in _item_groups(assignment):
        question_id, choice_id, outcome, mark, max_mark, count, totals, squares, seconds, timed = group
        item = stats.get(question_id)
        if item is None:
            continue
        item.add_group(
            mark,
            max_mark,
            count,
            Decimal(totals).scaleb(-2),
            Decimal(squares).scaleb(-4),
            timeouts=count if outcome == Outcome.TIMED_OUT else 0,
            answer_seconds=float(seconds or 0),
            answers_timed=timed,
            picked=choice_id,
        )
    options = max((len(q.option_letters) for q in questions), default=4)
    return [ItemRow(q, stats[q.pk], options) for q in questions]


# --- learner x question matrix -------------------------------------------------------------


def matrix_columns(questions: list[Question]) -> list[str]:
    return [gettext_noop("Learner"), gettext_noop("Username"), gettext_noop("Status"), gettext_noop("First score"), *(f"Q{q.number}" for q in questions)]


@dataclass
class MatrixCell:
    outcome: str
    seconds: float | None
    language: str = ""

    @property
    def label(self) -> str:
        """What the cell reads, on the page and in the export: "Right 12.3 s"."""
        label = str(Outcome(self.outcome).label)
        if self.outcome not in (Outcome.TIMED_OUT, Outcome.OPEN) and self.seconds is not None:
            label = f"{label} {self.seconds:.1f} s"
        # The language the question was read in, when not the default: "Right 12.3 s (hi)".
        if self.language and self.language != settings.MODELTRANSLATION_DEFAULT_LANGUAGE:
            label = f"{label} ({self.language})"
        return label


@dataclass
class MatrixRow:
    learner: object
    status: str
    attempt_id: int | None = None
    score: Decimal | None = None
    cells: list[MatrixCell | None] = field(default_factory=list)

    @property
    def name(self) -> str:
        return learner_name(self.learner)

    def export_cells(self) -> list:
        return [
            self.name,
            self.learner.username,
            self.status,
            self.score,
            *("" if c is None else c.label for c in self.cells),
        ]


def matrix_learners(assignment: Assignment) -> QuerySet[Membership]:
    """The class's learners in the matrix's order, each marked if an attempt is in progress:
    the page shows a slice of them, the export all."""
    return members(assignment).annotate(in_progress=_in_progress(assignment))


def _matrix_responses(attempts: QuerySet[Attempt]) -> QuerySet:
    """The responses of these attempts, in the order of `members`."""
    return (
        Response.objects.filter(attempt__in=attempts)
        .order_by("attempt__user__username", "attempt__user_id")
        .values_list(
            "attempt__user_id",
            "attempt_id",
            "attempt__score",
            "question_id",
            "outcome",
            "shown_at",
            "answered_at",
            "attempt__seconds_per_question",
            "attempt__timing",
            "seconds_on_screen",
            "language",
        )
    )


def _merged_rows(
    memberships: Iterator[Membership], responses: Iterator[tuple], questions: list[Question]
) -> Iterator[MatrixRow]:
    """One row per membership, a cell per question, from learners and responses that arrive in
    the same order. The learners are read first. Every response's learner must be among them."""
    column = {q.pk: i for i, q in enumerate(questions)}
    membership = next(memberships, None)
    pending = next(responses, None)
    while membership is not None:
        row = MatrixRow(learner=membership.learner, status=NOT_ATTEMPTED, cells=[None] * len(questions))
        while pending is not None and pending[0] == membership.learner_id:
            _, attempt_id, score, question_id, outcome, shown, answered, limit, mode, on_screen, language = pending
            row.status, row.attempt_id, row.score = SUBMITTED, attempt_id, score
            if question_id in column:
                # In a paper, the time the question was on screen (None when never seen).
                seconds = (on_screen if shown else None) if mode == Quiz.Timing.PAPER else timing.seconds_taken(shown, answered, limit)
                row.cells[column[question_id]] = MatrixCell(outcome, seconds, language)
            pending = next(responses, None)
        if row.attempt_id is None and membership.in_progress:
            row.status = IN_PROGRESS
        yield row
        membership = next(memberships, None)


def matrix_rows(assignment: Assignment, questions: list[Question]) -> Iterator[MatrixRow]:
    """Every learner's row (the export), from two streamed queries merged as they arrive.

    The merge needs every response's learner among the learners listed. Both queries take
    those who had joined by the same moment, and the learners are read first: a learner who
    leaves in between is listed without responses, one who joins is in neither."""
    cutoff = timezone.now()
    learners = matrix_learners(assignment).filter(joined_at__lte=cutoff).iterator(chunk_size=CHUNK)
    responses = _matrix_responses(first_attempts(assignment, joined_by=cutoff)).iterator(chunk_size=CHUNK)
    return _merged_rows(learners, responses, questions)


def matrix_page_rows(
    assignment: Assignment, questions: list[Question], memberships: list[Membership]
) -> list[MatrixRow]:
    """The rows of these learners, a page of `matrix_learners`: only their responses are read,
    so a page costs the same whatever the size of the class."""
    attempts = first_attempts(assignment).filter(user_id__in=[m.learner_id for m in memberships])
    return list(_merged_rows(iter(memberships), iter(_matrix_responses(attempts)), questions))
