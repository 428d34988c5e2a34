"""A quiz's leaderboard: first finished attempts only, by score then time; the learner's rank
and "top N%"; the top 20 by display name or "Aspirant"; a teacher's class board with real
names; retakes never count; a constant number of queries."""

import re
from datetime import timedelta
from decimal import Decimal

import pytest

from django.urls import reverse

from daily.models import Profile
from tests.factories import AssignmentFactory, AttemptFactory, ClassroomFactory, MembershipFactory, QuizFactory, UserFactory
from quiz.models import Attempt
from tests.helpers import T0, start


def finish(quiz, user, score, seconds, started=T0):
    return AttemptFactory(
        quiz=quiz, user=user, started_at=started, finished_at=started + timedelta(seconds=seconds),
        score=Decimal(score), question_count=3,
    )


def named(username, display_name="", **kwargs):
    user = UserFactory(username=username, **kwargs)
    if display_name:
        Profile.objects.create(user=user, display_name=display_name)
    return user


def rows(html: str) -> list[tuple[str, str, str]]:
    """(rank, name, score) of each row of the board."""
    found = re.findall(r'data-rank="(\d+)">\s*<td>\d+</td>\s*<td>([^<]*)</td>\s*<td class="num">([^<]*)</td>', html)
    return [(rank, name.strip(), score) for rank, name, score in found]


def board(client, quiz):
    response = client.get(reverse("daily:leaderboard", args=[quiz.slug]))
    assert response.status_code == 200
    return response.content.decode()


def test_it_ranks_first_attempts_by_score_then_time_and_names_only_those_who_chose_one(learner_client, learner, quiz):
    finish(quiz, named("priya", "Priya from Pune"), "6", 40)
    finish(quiz, named("karan.mehta", first_name="Karan", last_name="Mehta"), "6", 30)  # no display name
    finish(quiz, learner, "3.34", 20)
    html = board(learner_client, quiz)
    assert rows(html) == [("1", "Aspirant", "6"), ("2", "Priya from Pune", "6"), ("3", "Aspirant (you)", "3.34")]
    assert "karan" not in html.lower() and "mehta" not in html.lower() and "asha" not in html
    assert 'data-my-rank="3"' in html and "top 100%" in html


def test_retakes_never_count_only_the_first_finished_attempt(learner_client, learner, quiz):
    rival = named("ravi", "Ravi")
    finish(quiz, rival, "4", 50)
    finish(quiz, learner, "0.68", 50)
    finish(quiz, learner, "6", 10, started=T0 + timedelta(hours=1))  # a retake, knowing the answers
    AttemptFactory(quiz=quiz, user=UserFactory(), started_at=T0)  # unfinished: not on the board
    html = board(learner_client, quiz)
    assert rows(html) == [("1", "Ravi", "4"), ("2", "Aspirant (you)", "0.68")]
    assert "of 2" in html


def test_ties_share_a_rank_and_the_percentile_reads_top_n_percent(learner_client, learner, quiz):
    for n in range(7):
        finish(quiz, UserFactory(), "6", 30 + n)
    finish(quiz, UserFactory(), "2", 30)
    finish(quiz, learner, "2", 30)  # tied 8th of 9 with the same score and time
    html = board(learner_client, quiz)
    assert 'data-my-rank="8"' in html and "top 89%" in html
    assert [rank for rank, _, _ in rows(html)][-2:] == ["8", "8"]


def test_it_shows_the_top_20_and_the_learners_rank_below_them(learner_client, learner, quiz):
    for n in range(30):
        finish(quiz, UserFactory(), "6", 20 + n)
    finish(quiz, learner, "0", 90)
    html = board(learner_client, quiz)
    assert len(rows(html)) == 20
    assert 'data-my-rank="31"' in html and "top 100%" in html


def test_a_learner_without_an_attempt_sees_the_board_but_no_rank(learner_client, quiz):
    finish(quiz, named("priya", "Priya"), "6", 40)
    html = board(learner_client, quiz)
    assert rows(html) == [("1", "Priya", "6")]
    assert "data-my-rank" not in html and "Finish your first attempt" in html


def test_a_display_name_is_escaped(learner_client, quiz):
    finish(quiz, named("mallory", "<script>alert(1)</script>"), "6", 40)
    html = board(learner_client, quiz)
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_a_teacher_sees_their_class_board_with_real_names_and_only_the_class(client, teacher, quiz):
    classroom = ClassroomFactory(teacher=teacher)
    AssignmentFactory(classroom=classroom, quiz=quiz)
    member = named("karan", first_name="Karan", last_name="Mehta")
    MembershipFactory(classroom=classroom, learner=member)
    finish(quiz, member, "4", 30)
    finish(quiz, named("outsider", "Top outsider"), "6", 10)
    client.force_login(teacher)
    html = client.get(reverse("daily:class_leaderboard", args=[classroom.pk, quiz.slug])).content.decode()
    assert rows(html) == [("1", "Karan Mehta", "4")]


def test_a_learner_chooses_a_display_name_and_the_board_shows_it(learner_client, learner, quiz):
    saved = learner_client.post(reverse("daily:profile"), {"display_name": "  Asha   from  Agra "})
    assert saved.status_code == 302
    assert Profile.objects.get(user=learner).display_name == "Asha from Agra"
    finish(quiz, learner, "2", 30)
    assert rows(board(learner_client, quiz)) == [("1", "Asha from Agra (you)", "2")]


@pytest.mark.parametrize(
    "name, message",
    [("x" * 41, "at most 40 characters"), ("Asha\u200b\u0007", "letters, numbers and punctuation only")],
)
def test_a_bad_display_name_is_a_400_with_a_message_and_nothing_is_saved(learner_client, learner, name, message):
    response = learner_client.post(reverse("daily:profile"), {"display_name": name})
    assert response.status_code == 400 and message in response.content.decode()
    assert not Profile.objects.filter(user=learner).exists()


def test_start_records_the_first_sitting_and_a_retake_as_practice(learner, quiz):
    first = start(learner, quiz)
    Attempt.objects.filter(pk=first.pk).update(finished_at=T0 + timedelta(minutes=1))
    retake = start(learner, quiz, now=T0 + timedelta(hours=1))
    first.refresh_from_db()
    assert retake.pk != first.pk
    assert first.is_first and not retake.is_first
    assert list(Attempt.objects.first_finished(quiz.pk)) == [first]
