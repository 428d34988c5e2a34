"""A learner's revision deck (the mistakes notebook): one card per question, scheduled by FSRS
(learning/schedule.py), and how far the learner's finished attempts have been read into it.

Cards are filled from finished attempts when the deck is next read (learning/services.py), not
on the answer path: answering stays the few statements tests/test_query_counts.py pins.
"""

from django.conf import settings
from django.db import models

from questions.models import Question


class Card(models.Model):
    """One question in one learner's deck, with its FSRS memory state and next due time."""

    class State(models.IntegerChoices):
        # fsrs.State's values.
        LEARNING = 1, "Learning"
        REVIEW = 2, "Review"
        RELEARNING = 3, "Relearning"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="revision_cards")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="+")
    added_at = models.DateTimeField()
    due = models.DateTimeField()
    state = models.PositiveSmallIntegerField(choices=State, default=State.LEARNING)
    step = models.PositiveSmallIntegerField(null=True, blank=True)
    stability = models.FloatField(null=True, blank=True)
    difficulty = models.FloatField(null=True, blank=True)
    last_review = models.DateTimeField(null=True, blank=True)
    reviews = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["due", "pk"]
        constraints = [models.UniqueConstraint(fields=["user", "question"], name="card_one_per_question")]
        # "Revise: N due" counts from this index alone.
        indexes = [models.Index(fields=["user", "due"], name="card_user_due")]

    def __str__(self) -> str:
        return f"{self.user} · question {self.question_id} · due {self.due:%Y-%m-%d}"


class Deck(models.Model):
    """How far a learner's finished attempts have been read into their cards: attempts finished
    after `synced_until` are read on the next visit, so each is read once."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, primary_key=True, related_name="+")
    synced_until = models.DateTimeField(null=True, blank=True)


class TopicDay(models.Model):
    """One learner's closed answers in finished quiz attempts (revision sessions left out) on
    one topic, on one day of India's calendar (when each was answered), with one confidence
    mark, added up: what the progress page reads instead of every response (learning/tally.py).

    An attempt is added once, when the notebook reads it in (`Deck.synced_until` marks how far
    both have read); a regrade or a move of questions to another topic works the rows of the
    learners and topics it touched out again."""

    # Indexed by topicday_one_per_key below, which leads with it.
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", db_index=False)
    topic = models.ForeignKey("questions.Topic", on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    confidence = models.CharField(max_length=5, blank=True, default="")
    answered = models.PositiveIntegerField(default=0)
    # Answers with an option picked (right or wrong): what the confidence levels count.
    graded = models.PositiveIntegerField(default=0)
    correct = models.PositiveIntegerField(default=0)
    gained = models.DecimalField(max_digits=12, decimal_places=2, default=0)
    # The negative marks added up: zero or below.
    deducted = models.DecimalField(max_digits=12, decimal_places=2, default=0)
    # Seconds the `timed` answers (those with a clock) took, added up.
    seconds = models.FloatField(default=0)
    timed = models.PositiveIntegerField(default=0)
    # Answers picked in the question's last seconds (learning.tally.PRESSED_SECONDS).
    pressed = models.PositiveIntegerField(default=0)
    timed_out = models.PositiveIntegerField(default=0)

    class Meta:
        # The unique index leads with the learner: the progress page reads their rows from it.
        constraints = [
            models.UniqueConstraint(fields=["user", "topic", "day", "confidence"], name="topicday_one_per_key")
        ]

    def __str__(self) -> str:
        return f"{self.user} · topic {self.topic_id} · {self.day} · {self.confidence or '-'}: {self.answered}"
