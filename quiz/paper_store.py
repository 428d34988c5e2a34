"""A paper's reads and writes, private to quiz/papers.py (tests/test_import_layers.py keeps it
so): its reads skip the access check the service makes first.

Races are guarded in the database. Saving an answer is one conditional UPDATE of the
question's one row, matching only while the paper is the learner's, open and within its
deadline plus grace, and only an option of that question: two tabs saving at once leave one
saved answer (the later), and a save that loses the race with the close writes nothing.
Closing is won by one conditional UPDATE of the attempt; only the winner marks the answers.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.db.models import BigIntegerField, Case, Count, DateTimeField, DecimalField, Exists, F, OuterRef, Value, When
from django.db.models.fields.json import KeyTextTransform
from django.db.models.functions import Cast, Coalesce

from questions.models import Choice
from quiz import scoring
from quiz.models import Attempt, Quiz, Response

Outcome = Response.Outcome


def read_attempt(attempt_id: int, user_id: int) -> Attempt | None:
    """The learner's attempt with its quiz, or None when it is not theirs."""
    return Attempt.objects.select_related("quiz").filter(pk=attempt_id, user_id=user_id).first()


def read_palette(attempt: Attempt) -> list[Response]:
    """Every question of the paper in order, with what its palette cell needs."""
    responses = list(
        Response.objects.filter(attempt=attempt)
        .only("id", "attempt_id", "position", "shown_at", "saved_choice_id", "marked_for_review", "outcome")
        .order_by("position")
    )
    for response in responses:
        response.attempt = attempt
    return responses


def read_question(response: Response) -> tuple[Response, dict[int, Choice]]:
    """The question on screen with its options by id."""
    full = Response.objects.select_related("question__source", "question__passage__source").get(pk=response.pk)
    full.attempt = response.attempt
    choices = {choice.pk: choice for choice in Choice.objects.filter(pk__in=full.option_order)}
    return full, choices


def show(attempt: Attempt, response: Response, now: datetime) -> None:
    """Put `response` on screen: the question that was there gets the time since it was shown
    (never past the deadline), and this one is marked as seen if it was not yet. A reload of
    the question on screen writes nothing: its time runs on from when it was put there."""
    if attempt.on_screen_position == response.position and response.shown_at is not None:
        return
    with transaction.atomic():
        if attempt.on_screen_position is not None and attempt.on_screen_since is not None:
            _credit(attempt, attempt.on_screen_position, attempt.on_screen_since, now)
        Attempt.objects.filter(pk=attempt.pk, finished_at__isnull=True).update(
            on_screen_position=response.position, on_screen_since=now
        )
        Response.objects.filter(pk=response.pk, shown_at__isnull=True).update(shown_at=now)
    attempt.on_screen_position, attempt.on_screen_since = response.position, now
    if response.shown_at is None:
        response.shown_at = now


def _credit(attempt: Attempt, position: int, since: datetime, now: datetime) -> None:
    seconds = max(0.0, (min(now, attempt.deadline) - since).total_seconds())
    if seconds:
        Response.objects.filter(attempt=attempt, position=position, outcome=Outcome.OPEN).update(
            seconds_on_screen=F("seconds_on_screen") + seconds
        )


@dataclass(frozen=True)
class Save:
    """An answer to keep in a paper: the question's position, the option by its place in the
    order this learner was shown it (1 for a; None to clear it), and whether it is marked for
    review. A place, never an option's id: ids follow the order options were imported in (right
    answer first, the Moodle way), so an id in the page would give the key away however the
    options were shuffled (issue 15, item 3)."""

    position: int
    place: int | None
    marked: bool


def _shown_option(place: int, option_order) -> Cast:
    """The id of the option at `place` in the response's `option_order`, read in the database
    (NULL past its end): the row being updated maps the place back, so the save stays one
    statement."""
    return Cast(KeyTextTransform(str(place - 1), option_order), BigIntegerField())


def save(attempt_id: int, user_id: int, answer: Save, now: datetime) -> bool:
    """Keep the answer in its question's row: one statement, which maps the place back through
    the row's own `option_order`. False when nothing matched (not the learner's paper, closed,
    past its deadline plus grace, no such question, or no option at that place); the caller
    reads why."""
    grace = timedelta(seconds=settings.ANSWER_GRACE_SECONDS)
    open_paper = Attempt.objects.filter(
        pk=OuterRef("attempt_id"),
        user_id=user_id,
        timing=Quiz.Timing.PAPER,
        finished_at__isnull=True,
        deadline__gte=now - grace,
    )
    # The question's own conditions stay on the row being updated (no join): on PostgreSQL a
    # save that waited for the close's row lock checks them again on the closed row, finds it
    # no longer open and writes nothing.
    rows = Response.objects.filter(attempt_id=attempt_id, position=answer.position, outcome=Outcome.OPEN).filter(
        Exists(open_paper)
    )
    choice = None
    if answer.place is not None:
        if answer.place < 1:
            return False
        choice = _shown_option(answer.place, "option_order")
        # Still an option of this question (and not past the end of the order, which is NULL).
        rows = rows.filter(
            Exists(Choice.objects.filter(pk=_shown_option(answer.place, OuterRef("option_order")), question_id=OuterRef("question_id")))
        )
    return rows.update(saved_choice_id=choice, saved_at=now, marked_for_review=answer.marked) == 1


def close(attempt: Attempt, finished_at: datetime) -> bool:
    """Close the paper and mark every answer saved in it, all or nothing; False when another
    request closed it first. The question on screen gets its time up to the close."""
    with transaction.atomic():
        won = Attempt.objects.filter(pk=attempt.pk, finished_at__isnull=True).update(
            finished_at=finished_at, on_screen_position=None, on_screen_since=None
        )
        if not won:
            return False
        if attempt.on_screen_position is not None and attempt.on_screen_since is not None:
            _credit(attempt, attempt.on_screen_position, attempt.on_screen_since, finished_at)
        _mark_answers(attempt, finished_at)
        totals = _totals(attempt)
        Attempt.objects.filter(pk=attempt.pk).update(**totals)
    attempt.finished_at = finished_at
    attempt.take_totals({**totals, "finished_at": finished_at})
    return True


def _mark_answers(attempt: Attempt, finished_at: datetime) -> None:
    """Judge each saved answer by the key as it stands now: right, wrong, or skipped when none
    was saved; its marks by the attempt's marking (scoring.marks_for)."""
    right = Exists(Choice.objects.filter(pk=OuterRef("saved_choice_id"), is_correct=True))
    unanswered = When(saved_choice__isnull=True, then=Value(Outcome.SKIPPED))
    marks = {
        outcome: Value(attempt.marks_for(outcome), output_field=DecimalField(max_digits=5, decimal_places=2))
        for outcome in (Outcome.SKIPPED, Outcome.CORRECT, Outcome.WRONG)
    }
    Response.objects.filter(attempt=attempt, outcome=Outcome.OPEN).update(
        outcome=Case(unanswered, When(right, then=Value(Outcome.CORRECT)), default=Value(Outcome.WRONG)),
        marks=Case(
            When(saved_choice__isnull=True, then=marks[Outcome.SKIPPED]),
            When(right, then=marks[Outcome.CORRECT]),
            default=marks[Outcome.WRONG],
        ),
        choice=F("saved_choice"),
        # An answer counts from when it was last saved; a blank from the close.
        answered_at=Coalesce(F("saved_at"), Value(finished_at, output_field=DateTimeField())),
    )


def _totals(attempt: Attempt) -> dict:
    counts = dict(
        Response.objects.filter(attempt=attempt).order_by().values_list("outcome").annotate(n=Count("pk"))
    )
    totals = {counter: 0 for counter in scoring.COUNTER.values()}
    score = Decimal("0")
    for outcome, n in counts.items():
        if outcome == Outcome.OPEN:
            continue
        totals[scoring.counter_for(outcome)] += n
        score += n * attempt.marks_for(outcome)
    return {"score": score, **totals}


def overdue_ids(now: datetime, user_id: int | None = None, quiz_id: int | None = None) -> list[int]:
    """Open papers (of this learner, or at this quiz) whose deadline plus grace has passed."""
    grace = timedelta(seconds=settings.ANSWER_GRACE_SECONDS)
    papers = Attempt.objects.filter(timing=Quiz.Timing.PAPER, finished_at__isnull=True, deadline__lt=now - grace)
    if user_id is not None:
        papers = papers.filter(user_id=user_id)
    if quiz_id is not None:
        papers = papers.filter(quiz_id=quiz_id)
    return list(papers.values_list("pk", flat=True))


def read_attempts(ids: list[int]) -> list[Attempt]:
    return list(Attempt.objects.filter(pk__in=ids))

