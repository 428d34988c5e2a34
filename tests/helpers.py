"""Helpers the test modules share: a fixed clock, the factories' password, starting an attempt
and answering it, teachers and the question editors' group. Fixtures live in conftest.py."""

import random
from datetime import datetime, timezone as dt_timezone

from quiz import services
from quiz.models import Attempt, Response
from tests.factories import UserFactory

PASSWORD = "correct horse battery staple"
T0 = datetime(2026, 11, 25, 14, 30, 0, tzinfo=dt_timezone.utc)


def start(user, quiz, now=T0):
    """Start an attempt as the Start button does, with a fixed draw, and read it back."""
    return Attempt.objects.get(pk=services.start(quiz, user, now, rng=random.Random(7)))


def show(attempt, now=T0):
    """The question the learner sees now, as the play page asks for it (None when none is left)."""
    return services.open_question(attempt.pk, attempt.user, now).question


def submit(attempt, position, action, choice_id, now):
    """Send one answer as the answer view does, picking the option with this id where the
    learner was shown it; returns what the learner's screen shows next."""
    place = None
    if choice_id is not None:
        place = place_of(Response.objects.get(attempt=attempt, position=position), choice_id)
    return submit_place(attempt, position, action, place, now)


def submit_place(attempt, position, action, place, now):
    """Send one answer naming the option by its place in the shown order (1 for a), as the form does."""
    return services.answer(attempt.pk, attempt.user, services.Submission(position, action, place), now)


def place_of(response, choice_id):
    """Where the learner was shown this option (1 for a): what the page's radio sends."""
    return response.option_order.index(choice_id) + 1


def answer_form(response, choice=None, action="answer"):
    data = {"position": response.position, "action": action}
    if choice is not None:
        data["choice"] = place_of(response, choice.pk)
    return data


def correct_choice(response):
    return response.question.choices.get(is_correct=True)


def wrong_choice(response):
    return response.question.choices.filter(is_correct=False).first()


def make_teacher(username):
    """A user in the Teachers group. get_or_create: a transactional test flushes the group
    the data migration made."""
    from django.contrib.auth.models import Group

    user = UserFactory(username=username)
    user.groups.add(Group.objects.get_or_create(name="Teachers")[0])
    return user


def editors_group():
    """The "Question editors" group, exactly as curation migrations 0001 and 0002 (and daily 0003) make it. Made again
    here when a transactional test has flushed the database since the migrations ran."""
    import importlib

    from django.apps import apps

    migration = importlib.import_module("curation.migrations.0001_question_editors_group")
    group = migration.grant_curation(apps)
    importlib.import_module("curation.migrations.0002_editors_curate_giveaway_groups").grant(apps)
    importlib.import_module("daily.migrations.0003_editors_handle_problem_reports").grant(apps)
    return group
