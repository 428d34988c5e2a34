"""The progress page's running totals (learning.TopicDay, issue 16 point 6) and its trend per
topic (point 2): the totals always equal the learner's answers added up from scratch, after
answering, after a regrade, across India's midnight and when the data migration fills them;
revision sessions never reach them; each topic's 30 days are drawn as a sparkline with a
sentence and a table that say the same. Time is frozen."""

import importlib
import re
from collections import defaultdict
from datetime import datetime, timedelta, timezone as dt_timezone
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.apps import apps as django_apps
from django.test import Client
from django.urls import reverse

from curation.regrade import regrade_question
from learning import services
from learning.models import Deck, TopicDay
from quiz import services as quiz_services
from quiz.models import Attempt, Response
from tests.factories import QuestionFactory, QuizFactory, TopicFactory
from tests.helpers import T0, start
from tests.test_admin_curation import question_data
from tests.test_learning import finished_attempt, progress_queries, take

pytestmark = pytest.mark.django_db
DAY = timedelta(days=1)
IST = ZoneInfo("Asia/Kolkata")
FIELDS = ["answered", "graded", "correct", "gained", "deducted", "seconds", "timed", "pressed", "timed_out"]


def from_scratch(user) -> dict:
    """The learner's closed answers in finished quiz attempts added up in Python, one response
    at a time, by (topic, day in India, confidence mark): what the totals must hold."""
    rows: dict = defaultdict(lambda: dict.fromkeys(FIELDS, 0))
    answers = (
        Response.objects.filter(attempt__user=user, attempt__is_revision=False, attempt__finished_at__isnull=False)
        .exclude(outcome=Response.Outcome.OPEN)
        .select_related("question", "attempt")
    )
    for answer in answers:
        row = rows[(answer.question.topic_id, answer.answered_at.astimezone(IST).date(), answer.confidence)]
        graded = answer.outcome in (Response.Outcome.CORRECT, Response.Outcome.WRONG)
        row["answered"] += 1
        row["graded"] += graded
        row["correct"] += answer.outcome == Response.Outcome.CORRECT
        row["gained"] += max(answer.marks, Decimal("0"))
        row["deducted"] += min(answer.marks, Decimal("0"))
        if answer.shown_at is not None:
            row["seconds"] += answer.seconds_taken
            row["timed"] += 1
        row["pressed"] += graded and (answer.deadline - answer.answered_at).total_seconds() <= 5
        row["timed_out"] += answer.outcome == Response.Outcome.TIMED_OUT
    return {key: _rounded(row) for key, row in rows.items()}


def totals(user) -> dict:
    return {
        (row.topic_id, row.day, row.confidence): _rounded({name: getattr(row, name) for name in FIELDS})
        for row in TopicDay.objects.filter(user=user)
    }


def _rounded(row: dict) -> dict:
    return {**row, "gained": Decimal(row["gained"]), "deducted": Decimal(row["deducted"])}


def assert_adds_up(user) -> None:
    """The learner's totals hold exactly their answers added up from scratch; seconds to within
    a millisecond an answer (SQLite works them out to the millisecond)."""
    kept, expected = totals(user), from_scratch(user)
    assert kept.keys() == expected.keys()
    for key, row in expected.items():
        assert kept[key]["seconds"] == pytest.approx(row["seconds"], abs=0.001 * row["timed"] + 1e-9), key
        assert {**kept[key], "seconds": None} == {**row, "seconds": None}, key


def page(client) -> str:
    reply = client.get(reverse("learning:progress"))
    assert reply.status_code == 200, reply
    return reply.content.decode()


def topic_days_table(html: str) -> dict:
    """The table beside the sparklines as {topic: [(day, answered, right), ...]}."""
    table = html[html.index("data-topic-trend-table") : html.index("</table>", html.index("data-topic-trend-table"))]
    return {
        name: re.findall(r'<tr><th scope="row">([^<]+)</th><td>(\d+)</td><td>(\d+)</td></tr>', rows)
        for name, rows in re.findall(r'<tbody data-topic-days="([^"]+)">(.*?)</tbody>', table, re.S)
    }


def page_weeks_later(client, learner) -> str:
    """The page on a day past the session's life: logged in afresh."""
    client.force_login(learner)
    return page(client)


@pytest.fixture
def topics():
    return TopicFactory(name="Polity"), TopicFactory(name="Economy")


@pytest.fixture
def mixed_quiz(topics):
    polity, economy = topics
    return QuizFactory(
        with_questions=[QuestionFactory(topic=polity), QuestionFactory(topic=economy), QuestionFactory(topic=polity)]
    )


# --- the totals equal the answers added up ---------------------------------------------------------


def test_the_totals_equal_the_answers_added_up_after_attempts_on_several_days(learner, learner_client, mixed_quiz):
    finished_attempt(learner, mixed_quiz, [("right", "sure"), ("wrong", "guess"), ("timeout", "")])
    page(learner_client)  # read in: the first attempt
    finished_attempt(learner, mixed_quiz, [("right", "guess"), ("right", ""), ("wrong", "fifty")], now=T0 + DAY, seconds=16.437)
    finished_attempt(learner, mixed_quiz, [("right", "sure"), ("timeout", ""), ("right", "sure")], now=T0 + 3 * DAY)
    with time_machine.travel(T0 + 4 * DAY, tick=False):
        html = page(learner_client)  # read in: the other two, added to the rows already there

    assert_adds_up(learner)
    assert TopicDay.objects.filter(user=learner).count() == len(from_scratch(learner)) >= 6
    # 9 answers: Polity 4 right of 6, Economy 1 of 3.
    assert 'data-progress-answered="9"' in html
    assert "67% right (4 of 6) over 3 days with answers." in html
    assert "33% right (1 of 3) over 3 days with answers." in html


def test_an_answer_a_second_before_india_s_midnight_counts_on_that_day_and_one_after_on_the_next(
    learner, learner_client, topics
):
    quiz = QuizFactory(with_questions=[QuestionFactory(topic=topics[0]), QuestionFactory(topic=topics[0])])
    # Midnight in India is 18:30 UTC. The first answer comes at 23:59:59 there, the second at 00:00:29.
    before_midnight = datetime(2026, 11, 25, 18, 29, 56, tzinfo=dt_timezone.utc)
    take(start(learner, quiz, before_midnight), [("right", ""), ("wrong", "")], before_midnight, seconds=3)

    with time_machine.travel(before_midnight + DAY, tick=False):
        html = page(learner_client)

    days = dict(TopicDay.objects.filter(user=learner).values_list("day", "correct"))
    assert days == {datetime(2026, 11, 25).date(): 1, datetime(2026, 11, 26).date(): 0}
    assert_adds_up(learner)
    assert topic_days_table(html) == {"Polity": [("25 Nov", "1", "1"), ("26 Nov", "1", "0")]}


def test_a_day_leaves_the_trend_at_india_s_midnight_30_days_on_but_stays_in_the_topic(learner, learner_client, topics):
    quiz = QuizFactory(with_questions=[QuestionFactory(topic=topics[0])])
    finished_attempt(learner, quiz, [("right", "")])  # 25 Nov, 20:00 in India
    last_moment = datetime(2026, 12, 24, 18, 29, 59, tzinfo=dt_timezone.utc)  # 24 Dec, 23:59:59 in India

    with time_machine.travel(last_moment, tick=False):
        inside = page_weeks_later(learner_client, learner)
    with time_machine.travel(last_moment + timedelta(seconds=1), tick=False):
        outside = page_weeks_later(learner_client, learner)

    assert "100% right (1 of 1) on 1 day with answers." in inside
    assert "No answers in the last 30 days." not in inside
    assert "No answers in the last 30 days." in outside
    assert 'data-progress-answered="1"' in outside and 'data-topic="Polity"' in outside


def test_revision_sessions_never_reach_the_totals(learner, learner_client, mixed_quiz):
    finished_attempt(learner, mixed_quiz, [("wrong", ""), ("wrong", ""), ("right", "")])
    with time_machine.travel(T0 + 2 * DAY, tick=False):
        revision = services.start_revision(learner, T0 + 2 * DAY)
    take(Attempt.objects.get(pk=revision), [("right", "sure"), ("right", "sure")], now=T0 + 2 * DAY)
    with time_machine.travel(T0 + 3 * DAY, tick=False):
        html = page(learner_client)

    assert Attempt.objects.get(pk=revision).is_revision
    assert sum(row.answered for row in TopicDay.objects.filter(user=learner)) == 3
    assert_adds_up(learner)
    assert 'data-progress-answered="3"' in html


def test_an_unfinished_attempt_s_answers_show_at_once_and_are_added_once_when_it_finishes(
    learner, learner_client, mixed_quiz
):
    attempt = start(learner, mixed_quiz)
    take(attempt, [("right", "sure"), ("wrong", "")])  # two of three answered

    assert 'data-progress-answered="2"' in page(learner_client)
    assert not TopicDay.objects.filter(user=learner).exists()

    quiz_services.open_question(attempt.pk, learner, T0 + timedelta(seconds=60))
    submission = quiz_services.Submission(2, "skip", None)
    quiz_services.answer(attempt.pk, learner, submission, T0 + timedelta(seconds=62))
    html = page(learner_client)

    assert 'data-progress-answered="3"' in html
    assert_adds_up(learner)
    assert 'data-progress-answered="3"' in page(learner_client)


def test_other_learners_answers_never_reach_a_learners_totals(learner, other_learner, learner_client, mixed_quiz):
    finished_attempt(other_learner, mixed_quiz, [("right", ""), ("right", ""), ("right", "")])
    finished_attempt(learner, mixed_quiz, [("wrong", ""), ("wrong", ""), ("wrong", "")])
    services.sync_deck(other_learner)

    html = page(learner_client)

    assert_adds_up(learner)
    assert sum(row.correct for row in TopicDay.objects.filter(user=learner)) == 0
    assert 'data-progress-answered="3"' in html


# --- a regrade ----------------------------------------------------------------------------------


def move_key(question, editor):
    """The editor keys the first wrong option right instead: every answer to it is marked again."""
    previous = question.choices.get(is_correct=True)
    now_right = question.choices.filter(is_correct=False).order_by("position").first()
    question.choices.update(is_correct=False)
    question.choices.filter(pk=now_right.pk).update(is_correct=True)
    return regrade_question(question, previous=previous, user=editor)


def test_a_regrade_works_the_totals_out_again_for_answers_already_added(
    learner, other_learner, learner_client, editor, topics
):
    polity, economy = topics
    first, second = QuestionFactory(topic=polity), QuestionFactory(topic=economy)
    quiz = QuizFactory(with_questions=[first, second])
    finished_attempt(learner, quiz, [("wrong", "guess"), ("right", "sure")])
    finished_attempt(learner, quiz, [("wrong", "guess"), ("wrong", "")], now=T0 + DAY)
    finished_attempt(other_learner, quiz, [("right", ""), ("right", "")])
    with time_machine.travel(T0 + 2 * DAY, tick=False):
        assert "0% right (0 of 2)" in page(learner_client)  # Polity: both wrong
    services.sync_deck(other_learner)

    move_key(first, editor)  # both of the learner's Polity answers picked the option now right

    assert_adds_up(learner)
    assert_adds_up(other_learner)
    with time_machine.travel(T0 + 2 * DAY, tick=False):
        html = page(learner_client)
    assert "100% right (2 of 2)" in html
    # The guesses now paid: +2 twice on Polity, while Economy kept its +2 and −0.66.
    assert 'data-guessing-paid="yes"' in html


def test_a_regrade_before_the_attempt_is_read_in_is_counted_once(learner, learner_client, editor, topics):
    question = QuestionFactory(topic=topics[0])
    quiz = QuizFactory(with_questions=[question])
    finished_attempt(learner, quiz, [("right", "")])
    page(learner_client)  # read in
    finished_attempt(learner, quiz, [("right", "")], now=T0 + DAY)  # not read in yet

    move_key(question, editor)
    assert sum(row.answered for row in TopicDay.objects.filter(user=learner)) == 1
    with time_machine.travel(T0 + 2 * DAY, tick=False):
        html = page(learner_client)

    assert_adds_up(learner)
    assert sum(row.answered for row in TopicDay.objects.filter(user=learner)) == 2
    assert "0% right (0 of 2) over 2 days with answers." in html


def test_a_regrade_reaches_an_unfinished_attempt_s_answers_on_the_page(learner, learner_client, editor, mixed_quiz):
    attempt = start(learner, mixed_quiz)
    take(attempt, [("right", "")])
    move_key(Response.objects.get(attempt=attempt, position=0).question, editor)

    html = page(learner_client)

    assert not TopicDay.objects.filter(user=learner).exists()
    assert "0% right (0 of 1) on 1 day with answers." in html


# --- a move to another topic -----------------------------------------------------------------------


@pytest.fixture
def editors_own_client(editor):
    """The editor in a browser of their own (the `editor_client` fixture shares the learner's)."""
    client = Client()
    client.force_login(editor)
    return client


@pytest.fixture
def polity_answers(learner, learner_client, topics):
    """Two Polity questions answered (the first right, the second wrong) and read in."""
    questions = [QuestionFactory(topic=topics[0]), QuestionFactory(topic=topics[0])]
    finished_attempt(learner, QuizFactory(with_questions=questions), [("right", "sure"), ("wrong", "")])
    page(learner_client)
    return questions


def test_moving_questions_to_another_topic_in_bulk_moves_their_answers_in_the_totals(
    learner, learner_client, editors_own_client, topics, polity_answers
):
    done = editors_own_client.post(
        reverse("admin:questions_question_changelist"),
        {"action": "move_to_topic", "_selected_action": [polity_answers[0].pk], "topic": topics[1].pk, "apply": "Move questions"},
    )

    assert done.status_code == 302
    assert_adds_up(learner)
    html = page(learner_client)
    trends = dict(re.findall(r'<li data-topic-trend="([^"]+)">(.*?)</li>', html, re.S))
    assert "100% right (1 of 1)" in trends["Economy"]
    assert "0% right (0 of 1)" in trends["Polity"]


def test_changing_a_question_s_topic_in_its_form_moves_its_answers_in_the_totals(
    learner, learner_client, editors_own_client, topics, polity_answers
):
    question = polity_answers[1]
    done = editors_own_client.post(
        reverse("admin:questions_question_change", args=[question.pk]), question_data(question, topic=topics[1].pk)
    )

    assert done.status_code == 302
    question.refresh_from_db()
    assert question.topic == topics[1]
    assert_adds_up(learner)
    trends = dict(re.findall(r'<li data-topic-trend="([^"]+)">(.*?)</li>', page(learner_client), re.S))
    assert "0% right (0 of 1)" in trends["Economy"] and "100% right (1 of 1)" in trends["Polity"]


# --- the data migration ----------------------------------------------------------------------------


def test_the_data_migration_fills_the_totals_from_the_attempts_already_read_in(learner, other_learner, mixed_quiz):
    finished_attempt(learner, mixed_quiz, [("right", "sure"), ("wrong", "guess"), ("timeout", "")])
    finished_attempt(other_learner, mixed_quiz, [("right", ""), ("right", "fifty"), ("wrong", "")], now=T0 + DAY)
    services.sync_deck(learner)
    services.sync_deck(other_learner)
    finished_attempt(learner, mixed_quiz, [("right", ""), ("right", ""), ("right", "")], now=T0 + 2 * DAY)
    expected = {user.pk: totals(user) for user in (learner, other_learner)}
    TopicDay.objects.all().delete()  # as before the migration

    importlib.import_module("learning.migrations.0003_fill_topic_days").fill(django_apps, None)

    assert {user.pk: totals(user) for user in (learner, other_learner)} == expected
    # The attempt finished after the notebook's mark is added when it next reads in, once.
    assert Deck.objects.get(user=learner).synced_until < T0 + 2 * DAY
    services.sync_deck(learner)
    assert_adds_up(learner)


# --- the page: a trend per topic -----------------------------------------------------------------


def test_each_topic_gets_a_sparkline_of_its_days_with_a_sentence_and_a_table(learner, learner_client, mixed_quiz):
    finished_attempt(learner, mixed_quiz, [("wrong", ""), ("wrong", ""), ("wrong", "")])
    finished_attempt(learner, mixed_quiz, [("right", ""), ("wrong", ""), ("right", "")], now=T0 + 20 * DAY)
    with time_machine.travel(T0 + 21 * DAY, tick=False):
        html = page_weeks_later(learner_client, learner)

    trends = html[html.index("data-topic-trends") :]
    items = re.findall(r'<li data-topic-trend="([^"]+)">(.*?)</li>', trends, re.S)
    assert [name for name, _ in items] == ["Economy", "Polity"]  # weakest first, as the table
    polity = dict(items)["Polity"]
    # One point a day with answers, on one 0-100% scale: 0% on 25 Nov, 100% on 15 Dec.
    svg = re.search(r"<svg[^>]*class=\"sparkline\"[^>]*>.*?</svg>", polity, re.S).group(0)
    assert 'aria-hidden="true"' in svg
    dots = re.findall(r'<circle cx="([\d.]+)" cy="([\d.]+)"', svg)
    assert len(dots) == 2 and float(dots[0][1]) > float(dots[1][1])
    assert "<polyline" in svg
    assert "50% right (2 of 4) over 2 days with answers." in polity
    assert "0% in the first 15 days, 100% in the last 15." in polity
    assert topic_days_table(html) == {
        "Economy": [("25 Nov", "1", "0"), ("15 Dec", "1", "0")],
        "Polity": [("25 Nov", "2", "0"), ("15 Dec", "2", "2")],
    }


def test_a_topic_without_answers_in_30_days_says_so_without_a_chart(learner, learner_client, mixed_quiz):
    finished_attempt(learner, mixed_quiz, [("right", ""), ("right", ""), ("right", "")])
    with time_machine.travel(T0 + 40 * DAY, tick=False):
        html = page_weeks_later(learner_client, learner)

    trends = html[html.index("data-topic-trends") :]
    assert trends.count("No answers in the last 30 days.") == 2
    assert 'class="sparkline"' not in trends


def test_the_progress_page_reads_as_many_queries_with_an_unfinished_attempt_and_after_a_regrade(
    learner, learner_client, editor, mixed_quiz
):
    finished_attempt(learner, mixed_quiz, [("wrong", "guess"), ("right", ""), ("timeout", "")])
    few = progress_queries(learner_client)
    for n in range(8):
        finished_attempt(learner, QuizFactory(with_questions=3), [("wrong", "fifty")] * 3, now=T0 + n * DAY)
    take(start(learner, QuizFactory(with_questions=3), T0 + 9 * DAY), [("right", "")], now=T0 + 9 * DAY)
    move_key(mixed_quiz.quiz_questions.first().question, editor)
    many = progress_queries(learner_client)
    # Any attempt not yet read in; the totals and the unfinished attempts' answers; the deck.
    assert len(few) == len(many) == 3, many
