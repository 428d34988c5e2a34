"""Helpers for the teaching tests (no tests here): learners take quizzes through the real quiz
services, with explicit times, so the reports read realistic rows."""

import random
from datetime import timedelta

from questions.models import LETTERS
from quiz import services
from quiz.models import Attempt
from tests.factories import AssignmentFactory, ClassroomFactory, MembershipFactory, QuestionFactory, QuizFactory
from tests.helpers import T0, show, submit

READING = timedelta(seconds=2)  # time spent on each feedback screen


def take(user, quiz, answers, start=T0, seconds=4):
    """`user` takes `quiz`, one entry of `answers` per question in the order shown: an option
    letter as written in the bank ("A" is right with QuestionFactory), "skip" or "timeout".
    Each answer takes `seconds` (an int, or a list per question); a time-out takes the whole
    clock. Returns the finished attempt, read back from the database."""
    attempt = Attempt.objects.get(pk=services.start(quiz, user, start, rng=random.Random(7)))
    now = start
    for i, answer in enumerate(answers):
        taken = timedelta(seconds=seconds[i] if isinstance(seconds, list) else seconds)
        response = show(attempt, now)
        if answer == "timeout":
            now += timedelta(seconds=attempt.seconds_per_question)
            submit(attempt, response.position, "expire", None, now)
        elif answer == "skip":
            now += taken
            submit(attempt, response.position, "skip", None, now)
        else:
            choice = response.question.choices.get(position=LETTERS.index(answer))
            now += taken
            submit(attempt, response.position, "answer", choice.pk, now)
        now += READING
    attempt.refresh_from_db()
    return attempt


def make_quiz(count=3, slug="polity-weekly", **kwargs):
    questions = kwargs.pop("questions", None) or QuestionFactory.create_batch(count)
    return QuizFactory(slug=slug, with_questions=questions, **kwargs)


def make_class(teacher, quiz, learners, name="Prelims 2027", code="ABC234", due_at=None):
    classroom = ClassroomFactory(teacher=teacher, name=name, join_code=code)
    for learner in learners:
        MembershipFactory(classroom=classroom, learner=learner)
    assignment = AssignmentFactory(classroom=classroom, quiz=quiz, due_at=due_at)
    return classroom, assignment


def copy_attempt(attempt, user, shift=timedelta(0)):
    """The same sitting, row for row, by another learner (`shift` later): a large class built
    from a few attempts the services really recorded, in a handful of queries."""
    from quiz.models import Attempt, Response

    fields = [f.name for f in Attempt._meta.concrete_fields if f.name not in ("id", "user")]
    copy = Attempt(user=user, **{name: getattr(attempt, name) for name in fields})
    copy.started_at += shift
    copy.finished_at = copy.finished_at and copy.finished_at + shift
    copy.save()
    responses = []
    for r in attempt.responses.all():
        r.pk, r.attempt = None, copy
        r.shown_at, r.deadline = r.shown_at and r.shown_at + shift, r.deadline and r.deadline + shift
        r.answered_at = r.answered_at and r.answered_at + shift
        responses.append(r)
    Response.objects.bulk_create(responses)
    return copy
