"""A quiz's publish time: before it learners cannot see or start the quiz (404 on its URLs,
absent from every list); from it they can. Editors preview it. Time is frozen at the edge."""

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse

from quiz.models import Attempt, Quiz
from tests.factories import AssignmentFactory, MembershipFactory, QuizFactory
from tests.helpers import T0

# 20:00 IST on 25 Nov 2026, the daily quiz's release.
RELEASE = T0.replace(hour=14, minute=30)


@pytest.fixture
def tomorrows_quiz(questions):
    return QuizFactory(slug="tomorrow", title="Daily quiz: 25 Nov", publish_at=RELEASE, with_questions=questions)


def at(moment):
    return time_machine.travel(moment, tick=False)


def test_one_second_before_its_publish_time_learners_get_404_and_no_listing(learner_client, tomorrows_quiz):
    with at(RELEASE - timedelta(seconds=1)):
        assert learner_client.get(reverse("quiz:detail", args=["tomorrow"])).status_code == 404
        assert learner_client.post(reverse("quiz:start", args=["tomorrow"])).status_code == 404
        listing = learner_client.get(reverse("quiz:list")).content.decode()
    assert "Daily quiz: 25 Nov" not in listing and "tomorrow" not in listing
    assert not Attempt.objects.exists()


def test_at_its_publish_time_learners_see_and_start_it(learner_client, tomorrows_quiz):
    with at(RELEASE):
        assert "Daily quiz: 25 Nov" in learner_client.get(reverse("quiz:list")).content.decode()
        assert learner_client.get(reverse("quiz:detail", args=["tomorrow"])).status_code == 200
        started = learner_client.post(reverse("quiz:start", args=["tomorrow"]))
    assert started.status_code == 302
    assert Attempt.objects.get().quiz == tomorrows_quiz


def test_an_editor_previews_it_before_its_publish_time_but_cannot_start_it(editor_client, tomorrows_quiz):
    with at(RELEASE - timedelta(hours=3)):
        page = editor_client.get(reverse("quiz:detail", args=["tomorrow"]))
        started = editor_client.post(reverse("quiz:start", args=["tomorrow"]))
    html = page.content.decode()
    assert page.status_code == 200 and "data-preview" in html
    assert "25 Nov 2026, 20:00 IST" in html  # shown in IST, stored in UTC
    assert "Start quiz" not in html
    assert started.status_code == 404 and not Attempt.objects.exists()


def test_an_editor_types_the_publish_time_in_ist_and_it_is_stored_in_utc(editor_client):
    response = editor_client.post(
        reverse("admin:quiz_quiz_add"),
        {
            "title_en": "Daily quiz: 26 Nov", "slug": "daily-26-nov", "description_en": "", "is_published": "on",
            "publish_at_0": "2026-11-26", "publish_at_1": "20:00:00",
            "selection": "fixed", "draw_count": "", "draw_topic": "", "draw_source": "",
            "seconds_per_question": 19, "marks_correct": "2", "marks_wrong": "0.66", "feedback": "each",
            "quiz_questions-TOTAL_FORMS": 0, "quiz_questions-INITIAL_FORMS": 0,
            "quiz_questions-MIN_NUM_FORMS": 0, "quiz_questions-MAX_NUM_FORMS": 1000,
        },
    )
    assert response.status_code == 302
    quiz = Quiz.objects.get(slug="daily-26-nov")
    assert quiz.publish_at == RELEASE + timedelta(days=1)  # 20:00 IST is 14:30 UTC
    change_page = editor_client.get(reverse("admin:quiz_quiz_change", args=[quiz.pk])).content.decode()
    assert 'value="20:00:00"' in change_page  # shown back in IST


def test_a_class_does_not_see_an_assigned_quiz_before_its_publish_time(learner_client, learner, tomorrows_quiz):
    membership = MembershipFactory(learner=learner)
    AssignmentFactory(classroom=membership.classroom, quiz=tomorrows_quiz)
    with at(RELEASE - timedelta(seconds=1)):
        before = learner_client.get(reverse("quiz:list")).content.decode()
    with at(RELEASE):
        after = learner_client.get(reverse("quiz:list")).content.decode()
    assert 'data-assigned="tomorrow"' not in before
    assert 'data-assigned="tomorrow"' in after
