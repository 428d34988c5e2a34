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
from django.db.models import Case, Exists, F, FloatField, Func, OuterRef, Q, When
from django.db.models.functions import Least
from django.urls import reverse
from django.utils import timezone

from questions.models import Question, Source, Topic
from quiz import scoring, timing
from django.utils.translation import gettext_lazy as _

ONE = Decimal("1")
# Extra time a learner may be given (WCAG 2.2.1 Timing Adjustable; Moodle and Canvas give extra
# time per student, WeBWorK a time factor per user): the factors a teacher or admin picks from.
TIME_FACTOR_CHOICES = [
    (Decimal("1.00"), _("1× (standard time)")),
    (Decimal("1.25"), "1.25×"),
    (Decimal("1.50"), "1.5×"),
    (Decimal("2.00"), "2×"),
]


def time_factor_field(**kwargs) -> models.DecimalField:
    return models.DecimalField(max_digits=3, decimal_places=2, choices=TIME_FACTOR_CHOICES, default=ONE, **kwargs)


class QuizQuerySet(models.QuerySet):
    def published(self, now: datetime | None = None):
        """What learners may see and start: published, and its publish time come. Before
        that the quiz does not exist for them (its URLs are 404s); editors preview it."""
        return self.filter(is_published=True, publish_at__lte=now or timezone.now())

    def previewable_by(self, user, now: datetime | None = None):
        """Learners see published quizzes once released; editors who may change quizzes see
        every quiz, to preview one before its publish time."""
        if user.is_authenticated and user.has_perm("quiz.change_quiz"):
            return self.all()
        return self.published(now)


class Quiz(models.Model):
    class Selection(models.TextChoices):
        FIXED = "fixed", _("A fixed, ordered set of questions")
        RANDOM = "random", _("N questions drawn at random from a topic or source")

    class Feedback(models.TextChoices):
        EACH = "each", _("After each question")
        END = "end", _("At the end, as in the exam")

    class Timing(models.TextChoices):
        QUESTION = "question", _("Per question: each question has its own clock")
        PAPER = "paper", _("Per paper: one clock for the whole attempt, questions in any order")

    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    description = models.TextField(_("description"), blank=True)
    selection = models.CharField(_("selection"), max_length=10, choices=Selection, default=Selection.FIXED)
    questions = models.ManyToManyField(
        Question, through="QuizQuestion", blank=True, related_name="quizzes", verbose_name=_("questions")
    )
    draw_count = models.PositiveIntegerField(
        _("draw count"),
        null=True,
        blank=True,
        help_text=_("For a random draw: how many questions each attempt gets."),
    )
    draw_topic = models.ForeignKey(
        Topic, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("draw topic")
    )
    draw_source = models.ForeignKey(
        Source, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("draw source")
    )
    seconds_per_question = models.PositiveIntegerField(
        _("seconds per question"), default=19, validators=[MinValueValidator(1)]
    )
    marks_correct = models.DecimalField(_("marks correct"), max_digits=5, decimal_places=2, default=Decimal("2"))
    marks_wrong = models.DecimalField(
        _("marks wrong"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("0.66"),
        help_text=_("Deducted for a wrong answer."),
    )
    shuffle_questions = models.BooleanField(_("shuffle questions"), default=True)
    shuffle_options = models.BooleanField(_("shuffle options"), default=False)
    feedback = models.CharField(_("feedback"), max_length=4, choices=Feedback, default=Feedback.EACH)
    timing = models.CharField(
        _("timing"),
        max_length=8,
        choices=Timing,
        default=Timing.QUESTION,
        help_text=_(
            "A paper's clock is the seconds per question times the number of questions, and "
            "its answers are always shown at the end."
        ),
    )
    ask_confidence = models.BooleanField(
        _("ask confidence"),
        default=True,
        help_text=_(
            "Offer Sure, 50-50 and Guess with each answer (never required): the learner's "
            "guessing analysis and revision schedule use them."
        ),
    )
    is_published = models.BooleanField(_("is published"), default=False)
    # Stored in UTC; admin shows and reads it in IST (config.middleware). The daily quiz is
    # written the day before and released at 20:00 IST.
    publish_at = models.DateTimeField(
        _("publish time"),
        default=timezone.now,
        db_index=True,
        help_text=_(
            "When learners can see and start it (IST), if published. Before it, only editors can "
            "preview it."
        ),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = QuizQuerySet.as_manager()

    class Meta:
        ordering = ["title"]
        verbose_name = _("quiz")
        verbose_name_plural = _("quizzes")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("quiz:detail", args=[self.slug])

    @property
    def feedback_after_each(self) -> bool:
        return self.feedback == self.Feedback.EACH and not self.is_paper

    @property
    def is_paper(self) -> bool:
        return self.timing == self.Timing.PAPER

    def is_released(self, now: datetime) -> bool:
        """Learners can see it now: published, and its publish time has come."""
        return self.is_published and self.publish_at <= now

    def drawn_from(self, questions):
        """The questions among `questions` (a queryset) a random draw of this quiz takes from:
        its topic's and its source's, when it names them."""
        if self.draw_topic_id:
            questions = questions.filter(topic_id=self.draw_topic_id)
        if self.draw_source_id:
            questions = questions.filter(source_id=self.draw_source_id)
        return questions


class QuizQuestion(models.Model):
    quiz = models.ForeignKey(Quiz, on_delete=models.CASCADE, related_name="quiz_questions", verbose_name=_("quiz"))
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="+", verbose_name=_("question"))
    position = models.PositiveIntegerField(_("position"))

    class Meta:
        ordering = ["quiz", "position"]
        verbose_name = _("quiz question")
        verbose_name_plural = _("quiz questions")
        constraints = [
            models.UniqueConstraint(fields=["quiz", "question"], name="quizquestion_unique_question"),
        ]


class AttemptQuerySet(models.QuerySet):
    def for_learner(self, user):
        return self.filter(user=user)

    def finished(self):
        return self.filter(finished_at__isnull=False)

    def counted(self):
        """Attempts that count in scores, reports and statistics: not revision sessions."""
        return self.filter(is_revision=False)

    def in_progress(self):
        return self.filter(finished_at__isnull=True)

    def first_finished(self, quiz_id: int):
        """Each learner's first finished attempt at a quiz: what reports and leaderboards rank.
        Retakes for practice never count. One sitting at a time (services.start resumes an
        unfinished one), so a learner's first sitting is also the first they finish."""
        return self.filter(quiz_id=quiz_id, is_first=True, finished_at__isnull=False)

    def mark_first_sittings(self) -> None:
        """Set `is_first` on every attempt from the attempts themselves: after writing
        attempts in bulk (seed_demo) or out of order (tests' factories)."""
        earlier = Attempt.objects.filter(user=OuterRef("user"), quiz=OuterRef("quiz")).filter(
            Q(started_at__lt=OuterRef("started_at")) | Q(started_at=OuterRef("started_at"), pk__lt=OuterRef("pk"))
        )
        self.update(is_first=True)
        self.filter(Exists(earlier)).update(is_first=False)


class Attempt(models.Model):
    """One sitting of a quiz by one learner. Totals are kept up to date as answers land, so
    lists and reports read them without counting responses."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="attempts")
    quiz = models.ForeignKey(Quiz, on_delete=models.PROTECT, related_name="attempts")
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    # Copied from the quiz at start, so editing the quiz never changes a past attempt's rules.
    # The quiz's seconds times the learner's time factor, rounded up to the whole second.
    seconds_per_question = models.PositiveIntegerField()
    marks_correct = models.DecimalField(max_digits=5, decimal_places=2)
    marks_wrong = models.DecimalField(max_digits=5, decimal_places=2)
    feedback = models.CharField(max_length=4, choices=Quiz.Feedback)
    # The learner's extra time when the attempt started (1 when none), already applied above.
    time_factor = time_factor_field()
    timing = models.CharField(max_length=8, choices=Quiz.Timing, default=Quiz.Timing.QUESTION)
    # A paper's one deadline: the start plus its questions' seconds (the factor applied).
    deadline = models.DateTimeField(null=True, blank=True)
    # The question of a paper on the learner's screen and since when, so the time it was on
    # screen is added to it when another is shown.
    on_screen_position = models.PositiveIntegerField(null=True, blank=True)
    on_screen_since = models.DateTimeField(null=True, blank=True)
    question_count = models.PositiveIntegerField()
    score = models.DecimalField(max_digits=8, decimal_places=2, default=Decimal("0"))
    correct_count = models.PositiveIntegerField(default=0)
    wrong_count = models.PositiveIntegerField(default=0)
    unanswered_count = models.PositiveIntegerField(default=0)
    # The learner's first sitting of this quiz, set when it starts: the one leaderboards and
    # reports rank. Later sittings are practice, taken knowing the answers.
    is_first = models.BooleanField(default=True)
    # A session of the learner's mistakes notebook (the learning app): it reschedules revision
    # and never counts in a quiz's scores, a class report, an item analysis or progress.
    is_revision = models.BooleanField(default=False)
    # Some question's key was held back when it was shown (quiz/key_holds.py): its verdict and
    # the running score wait for the result page, which asks the rule again.
    key_held = models.BooleanField(default=False)

    objects = AttemptQuerySet.as_manager()

    class Meta:
        ordering = ["-started_at"]
        indexes = [
            models.Index(fields=["user", "quiz", "-started_at"], name="attempt_user_quiz"),
            # A quiz's leaderboard: 10,000 first attempts ranked without reading retakes.
            models.Index(
                fields=["quiz", "-score"],
                condition=Q(is_first=True, finished_at__isnull=False),
                name="attempt_board",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.quiz} · {self.started_at:%Y-%m-%d %H:%M}"

    def get_absolute_url(self) -> str:
        return reverse("quiz:paper", args=[self.pk]) if self.is_paper else reverse("quiz:play", args=[self.pk])

    @classmethod
    def starting(
        cls, quiz: Quiz, user, now: datetime, question_count: int, time_factor: Decimal = ONE, is_first: bool = True
    ) -> "Attempt":
        """A new sitting, not yet saved. It copies the quiz's rules (time, marking, feedback),
        so editing the quiz later never changes an attempt already made; the learner's time
        factor stretches the time there, so every deadline worked out from it follows."""
        seconds = timing.stretched(quiz.seconds_per_question, time_factor)
        return cls(
            is_first=is_first,
            user=user,
            quiz=quiz,
            started_at=now,
            seconds_per_question=seconds,
            time_factor=time_factor,
            marks_correct=quiz.marks_correct,
            marks_wrong=quiz.marks_wrong,
            # A paper keeps its keys until the end, whatever the quiz says.
            feedback=Quiz.Feedback.END if quiz.is_paper else quiz.feedback,
            timing=quiz.timing,
            deadline=timing.deadline_for(now, seconds * question_count) if quiz.is_paper else None,
            question_count=question_count,
        )

    @property
    def is_finished(self) -> bool:
        return self.finished_at is not None

    @property
    def is_paper(self) -> bool:
        return self.timing == Quiz.Timing.PAPER

    def is_overdue(self, now: datetime) -> bool:
        """A paper still open whose deadline plus the network grace has passed: it is closed
        and marked the next time anything reads it."""
        return self.is_paper and not self.is_finished and timing.is_late(self.deadline, now, settings.ANSWER_GRACE_SECONDS)

    def paper_seconds_left(self, now: datetime) -> float:
        return timing.seconds_left(self.deadline, now)

    @property
    def total_seconds(self) -> int:
        return self.seconds_per_question * self.question_count

    @property
    def has_extra_time(self) -> bool:
        return self.time_factor != ONE

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


class TimeAllowance(models.Model):
    """A learner's extra time: every attempt they start takes its seconds times `factor`. Set
    by a teacher of a class they are in (on the class page) or by an admin (on the user)."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="time_allowance")
    factor = time_factor_field(help_text="Each question's (or the paper's) time is multiplied by this.")
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "extra time"
        verbose_name_plural = "extra time"

    def __str__(self) -> str:
        return f"{self.user}: {self.get_factor_display()}"


class PaletteState(models.TextChoices):
    """A paper question's state, as its palette shows it."""

    ANSWERED = "answered", _("Answered")
    NOT_ANSWERED = "not_answered", _("Not answered")
    MARKED = "marked", _("Marked for review")
    NOT_SEEN = "not_seen", _("Not yet seen")


class Response(models.Model):
    """One question of one attempt: where it sits, its option order, its clock and its answer.

    All rows of an attempt are created when it starts, so the order is fixed. There is exactly
    one row per (attempt, question) and the answer is written into it by a conditional update
    that only matches while it is still open, so a replayed submission records nothing.
    """

    Outcome = scoring.Outcome

    class Confidence(models.TextChoices):
        """How sure the learner said they were, with an answer; blank when they did not say."""

        SURE = "sure", _("Sure")
        FIFTY = "fifty", _("50-50")
        GUESS = "guess", _("Guess")

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
    # A paper's answer while it is open: changed freely until the paper is closed, when it is
    # judged into `choice` and `outcome`. One column of the one row per question, so however
    # saves race there is one saved answer.
    saved_choice = models.ForeignKey(
        "questions.Choice", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    saved_at = models.DateTimeField(null=True, blank=True)
    marked_for_review = models.BooleanField(default=False)
    # In a paper, the time this question was on the learner's screen, all visits added up.
    seconds_on_screen = models.FloatField(default=0)
    confidence = models.CharField(max_length=5, choices=Confidence, blank=True, default="")
    # The language the question was read in when it was closed (settings.LANGUAGES); blank
    # for answers recorded before Hindi arrived.
    language = models.CharField(max_length=8, blank=True, default="")
    # Its key was held back when it was shown (quiz/key_holds.py): an exam-style quiz holding
    # it was ahead of the learner. Read with the row on the answer path, so an answer asks the
    # rule again only for a held question.
    key_held = models.BooleanField(default=False)

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

    def close(
        self, outcome: str, choice, answered_at: datetime, marks: Decimal, confidence: str = "", language: str = ""
    ) -> None:
        """The answer as the store wrote it: a question is closed once, with its outcome, the
        option picked (right or wrong answers only), when, its marks, how sure the learner was
        and the language it was read in."""
        self.outcome, self.choice, self.answered_at, self.marks = outcome, choice, answered_at, marks
        self.confidence, self.language = confidence, language

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
        """Per question: from showing to answer. In a paper: the time it was on screen."""
        if self.attempt.is_paper:
            return self.seconds_on_screen if self.shown_at is not None else None
        return timing.seconds_taken(self.shown_at, self.answered_at, self.attempt.seconds_per_question)

    def paper_state(self) -> str:
        """Its place in a paper's palette."""
        if self.marked_for_review:
            return PaletteState.MARKED
        if self.saved_choice_id:
            return PaletteState.ANSWERED
        return PaletteState.NOT_SEEN if self.shown_at is None else PaletteState.NOT_ANSWERED


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


def seconds_taken_in_database() -> Case:
    """`timing.seconds_taken` as an expression over responses, for reports that add it up in
    SQL: reading two times per response into Python took most of the item analysis's time.
    Filter out responses missing a time: on PostgreSQL LEAST() would skip the NULL and give
    the question's whole time. In a paper, the time the question was on screen."""
    per_question = Least(
        SecondsBetween("answered_at", "shown_at"), F("attempt__seconds_per_question"), output_field=FloatField()
    )
    return Case(
        When(attempt__timing=Quiz.Timing.PAPER, then=F("seconds_on_screen")),
        default=per_question,
        output_field=FloatField(),
    )
