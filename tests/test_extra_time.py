"""Extra time per learner (WCAG 2.2.1 Timing Adjustable): a time factor set by a teacher of the
learner's class or by an admin, copied onto each attempt when it starts and applied to every
deadline; the learner sees it before starting and the reports show it."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.conf import settings
from django.urls import reverse

from quiz.models import Response, TimeAllowance
from tests.factories import ClassroomFactory, MembershipFactory, QuizFactory, UserFactory
from tests.helpers import T0, correct_choice, show, start, submit
from tests.test_teaching_support import make_class, make_quiz, take

pytestmark = pytest.mark.django_db
Outcome = Response.Outcome


def give(user, factor: str) -> None:
    TimeAllowance.objects.update_or_create(user=user, defaults={"factor": Decimal(factor)})


@pytest.mark.parametrize(("factor", "seconds"), [("1", 19), ("1.25", 24), ("1.5", 29), ("2", 38)])
def test_the_factor_is_copied_onto_the_attempt_and_stretches_its_time_rounded_up(learner, quiz, factor, seconds):
    give(learner, factor)
    attempt = start(learner, quiz)
    assert attempt.time_factor == Decimal(factor)
    assert attempt.seconds_per_question == seconds
    response = show(attempt, T0)
    assert response.deadline == T0 + timedelta(seconds=seconds)


def test_a_learner_without_extra_time_has_the_quizs_time(learner, quiz):
    attempt = start(learner, quiz)
    assert (attempt.time_factor, attempt.seconds_per_question) == (Decimal("1"), 19)


def at(seconds: float):
    return T0 + timedelta(seconds=seconds)


@pytest.mark.parametrize(
    ("after", "outcome"),
    [
        (28, Outcome.CORRECT),  # 1 s before the stretched deadline (29 s at 1.5×)
        (29, Outcome.CORRECT),  # at it
        (29 + settings.ANSWER_GRACE_SECONDS, Outcome.CORRECT),  # at deadline + grace: still counts
        (29 + settings.ANSWER_GRACE_SECONDS + 1, Outcome.TIMED_OUT),  # 1 s after the grace
    ],
)
def test_answers_count_until_the_stretched_deadline_plus_grace(learner, quiz, after, outcome):
    give(learner, "1.5")
    attempt = start(learner, quiz)
    response = show(attempt, T0)
    submit(attempt, 0, "answer", correct_choice(response).pk, at(after))
    assert Response.objects.get(pk=response.pk).outcome == outcome


def test_at_standard_time_the_answer_the_factor_would_have_saved_is_late(learner, quiz):
    """The same answer at 25 s: in time at 1.5×, timed out at 1×."""
    response = show(start(learner, quiz), T0)
    submit(response.attempt, 0, "answer", correct_choice(response).pk, at(25))
    assert Response.objects.get(pk=response.pk).outcome == Outcome.TIMED_OUT


def test_the_browsers_time_up_is_refused_until_the_stretched_clock_runs_out(learner, quiz):
    from quiz import services

    give(learner, "2")
    attempt = start(learner, quiz)
    show(attempt, T0)
    with pytest.raises(services.ClockStillRunning):
        submit(attempt, 0, "expire", None, at(37))
    submit(attempt, 0, "expire", None, at(38))
    assert Response.objects.get(attempt=attempt, position=0).outcome == Outcome.TIMED_OUT


def test_a_changed_factor_applies_to_the_next_attempt_not_to_one_already_started(learner, quiz):
    attempt = start(learner, quiz)
    give(learner, "2")
    show(attempt, T0)
    attempt.refresh_from_db()
    assert attempt.seconds_per_question == 19
    assert Response.objects.get(attempt=attempt, position=0).deadline == at(19)


def test_the_quiz_page_tells_the_learner_their_time_before_they_start(learner_client, learner, quiz):
    page = learner_client.get(quiz.get_absolute_url()).content.decode()
    assert "data-extra-time" not in page
    give(learner, "1.5")
    page = learner_client.get(quiz.get_absolute_url()).content.decode()
    assert "You have 1.5× time: 29 s a question instead of 19 s." in page


# --- the teacher sets it on the class page ---------------------------------------------------


def time_url(classroom, learner):
    return reverse("teaching:time_factor", args=[classroom.pk, learner.pk])


def test_a_teacher_gives_a_learner_of_their_class_extra_time(client, teacher, learner):
    classroom = ClassroomFactory(teacher=teacher)
    MembershipFactory(classroom=classroom, learner=learner)
    client.force_login(teacher)
    page = client.get(classroom.get_absolute_url()).content.decode()
    assert 'data-time-factor="1×"' in page

    reply = client.post(time_url(classroom, learner), {"factor": "1.50"}, follow=True)

    assert reply.status_code == 200
    allowance = TimeAllowance.objects.get(user=learner)
    assert (allowance.factor, allowance.set_by) == (Decimal("1.50"), teacher)
    page = reply.content.decode()
    assert "asha now has 1.5× time in every quiz they start." in page
    assert 'data-time-factor="1.5×"' in page and '<option value="1.50" selected>' in page


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("3", "Choose 1×, 1.25×, 1.5× or 2× time."),
        ("0.5", "Choose 1×, 1.25×, 1.5× or 2× time."),
        ("1.5; DROP TABLE", "Choose 1×, 1.25×, 1.5× or 2× time."),
        ("", "This field is required."),
    ],
)
def test_a_factor_not_offered_is_refused_with_a_message_and_nothing_written(
    client, teacher, learner, value, message
):
    classroom = ClassroomFactory(teacher=teacher)
    MembershipFactory(classroom=classroom, learner=learner)
    client.force_login(teacher)
    reply = client.post(time_url(classroom, learner), {"factor": value})
    assert reply.status_code == 400
    assert message in reply.content.decode()
    assert not TimeAllowance.objects.exists()


def test_only_the_classs_teacher_sets_time_and_only_for_its_learners(client, teacher, other_teacher, learner):
    classroom = ClassroomFactory(teacher=teacher)
    MembershipFactory(classroom=classroom, learner=learner)
    outsider = UserFactory(username="outsider")
    client.force_login(other_teacher)
    assert client.post(time_url(classroom, learner), {"factor": "2.00"}).status_code == 404
    client.force_login(learner)
    assert client.post(time_url(classroom, learner), {"factor": "2.00"}).status_code == 404
    client.force_login(teacher)
    assert client.post(time_url(classroom, outsider), {"factor": "2.00"}).status_code == 404
    assert client.get(time_url(classroom, learner)).status_code == 405
    assert not TimeAllowance.objects.exists()


# --- an admin sets it on the user --------------------------------------------------------------


def test_an_admin_gives_extra_time_on_the_users_admin_page(client, learner):
    admin_user = UserFactory(username="root", is_staff=True, is_superuser=True)
    client.force_login(admin_user)
    url = reverse("admin:auth_user_change", args=[learner.pk])
    assert "Extra time" in client.get(url).content.decode()
    data = {
        "username": learner.username,
        "email": learner.email,
        "is_active": "on",
        "date_joined_0": "2026-11-25",
        "date_joined_1": "10:00:00",
        "time_allowance-TOTAL_FORMS": "1",
        "time_allowance-INITIAL_FORMS": "0",
        "time_allowance-MIN_NUM_FORMS": "0",
        "time_allowance-MAX_NUM_FORMS": "1",
        "time_allowance-0-factor": "2.00",
        "time_allowance-0-user": str(learner.pk),
    }
    reply = client.post(url, data)
    assert reply.status_code == 302, reply.content.decode()[:3000]
    allowance = TimeAllowance.objects.get(user=learner)
    assert (allowance.factor, allowance.set_by) == (Decimal("2.00"), admin_user)
    assert start(learner, QuizFactory(with_questions=1)).seconds_per_question == 38


# --- the reports show it ---------------------------------------------------------------------


def test_the_scores_page_and_the_attempt_review_show_the_learners_time_factor(client, teacher):
    asha, kiran = UserFactory(username="asha"), UserFactory(username="kiran")
    give(kiran, "1.25")
    quiz = make_quiz(2)
    classroom, _ = make_class(teacher, quiz, [asha, kiran])
    take(asha, quiz, ["A", "A"])
    attempt = take(kiran, quiz, ["A", "timeout"])
    client.force_login(teacher)
    page = client.get(reverse("teaching:scores", args=[classroom.pk, quiz.slug])).content.decode()
    assert '<td class="num" data-time-factor>1.25×</td>' in page
    assert '<td class="num" data-time-factor>1×</td>' in page
    review = client.get(reverse("teaching:attempt", args=[classroom.pk, quiz.slug, attempt.pk])).content.decode()
    assert "1.25× (extra time)" in review
