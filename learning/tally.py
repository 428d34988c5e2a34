"""The progress page's running totals (learning.TopicDay): a learner's closed answers in quizzes,
revision sessions left out, added up by topic, day of India's calendar and confidence mark.

`added_up` is the one rule that adds answers up. The page uses it for the answers of attempts
not finished yet; `add_finished` for the attempts the notebook reads in (services.sync_deck,
under the learner's deck lock: each finished attempt is added once); `retally` when answers
already added change under the totals (a regrade, a move to another topic:
quiz.signals.answers_changed); and the data migration that filled the table. So the page reads
a few hundred rows instead of 20,000 responses, and the answer path writes nothing here.
"""

from datetime import datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction
from django.db.models import Case, Count, F, OuterRef, Q, QuerySet, Subquery, Sum, When
from django.db.models.functions import TruncDate

from learning.models import Deck, TopicDay
from questions.models import Question
from quiz import scoring
from quiz.models import Attempt, Response, SecondsBetween, seconds_taken_in_database

# An answer in the question's last 5 seconds was made under time pressure.
PRESSED_SECONDS = 5
KEY_FIELDS = ["topic_id", "day", "confidence"]
COUNT_FIELDS = ["answered", "graded", "correct", "gained", "deducted", "seconds", "timed", "pressed", "timed_out"]
OPEN = scoring.Outcome.OPEN


def zone() -> ZoneInfo:
    return ZoneInfo(settings.DISPLAY_TIME_ZONE)


def counted_answers(responses: QuerySet) -> QuerySet:
    """The closed answers among `responses` that progress counts: none from a revision session."""
    return responses.filter(attempt__is_revision=False).exclude(outcome=OPEN)


def added_up(answers: QuerySet, since: datetime | None = None, by_learner: bool = False, **extra) -> QuerySet:
    """`answers` (responses) added up by topic, day (India's calendar, when answered) and
    confidence mark, one row each, keyed by TopicDay's field names. With `since`, answers before
    it fall into one row per topic and mark with the day None; `by_learner` adds `user_id`;
    `extra` names more columns to group by."""
    graded = Q(outcome__in=scoring.GRADED)
    timed = Q(answered_at__isnull=False, shown_at__isnull=False)
    day = TruncDate("answered_at", tzinfo=zone())
    if since is not None:
        day = Case(When(answered_at__gte=since, then=day), default=None)
    keys = {"topic_id": F("question__topic"), "day": day, **extra}
    if by_learner:
        keys = {"user_id": F("attempt__user"), **keys}
    return (
        answers.alias(left=SecondsBetween("deadline", "answered_at"))
        .values("confidence", **keys)
        .annotate(
            answered=Count("id"),
            graded=Count("id", filter=graded),
            correct=Count("id", filter=Q(outcome=scoring.Outcome.CORRECT)),
            gained=Sum("marks", filter=Q(marks__gt=0)),
            deducted=Sum("marks", filter=Q(marks__lt=0)),
            seconds=Sum(seconds_taken_in_database(), filter=timed),
            timed=Count("id", filter=timed),
            pressed=Count("id", filter=graded & Q(left__lte=PRESSED_SECONDS)),
            timed_out=Count("id", filter=Q(outcome=scoring.Outcome.TIMED_OUT)),
        )
        .order_by()
    )


def topic_days(model, rows, user_id: int | None = None) -> list:
    """TopicDay instances (of `model`: the migration passes its historical one) from rows of
    `added_up`; sums over no answers (None) read as zero."""
    made = []
    for row in rows:
        counts = {name: row[name] or 0 for name in COUNT_FIELDS}
        made.append(
            model(
                user_id=row.get("user_id", user_id),
                **{name: row[name] for name in KEY_FIELDS},
                **counts,
            )
        )
    return made


def add_finished(user, after: datetime | None, until: datetime) -> None:
    """Add the learner's attempts finished after `after` (None: ever) up to `until` to their
    totals. The caller holds the learner's deck lock, so no other request adds them too."""
    responses = counted_answers(Response.objects.filter(attempt__user=user, attempt__finished_at__lte=until))
    if after is not None:
        responses = responses.filter(attempt__finished_at__gt=after)
    fresh = topic_days(TopicDay, added_up(responses), user.pk)
    if not fresh:
        return
    existing = {
        (row.topic_id, row.day, row.confidence): row
        for row in TopicDay.objects.filter(
            user=user, topic_id__in={row.topic_id for row in fresh}, day__in={row.day for row in fresh}
        )
    }
    new, changed = [], []
    for row in fresh:
        kept = existing.get((row.topic_id, row.day, row.confidence))
        if kept is None:
            new.append(row)
            continue
        for name in COUNT_FIELDS:
            setattr(kept, name, getattr(kept, name) + getattr(row, name))
        changed.append(kept)
    TopicDay.objects.bulk_create(new)
    TopicDay.objects.bulk_update(changed, COUNT_FIELDS)


def retally(question_ids, topic_ids=()) -> int:
    """Work out again, from their responses, the totals of every learner who answered one of
    these questions in a quiz, on the questions' topics (and `topic_ids`, those they moved
    from): after a regrade or a move changed answers already added up. Only attempts the
    learner's notebook has read in count (finished by `Deck.synced_until`): the others are
    added when it reads them. The learners' deck rows are locked first, so a visit reading
    attempts in waits for this. A fixed number of statements however many learners; returns
    how many rows it wrote."""
    question_ids = list(question_ids)
    learners = Attempt.objects.filter(is_revision=False, responses__question_id__in=question_ids).values("user")
    topics = set(topic_ids) | set(Question.objects.filter(pk__in=question_ids).values_list("topic_id", flat=True))
    with transaction.atomic():
        list(Deck.objects.select_for_update().filter(user__in=learners).values_list("pk", flat=True))
        TopicDay.objects.filter(user__in=learners, topic_id__in=topics).delete()
        mark = Deck.objects.filter(user=OuterRef("attempt__user")).values("synced_until")
        answers = counted_answers(
            Response.objects.filter(
                attempt__user__in=learners, question__topic_id__in=topics, attempt__finished_at__lte=Subquery(mark)
            )
        )
        rows = topic_days(TopicDay, added_up(answers, by_learner=True))
        TopicDay.objects.bulk_create(rows, batch_size=500)
    return len(rows)

