"""Answer keys held back while an exam-style quiz is ahead of the learner (issue 15, item 2).

A whole-bank practice quiz (feedback after each question) shares questions with the exam-style
drill a teacher assigns. Skipping every practice question and reading "Right answer" on each
feedback gave 20/20 on the exam's first attempt, the one the teacher's report counts. The rule,
in one place (`keys_held_back`), is asked by every page that shows a learner a key: the feedback
after each question (the answer itself and its own page) and the result page, revision sessions
included, since they run in the same engine.

Assignments belong to the teaching app, which sits above quiz: it tells this module which
quizzes are assigned to a learner's classes through `register_assignments` (teaching/apps.py),
so quiz never imports it.

The answer path pays nothing for the rule: whether a question's key is held is decided when the
question is shown (its clock starting, one write already) and kept on the row (`key_held`); the
answer reads the row it reads anyway and asks the rule again only for a held question. A hold
that starts while a question is on screen (the learner starts the exam in another tab, joins a
class, or the teacher assigns the exam) marks the questions on screen at once
(`hold_keys_on_screen`).
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime

from django.db.models import Q

from questions.models import Question
from quiz.models import Attempt, Quiz, QuizQuestion, Response

# Who says which quizzes are assigned to a learner: (user, now) -> [(quiz id, due at or None)].
AssignedQuizzes = Callable[[object, datetime], Iterable[tuple[int, datetime | None]]]
_assignment_sources: list[AssignedQuizzes] = []


def register_assignments(source: AssignedQuizzes) -> None:
    """Called by the app that owns assignments, once, when Django starts."""
    if source not in _assignment_sources:
        _assignment_sources.append(source)


@dataclass(frozen=True)
class Hold:
    """Why a key is held: the exam-style quiz the learner has ahead of them, and when its
    assignment is due (None: an attempt in progress, or an assignment without a due date)."""

    quiz: Quiz
    due_at: datetime | None


def keys_held_back(user, now: datetime, question_ids: Iterable[int], shown_in: Quiz | None = None) -> dict[int, Hold]:
    """The questions among `question_ids` whose key and explanation no page may show `user`
    now, each with the hold that keeps it. A question is held while the learner has an
    exam-style attempt (feedback at the end) in progress that holds it, or while an exam-style
    quiz holding it is assigned to one of their classes, they have not finished it and its due
    date has not passed. `shown_in`, the quiz whose page asks, never holds its own questions.
    Two queries when the learner has nothing ahead, three or four otherwise."""
    question_ids = set(question_ids)
    if not question_ids:
        return {}
    exclude = shown_in.pk if shown_in is not None else None
    # An exam-style attempt in progress holds the questions it was given (a random draw too).
    in_progress = dict(
        Response.objects.filter(
            attempt__user=user,
            attempt__finished_at__isnull=True,
            attempt__feedback=Quiz.Feedback.END,
            attempt__is_revision=False,
            question_id__in=question_ids,
        )
        .exclude(attempt__quiz_id=exclude)
        .values_list("question_id", "attempt__quiz_id")
    )
    due: dict[int, datetime | None] = {}
    for source in _assignment_sources:
        for quiz_id, due_at in source(user, now):
            if quiz_id == exclude or (due_at is not None and now > due_at):
                continue
            # Assigned in two classes: held until the later due date (None: no due date).
            if quiz_id not in due or due[quiz_id] is not None and (due_at is None or due_at > due[quiz_id]):
                due[quiz_id] = due_at
    if not in_progress and not due:
        # Nothing ahead of the learner, the usual case. The look-up below would find nothing
        # without asking the database, but only after the ORM built its query: about 2,000
        # Python calls, a third of this function's (docs/benchmarks.md).
        return {}
    quizzes = {quiz.pk: quiz for quiz in Quiz.objects.filter(Q(pk__in=set(in_progress.values())) | Q(pk__in=due, feedback=Quiz.Feedback.END))}
    assigned = [quiz for quiz in quizzes.values() if quiz.pk in due]
    finished = set(
        Attempt.objects.filter(user=user, quiz__in=assigned, finished_at__isnull=False).values_list("quiz_id", flat=True)
    ) if assigned else set()
    held = {question_id: Hold(quizzes[quiz_id], None) for question_id, quiz_id in in_progress.items()}
    for quiz in assigned:
        if quiz.pk in finished:
            continue
        for question_id in _questions_of(quiz, question_ids - held.keys()):
            held[question_id] = Hold(quiz, due[quiz.pk])
    return held


def _questions_of(quiz: Quiz, question_ids: set[int]) -> set[int]:
    """Which of `question_ids` an attempt at `quiz` could be given: its set, or its draw's pool."""
    if not question_ids:
        return set()
    if quiz.selection == Quiz.Selection.FIXED:
        rows = QuizQuestion.objects.filter(quiz=quiz, question_id__in=question_ids).values_list("question_id", flat=True)
        return set(rows)
    return set(quiz.drawn_from(Question.objects.filter(pk__in=question_ids)).values_list("pk", flat=True))


def hold_keys_on_screen(user_ids: Iterable[int], quiz: Quiz) -> int:
    """A hold by `quiz` has just begun for these learners: mark the questions of it they have
    on screen in a quiz with feedback after each, so that answering them does not show the key
    (the mark was decided when they were shown). The rule is asked again when they are answered."""
    if quiz.feedback != Quiz.Feedback.END:
        return 0
    rows = Response.objects.filter(
        attempt__user_id__in=list(user_ids),
        attempt__feedback=Quiz.Feedback.EACH,
        attempt__finished_at__isnull=True,
        outcome=Response.Outcome.OPEN,
        shown_at__isnull=False,
        key_held=False,
    ).exclude(attempt__quiz=quiz)
    rows = list(rows.values_list("pk", "question_id", "attempt_id"))
    held = _questions_of(quiz, {question_id for _, question_id, _ in rows})
    rows = [(pk, attempt_id) for pk, question_id, attempt_id in rows if question_id in held]
    if not rows:
        return 0
    Attempt.objects.filter(pk__in={attempt_id for _, attempt_id in rows}).update(key_held=True)
    return Response.objects.filter(pk__in=[pk for pk, _ in rows]).update(key_held=True)
