"""The catalogue of daily quizzes: released quizzes, newest first, grouped by IST day, each with
its topics, size and timing and, for the learner, whether they have done it and their score.
Filters by topic, "not yet attempted" and a title search; paged. One call per request."""

import zoneinfo
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.conf import settings
from django.db.models import Exists, OuterRef, Q

from lib.translated import in_reading_language
from questions.models import Question, Source, Topic
from quiz import services
from quiz.models import Attempt, Quiz, QuizQuestion
from django.utils.formats import date_format
from django.utils.translation import gettext


@dataclass(frozen=True)
class Filters:
    """What the learner asked for; blank values filter nothing."""

    topic: Topic | None = None
    not_attempted: bool = False
    search: str = ""


def released(user, filters: Filters, now: datetime):
    """The released quizzes the filters keep, newest release first (a query, not yet run)."""
    quizzes = Quiz.objects.published(now).order_by("-publish_at", "-pk")
    if filters.search:
        quizzes = quizzes.filter(title__icontains=filters.search)
    if filters.topic is not None:
        quizzes = quizzes.filter(_covers(filters.topic))
    if filters.not_attempted:
        quizzes = quizzes.exclude(Exists(Attempt.objects.filter(user=user, quiz=OuterRef("pk"))))
    return quizzes


def _covers(topic: Topic) -> Q:
    """A quiz covers a topic when a fixed quiz holds a question of it, or a random draw can
    give one: drawn from the topic, or from a source with a published question of it."""
    fixed = QuizQuestion.objects.filter(quiz=OuterRef("pk"), question__topic=topic)
    drawn = Question.objects.published().filter(source=OuterRef("draw_source"), topic=topic)
    random = Q(selection=Quiz.Selection.RANDOM)
    return (
        Q(selection=Quiz.Selection.FIXED, pk__in=fixed.values("quiz_id"))
        | (random & Q(draw_topic=topic))
        | (random & Q(draw_topic__isnull=True) & (Q(draw_source__isnull=True) | Exists(drawn)))
    )


def describe(quizzes: list[Quiz], user, now: datetime) -> None:
    """Set what the catalogue shows on each quiz of a page: `question_total` and the timing
    (services.count_questions), the learner's `best_score` and unfinished attempt, `topics`
    and the IST `day_label`. A fixed number of queries for any page."""
    services.count_questions(quizzes)
    services.attach_learner_history(quizzes, user)
    attach_topics(quizzes)
    today = local_date(now)
    for quiz in quizzes:
        quiz.day_label = day_label(local_date(quiz.publish_at), today)


def attach_topics(quizzes: list[Quiz]) -> None:
    """Set `topics` (names, sorted) on each quiz: those of a fixed quiz's published questions,
    a random draw's topic, or the topics of the source it draws from. Two queries at most."""
    names: dict[tuple, set[str]] = {}
    rows = (
        QuizQuestion.objects.filter(quiz__in=quizzes, question__status=Question.Status.PUBLISHED)
        .order_by()
        .annotate(topic_name=in_reading_language("question__topic__name"))
        .values_list("quiz_id", "topic_name")
        .distinct()
    )
    for quiz_id, name in rows:
        names.setdefault(("quiz", quiz_id), set()).add(name)
    if any(quiz.selection == Quiz.Selection.RANDOM for quiz in quizzes):
        # Every (source, topic) pair of the published bank: a few hundred rows at most.
        pairs = (
            Question.objects.published()
            .order_by()
            .annotate(topic_name=in_reading_language("topic__name"))
            .values_list("source_id", "topic_id", "topic_name")
            .distinct()
        )
        for source_id, topic_id, name in pairs:
            names.setdefault(("topic", topic_id), set()).add(name)
            names.setdefault(("source", source_id), set()).add(name)
            names.setdefault(("source", None), set()).add(name)
    for quiz in quizzes:
        quiz.topics = sorted(names.get(_topics_key(quiz), set()))


def _topics_key(quiz: Quiz) -> tuple:
    if quiz.selection == Quiz.Selection.FIXED:
        return ("quiz", quiz.pk)
    if quiz.draw_topic_id:
        return ("topic", quiz.draw_topic_id)
    return ("source", quiz.draw_source_id)


def local_date(moment: datetime) -> date:
    """The day in India (IST) a moment falls on: the daily quiz's day, and a streak's."""
    return moment.astimezone(zoneinfo.ZoneInfo(settings.DISPLAY_TIME_ZONE)).date()


def day_label(day: date, today: date) -> str:
    """"Today", "Yesterday", else the date as learners write it ("Thu 3 Dec 2026")."""
    if day == today:
        return gettext("Today")
    if day == today - timedelta(days=1):
        return gettext("Yesterday")
    return date_format(day, "D j M Y")


# --- between quizzes and their articles --------------------------------------------------


def quizzes_on(source, now: datetime) -> list[Quiz]:
    """The released quizzes that ask about an article, newest first: fixed quizzes holding one
    of its published questions, and random draws from it. One query."""
    holds = QuizQuestion.objects.filter(question__source=source, question__status=Question.Status.PUBLISHED)
    return list(
        Quiz.objects.published(now)
        .filter(Q(selection=Quiz.Selection.FIXED, pk__in=holds.values("quiz_id")) | Q(draw_source=source))
        .order_by("-publish_at", "-pk")
    )


def sources_of(quiz: Quiz) -> list:
    """The articles a quiz asks about: its fixed questions' sources, or the one it draws from."""
    if quiz.selection == Quiz.Selection.RANDOM:
        return [quiz.draw_source] if quiz.draw_source_id else []
    held = quiz.quiz_questions.filter(question__status=Question.Status.PUBLISHED).values("question__source_id")
    return list(Source.objects.filter(pk__in=held).order_by("title"))
