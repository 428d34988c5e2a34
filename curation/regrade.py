"""Regrading: when an editor changes which option of a question is right, the answers already
given to it are marked again, and the totals of the attempts holding them are recomputed.

Runs in one transaction. The attempts are locked first: an answer landing on one of them at the
same moment either committed before (and is counted here) or adds its marks to our totals
afterwards with its own F() update, so nothing is lost or counted twice.
"""

from dataclasses import dataclass

from django.contrib.admin.models import CHANGE, LogEntry
from django.db import transaction
from django.db.models import Count, Q, Sum
from django.dispatch import Signal
from django.utils.translation import pgettext

from questions.models import Choice, Question
from quiz import scoring
from quiz.models import Attempt, Response
from quiz.signals import answers_changed

Outcome = Response.Outcome
GRADED = scoring.GRADED

# Sent when an editor changes which option of a question is right, after any regrade, with
# `question`, `previous` and `current` (the right options before and after, or None). Apps
# above curation listen: the learners who reported the question are told (daily).
key_changed = Signal()


@dataclass
class Regrade:
    question: Question
    answers: int
    attempts: int
    message: str


def correct_choice(question: Question) -> Choice | None:
    return question.choices.filter(is_correct=True).first()


def has_graded_answers(question: Question) -> bool:
    return Response.objects.filter(question=question, outcome__in=GRADED).exists()


def regrade_question(question: Question, *, previous: Choice | None, user) -> Regrade:
    """Mark every graded answer to `question` against its current correct option, recompute the
    totals of the attempts whose answers changed, and record it in the question's admin
    history. `previous` is the option that was correct before the edit."""
    with transaction.atomic():
        list(
            Attempt.objects.select_for_update()
            .filter(pk__in=Response.objects.filter(question=question).values("attempt_id"))
            .values_list("pk", flat=True)
        )
        current = correct_choice(question)
        changed = []
        responses = Response.objects.filter(question=question, outcome__in=GRADED).select_related("attempt")
        for response in responses:
            outcome = Outcome.CORRECT if current and response.choice_id == current.pk else Outcome.WRONG
            if outcome != response.outcome:
                response.outcome = outcome
                response.marks = response.attempt.marks_for(outcome)
                changed.append(response)
        Response.objects.bulk_update(changed, ["outcome", "marks"])
        attempt_ids = {r.attempt_id for r in changed}
        recount_attempts(attempt_ids)
        if changed:
            # Totals kept elsewhere of these answers (learners' progress) are worked out again
            # in this transaction, under the attempts' locks.
            answers_changed.send(sender=Response, question_ids=[question.pk], topic_ids=set())
        message = (
            f"Correct option changed from {_label(previous)} to {_label(current)}: regraded "
            f"{len(changed)} answer{'' if len(changed) == 1 else 's'} in {len(attempt_ids)} "
            f"attempt{'' if len(attempt_ids) == 1 else 's'}."
        )
        LogEntry.objects.log_actions(
            user.pk, [question], CHANGE, change_message=message, single_object=True
        )
    return Regrade(question, len(changed), len(attempt_ids), message)


def recount_attempts(attempt_ids: set[int]) -> None:
    """Set each attempt's score and counters from its responses, each counter counting the
    outcomes that add to it (scoring.COUNTER)."""
    counters = {
        counter: Count("pk", filter=Q(outcome__in=scoring.outcomes_counted_by(counter)))
        for counter in set(scoring.COUNTER.values())
    }
    totals = (
        Response.objects.filter(attempt_id__in=attempt_ids)
        .values("attempt_id")
        .annotate(score=Sum("marks"), **counters)
        .order_by()
    )
    for total in totals:
        Attempt.objects.filter(pk=total.pop("attempt_id")).update(**total)


def label(choice: Choice | None) -> str:
    """An option as learners read it in messages, in their language: (b) “its text”."""
    # "none" alone could mean anything in the catalogue: the context says it is a key.
    return _label(choice) if choice else pgettext("a question's right option", "none")


def _label(choice: Choice | None) -> str:
    return f"({choice.letter.lower()}) “{choice.text[:60]}”" if choice else "none"
