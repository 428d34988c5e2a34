"""Quizzes, the attempts learners make at them, and one row per question of each attempt.

The server owns time, order and score: an attempt's question and option order are fixed when it
starts, each question's deadline is stored the moment it is first shown, and marks are worked
out here, never taken from the browser.
"""

from datetime import datetime
from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, FloatField, Func, Q
from django.db.models.functions import Least
from django.urls import reverse

from questions.models import Question, Source, Topic
from quiz import scoring, timing


class QuizQuerySet(models.QuerySet):
    def published(self):
        return self.filter(is_published=True)


class Quiz(models.Model):
    class Selection(models.TextChoices):
        FIXED = "fixed", "A fixed, ordered set of questions"
        RANDOM = "random", "N questions drawn at random from a topic or source"

    class Feedback(models.TextChoices):
        EACH = "each", "After each question"
        END = "end", "At the end, as in the exam"

    title = models.CharField(max_length=200)
    slug = models.SlugField(max_length=120, unique=True)
    description = models.TextField(blank=True)
    selection = models.CharField(max_length=10, choices=Selection, default=Selection.FIXED)
    questions = models.ManyToManyField(Question, through="QuizQuestion", blank=True, related_name="quizzes")
    draw_count = models.PositiveIntegerField(
        null=True, blank=True, help_text="For a random draw: how many questions each attempt gets."
    )
    draw_topic = models.ForeignKey(Topic, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    draw_source = models.ForeignKey(Source, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    seconds_per_question = models.PositiveIntegerField(default=19, validators=[MinValueValidator(1)])
    marks_correct = models.DecimalField(max_digits=5, decimal_places=2, default=Decimal("2"))
    marks_wrong = models.DecimalField(
        max_digits=5, decimal_places=2, default=Decimal("0.66"), help_text="Deducted for a wrong answer."
    )
    shuffle_questions = models.BooleanField(default=True)
    shuffle_options = models.BooleanField(default=False)
    feedback = models.CharField(max_length=4, choices=Feedback, default=Feedback.EACH)
    is_published = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = QuizQuerySet.as_manager()

    class Meta:
        ordering = ["title"]
        verbose_name_plural = "quizzes"

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("quiz:detail", args=[self.slug])

    @property
    def feedback_after_each(self) -> bool:
        return self.feedback == self.Feedback.EACH


class QuizQuestion(models.Model):
    quiz = models.ForeignKey(Quiz, on_delete=models.CASCADE, related_name="quiz_questions")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="+")
    position = models.PositiveIntegerField()

    class Meta:
        ordering = ["quiz", "position"]
        constraints = [
            models.UniqueConstraint(fields=["quiz", "question"], name="quizquestion_unique_question"),
        ]


class AttemptQuerySet(models.QuerySet):
    def for_learner(self, user):
        return self.filter(user=user)

    def finished(self):
        return self.filter(finished_at__isnull=False)

    def in_progress(self):
        return self.filter(finished_at__isnull=True)


class Attempt(models.Model):
    """One sitting of a quiz by one learner. Totals are kept up to date as answers land, so
    lists and reports read them without counting responses."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="attempts")
    quiz = models.ForeignKey(Quiz, on_delete=models.PROTECT, related_name="attempts")
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    # Copied from the quiz at start, so editing the quiz never changes a past attempt's rules.
    seconds_per_question = models.PositiveIntegerField()
    marks_correct = models.DecimalField(max_digits=5, decimal_places=2)
    marks_wrong = models.DecimalField(max_digits=5, decimal_places=2)
    feedback = models.CharField(max_length=4, choices=Quiz.Feedback)
    question_count = models.PositiveIntegerField()
    score = models.DecimalField(max_digits=8, decimal_places=2, default=Decimal("0"))
    correct_count = models.PositiveIntegerField(default=0)
    wrong_count = models.PositiveIntegerField(default=0)
    unanswered_count = models.PositiveIntegerField(default=0)

    objects = AttemptQuerySet.as_manager()

    class Meta:
        ordering = ["-started_at"]
        indexes = [models.Index(fields=["user", "quiz", "-started_at"], name="attempt_user_quiz")]

    def __str__(self) -> str:
        return f"{self.user} · {self.quiz} · {self.started_at:%Y-%m-%d %H:%M}"

    def get_absolute_url(self) -> str:
        return reverse("quiz:play", args=[self.pk])

    @classmethod
    def starting(cls, quiz: Quiz, user, now: datetime, question_count: int) -> "Attempt":
        """A new sitting, not yet saved. It copies the quiz's rules (time, marking, feedback),
        so editing the quiz later never changes an attempt already made."""
        return cls(
            user=user,
            quiz=quiz,
            started_at=now,
            seconds_per_question=quiz.seconds_per_question,
            marks_correct=quiz.marks_correct,
            marks_wrong=quiz.marks_wrong,
            feedback=quiz.feedback,
            question_count=question_count,
        )

    @property
    def is_finished(self) -> bool:
        return self.finished_at is not None

    @property
    def feedback_after_each(self) -> bool:
        return self.feedback == Quiz.Feedback.EACH

    @property
    def answered_count(self) -> int:
        return self.correct_count + self.wrong_count + self.unanswered_count

    @property
    def max_score(self) -> Decimal:
        return self.marks_correct * self.question_count

    @property
    def marks_lost(self) -> Decimal:
        """Marks taken away by negative marking."""
        return self.marks_wrong * self.wrong_count

    def marks_for(self, outcome: str) -> Decimal:
        """The marks an outcome earns under this attempt's marking, copied from the quiz at start."""
        return scoring.marks_for(outcome, self.marks_correct, self.marks_wrong)

    def take_totals(self, totals: dict) -> None:
        """Show the score, counters and finish time the database now holds: the store's write
        returns them, so the page never works them out a second time."""
        for name, value in totals.items():
            setattr(self, name, value)

    @property
    def accuracy(self) -> float | None:
        """Share of attempted (not blank) questions answered right; None when none attempted."""
        attempted = self.correct_count + self.wrong_count
        return self.correct_count / attempted if attempted else None


class Response(models.Model):
    """One question of one attempt: where it sits, its option order, its clock and its answer.

    All rows of an attempt are created when it starts, so the order is fixed. There is exactly
    one row per (attempt, question) and the answer is written into it by a conditional update
    that only matches while it is still open, so a replayed submission records nothing.
    """

    Outcome = scoring.Outcome

    attempt = models.ForeignKey(Attempt, on_delete=models.CASCADE, related_name="responses")
    # Indexed by response_question_outcome below, which leads with it.
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="responses", db_index=False)
    position = models.PositiveIntegerField()
    # Choice ids in the order this learner sees them.
    option_order = models.JSONField()
    shown_at = models.DateTimeField(null=True, blank=True)
    deadline = models.DateTimeField(null=True, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    choice = models.ForeignKey("questions.Choice", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    outcome = models.CharField(max_length=10, choices=Outcome, default=Outcome.OPEN)
    marks = models.DecimalField(max_digits=5, decimal_places=2, default=Decimal("0"))
    # The language the question was read in when it was closed (settings.LANGUAGES); blank
    # for answers recorded before Hindi arrived.
    language = models.CharField(max_length=8, blank=True, default="")

    class Meta:
        ordering = ["attempt", "position"]
        # How often each question was answered and answered right (the question list in admin,
        # the item analysis) is counted from this index alone, never from the table's rows.
        indexes = [models.Index(fields=["question", "outcome"], name="response_question_outcome")]
        constraints = [
            models.UniqueConstraint(fields=["attempt", "position"], name="response_unique_position"),
            models.UniqueConstraint(fields=["attempt", "question"], name="response_one_per_question"),
            models.CheckConstraint(
                condition=Q(outcome="open", answered_at__isnull=True)
                | (~Q(outcome="open") & Q(answered_at__isnull=False)),
                name="response_closed_iff_answered",
            ),
            models.CheckConstraint(
                condition=Q(choice__isnull=True) | Q(outcome__in=["correct", "wrong"]),
                name="response_choice_only_when_graded",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.attempt_id} #{self.position + 1}"

    @property
    def number(self) -> int:
        return self.position + 1

    @property
    def is_open(self) -> bool:
        return self.outcome == self.Outcome.OPEN

    @property
    def is_unanswered(self) -> bool:
        return self.outcome in (self.Outcome.SKIPPED, self.Outcome.TIMED_OUT)

    def start_clock(self, shown_at: datetime, deadline: datetime) -> None:
        """The question's clock as the database holds it: it runs from the first showing."""
        self.shown_at, self.deadline = shown_at, deadline

    def close(self, outcome: str, choice, answered_at: datetime, marks: Decimal, language: str) -> None:
        """The answer as the store wrote it: a question is closed once, with its outcome, the
        option picked (right or wrong answers only), when, its marks and the language it was
        read in."""
        self.outcome, self.choice, self.answered_at, self.marks = outcome, choice, answered_at, marks
        self.language = language

    @property
    def language_name(self) -> str:
        """The language the answered question was read in, by its own name ("" before it was
        recorded)."""
        return dict(settings.LANGUAGES).get(self.language, "")

    @property
    def read_in_translation(self) -> bool:
        """Read in a language other than English: the review and reports say which."""
        return self.language not in ("", settings.MODELTRANSLATION_DEFAULT_LANGUAGE)

    def seconds_left(self, now: datetime) -> float:
        return timing.seconds_left(self.deadline, now)

    def is_late(self, now: datetime) -> bool:
        """An answer arriving now no longer counts: past the deadline plus the network grace."""
        return timing.is_late(self.deadline, now, settings.ANSWER_GRACE_SECONDS)

    @property
    def seconds_taken(self) -> float | None:
        return timing.seconds_taken(self.shown_at, self.answered_at, self.attempt.seconds_per_question)


class SecondsBetween(Func):
    """Seconds from the second time to the first, worked out by the database. Exact on
    PostgreSQL; SQLite's date functions keep milliseconds, so there it is to the millisecond."""

    arity = 2
    arg_joiner = " - "
    template = "EXTRACT(EPOCH FROM (%(expressions)s))"
    output_field = FloatField()

    def as_sqlite(self, compiler, connection, **extra_context):
        # julianday() is a float count of days: rounding the difference to the millisecond
        # drops the float's noise (4 s would otherwise read 3.99995 s).
        return self.as_sql(
            compiler,
            connection,
            template="ROUND((julianday(%(expressions)s)) * 86400, 3)",
            arg_joiner=") - julianday(",
            **extra_context,
        )


def seconds_taken_in_database() -> Least:
    """`timing.seconds_taken` as an expression over responses, for reports that add it up in
    SQL: reading two times per response into Python took most of the item analysis's time.
    Filter out responses missing a time: on PostgreSQL LEAST() would skip the NULL and give
    the question's whole time."""
    return Least(
        SecondsBetween("answered_at", "shown_at"), F("attempt__seconds_per_question"), output_field=FloatField()
    )
