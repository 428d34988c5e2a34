"""The learning loop's workflows, one call per learner request: reading finished attempts into
the mistakes notebook (`sync_deck`), the due count, revision sessions (of the due cards, or of
one attempt's mistakes), adding and removing a card by hand, and practising a topic.

Revision and practice run in the quiz's own timed engine (quiz.services): a revision session is
an attempt flagged `is_revision` on a hidden quiz, so it never counts in a quiz's scores, a
class report or an item analysis; practising a topic is an ordinary attempt at a hidden quiz
that draws 10 of the topic's published questions.
"""

from dataclasses import asdict
from datetime import UTC, datetime

from django.db import transaction
from django.db.models import DateTimeField, Max, Q, Subquery, Value
from django.db.models.functions import Coalesce

from learning import schedule, tally
from learning.models import Card, Deck
from learning.progress import progress_of
from lib.translated import written_in_every_language
from questions.models import Topic
from quiz import services as quiz_services
from quiz.models import Attempt, Quiz, Response
from django.utils.translation import gettext

Outcome = Response.Outcome
# Answers in a quiz that put their question in the notebook.
MISTAKES = (Outcome.WRONG, Outcome.TIMED_OUT)
# Due cards revised in one session, the longest overdue first.
SESSION_SIZE = 20
REVISION_QUIZ_SLUG = "revision"
PRACTICE_SIZE = 10
# Before any attempt: the mark of a deck not yet read into.
NEVER = datetime(2000, 1, 1, tzinfo=UTC)
MEMORY_FIELDS = ["state", "step", "stability", "difficulty", "due", "last_review", "reviews"]


class NothingToRevise(quiz_services.QuizError):
    status = 409


class NotFound(Exception):
    """No such attempt, question or topic for this learner: a 404."""


# --- reading finished attempts into the deck ---------------------------------------------------


def sync_deck(user) -> None:
    """Read the learner's attempts finished since the last visit into their cards: each
    mistake in a quiz (wrong or timed out) reviews its card as Again, adding it first; each
    answer in a revision session reviews its card with the rating its outcome and confidence
    earn. The quiz attempts' answers are added to the progress totals (learning/tally.py) in
    the same transaction. One query when nothing finished since; each attempt is read once."""
    if _newest_unread(user) is None:
        return
    with transaction.atomic():
        Deck.objects.get_or_create(user=user)
        # A second request reading the same attempts waits here, then finds them read.
        mark = Deck.objects.select_for_update().values_list("synced_until", flat=True).get(user=user)
        newest = _newest_unread(user)
        if newest is None:
            return
        _review_cards(user, _answers_to_read(user, mark, newest))
        tally.add_finished(user, mark, newest)
        Deck.objects.filter(user=user).update(synced_until=newest)


def _newest_unread(user) -> datetime | None:
    """When the learner's last attempt not yet read into the deck finished (None: all read)."""
    mark = Deck.objects.filter(user=user).values("synced_until")[:1]
    since = Coalesce(Subquery(mark), Value(NEVER, output_field=DateTimeField()))
    attempts = Attempt.objects.for_learner(user).finished().filter(finished_at__gt=since)
    return attempts.aggregate(newest=Max("finished_at"))["newest"]


def _answers_to_read(user, after: datetime | None, until: datetime) -> list[tuple]:
    responses = Response.objects.filter(attempt__user=user, attempt__finished_at__lte=until)
    if after is not None:
        responses = responses.filter(attempt__finished_at__gt=after)
    in_revision = Q(attempt__is_revision=True) & ~Q(outcome=Outcome.OPEN)
    return list(
        responses.filter(in_revision | Q(outcome__in=MISTAKES))
        .order_by("answered_at", "pk")
        .values_list("question_id", "outcome", "confidence", "answered_at")
    )


def _review_cards(user, answers: list[tuple]) -> None:
    """Review each answer's card in the order answered, adding the cards not yet in the deck."""
    question_ids = {question_id for question_id, *_ in answers}
    cards = {card.question_id: card for card in Card.objects.filter(user=user, question_id__in=question_ids)}
    known = set(cards)
    for question_id, outcome, confidence, answered_at in answers:
        card = cards.setdefault(question_id, _new_card(user, question_id, answered_at))
        # A card added by hand after this answer keeps its own clock: never review backwards.
        when = max(answered_at, card.last_review or answered_at)
        _remember(card, schedule.review(_memory(card), schedule.rating_for(outcome, confidence), when))
        card.reviews += 1
    Card.objects.bulk_create([card for qid, card in cards.items() if qid not in known])
    Card.objects.bulk_update([card for qid, card in cards.items() if qid in known], MEMORY_FIELDS)


def _new_card(user, question_id: int, now: datetime) -> Card:
    card = Card(user=user, question_id=question_id, added_at=now)
    _remember(card, schedule.new_memory(now))
    return card


def _memory(card: Card) -> schedule.Memory:
    return schedule.Memory(card.state, card.step, card.stability, card.difficulty, card.due, card.last_review)


def _remember(card: Card, memory: schedule.Memory) -> None:
    for name, value in asdict(memory).items():
        setattr(card, name, value)


# --- the notebook ----------------------------------------------------------------------------


def due_count(user, now: datetime) -> int:
    """How many of the learner's cards are due now, the attempts finished since the last visit
    read in first: two queries when none did, the count from the (user, due) index."""
    sync_deck(user)
    return Card.objects.filter(user=user, due__lte=now).count()


def notebook(user, now: datetime) -> dict:
    """The learner's cards, the due ones first, and how many are due."""
    sync_deck(user)
    cards = list(Card.objects.filter(user=user).select_related("question__topic").order_by("due", "pk"))
    return {"cards": cards, "due": sum(card.due <= now for card in cards)}


def add_card(user, question_id: int, now: datetime) -> None:
    """"Revise this later": a question the learner has answered goes into the deck, due now."""
    if not _has_answered(user, question_id):
        raise NotFound(question_id)
    with transaction.atomic():
        Card.objects.get_or_create(user=user, question_id=question_id, defaults=_fresh(now))


def remove_card(user, question_id: int) -> None:
    if not _has_answered(user, question_id):
        raise NotFound(question_id)
    with transaction.atomic():
        Card.objects.filter(user=user, question_id=question_id).delete()


def _has_answered(user, question_id: int) -> bool:
    """Only a question the learner has seen answered may go in their notebook."""
    return Response.objects.filter(
        attempt__user=user, question_id=question_id, answered_at__isnull=False
    ).exists()


def _fresh(now: datetime) -> dict:
    return {"added_at": now, **asdict(schedule.new_memory(now))}


def cards_among(user, question_ids) -> set[int]:
    """Which of these questions are in the learner's deck (the review's add or remove)."""
    cards = Card.objects.filter(user=user, question_id__in=list(question_ids)).order_by()
    return set(cards.values_list("question_id", flat=True))


def progress(user, now: datetime):
    """The progress page: the deck read in first, so its due count is today's."""
    sync_deck(user)
    return progress_of(user, now)


# --- revision sessions and practice -------------------------------------------------------------


def start_revision(user, now: datetime) -> int:
    """A revision session of the learner's due cards, the longest overdue first, or their
    unfinished session."""
    sync_deck(user)
    due = list(
        Card.objects.filter(user=user, due__lte=now).order_by("due", "pk").values_list("question_id", flat=True)[:SESSION_SIZE]
    )
    if not due and not _unfinished_revision(user):
        raise NothingToRevise(gettext("Nothing is due for revision now. Well done."))
    return quiz_services.start_revision(revision_quiz(), user, due, now)


def retake_mistakes(user, attempt_id: int, now: datetime) -> int:
    """A revision session of one finished attempt's wrong and timed-out questions."""
    attempt = Attempt.objects.for_learner(user).finished().filter(pk=attempt_id).first()
    if attempt is None:
        raise NotFound(attempt_id)
    mistakes = list(attempt.responses.filter(outcome__in=MISTAKES).values_list("question_id", flat=True))
    if not mistakes:
        raise NothingToRevise(gettext("You got none of this attempt's questions wrong: nothing to retake."))
    return quiz_services.start_revision(revision_quiz(), user, mistakes, now)


def _unfinished_revision(user) -> bool:
    return Attempt.objects.for_learner(user).in_progress().filter(quiz__slug=REVISION_QUIZ_SLUG).exists()


def revision_quiz() -> Quiz:
    """The hidden quiz revision sessions are attempts at: never published, never assigned."""
    quiz, _ = Quiz.objects.get_or_create(
        slug=REVISION_QUIZ_SLUG,
        defaults={
            **written_in_every_language("title", lambda: gettext("Revision")),
            **written_in_every_language(
                "description", lambda: gettext("Questions from your mistakes notebook. Revision never counts in a score.")
            ),
            "selection": Quiz.Selection.FIXED,
            "shuffle_options": True,
            "is_published": False,
        },
    )
    return quiz


def practise_topic(user, topic_id: int, now: datetime) -> int:
    """A fresh draw of 10 of the topic's published questions, in the same timed engine (or the
    learner's unfinished practice of it)."""
    topic = Topic.objects.filter(pk=topic_id).first()
    if topic is None:
        raise NotFound(topic_id)
    quiz, _ = Quiz.objects.get_or_create(
        slug=f"practise-topic-{topic.pk}",
        defaults={
            **written_in_every_language("title", lambda: gettext("Practise: %(topic)s") % {"topic": topic.name}),
            "selection": Quiz.Selection.RANDOM,
            "draw_topic": topic,
            "draw_count": PRACTICE_SIZE,
            "is_published": False,
        },
    )
    return quiz_services.start(quiz, user, now)
