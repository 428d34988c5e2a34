"""Adversarial tests of the quiz: races, half-done writes, hostile text, the clock's edges on
every path that records an answer."""

import threading
from datetime import timedelta
from decimal import Decimal

import pytest
import time_machine
from django.conf import settings
from django.db import OperationalError, connection, transaction
from django.test import Client
from django.urls import reverse

from quiz import services
from quiz.models import Attempt, Response
from tests.conftest import T0, answer_form, correct_choice, start, wrong_choice
from tests.factories import QuestionFactory, QuizFactory, UserFactory

HTMX = {"HTTP_HX_REQUEST": "true"}
GRACE = 2


@pytest.fixture(autouse=True)
def grace(settings):
    settings.ANSWER_GRACE_SECONDS = GRACE


# --- ten duplicate submissions at once -------------------------------------------------------


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    "postgresql" not in settings.DATABASES["default"]["ENGINE"],
    reason="needs PostgreSQL's row locking (the in-memory SQLite test database locks whole tables); "
    "runs in the PostgreSQL pass of .ci/run",
)
def test_ten_simultaneous_submissions_record_exactly_one_answer():
    learner = UserFactory(username="tanvi")
    quiz = QuizFactory(with_questions=QuestionFactory.create_batch(2))
    attempt = services.start_attempt(learner, quiz, T0)
    current = services.show_current_question(attempt, T0)
    # Half the racers send the right option, half a wrong one: exactly one may land.
    picks = [correct_choice(current).pk, wrong_choice(current).pk] * 5
    barrier = threading.Barrier(len(picks))
    statuses = []

    def submit(choice_id):
        client = Client()
        client.force_login(learner)
        try:
            barrier.wait(timeout=10)
            with time_machine.travel(T0 + timedelta(seconds=5), tick=False):
                response = client.post(
                    reverse("quiz:answer", args=[attempt.pk]), {"position": 0, "choice": choice_id}, **HTMX
                )
            statuses.append(response.status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=submit, args=(pick,)) for pick in picks]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    attempt.refresh_from_db()
    assert sorted(statuses) == [200] + [409] * 9
    answered = Response.objects.filter(attempt=attempt).exclude(outcome="open")
    assert answered.count() == 1
    assert attempt.answered_count == 1
    assert attempt.score == answered.get().marks and attempt.score in (Decimal("2"), Decimal("-0.66"))


# --- a failure halfway writes nothing --------------------------------------------------------


def failing(statement: str, error: str):
    """The real database, except that `statement` fails as a dropped connection or a full disk
    would fail it; every statement sent is kept in `sent`."""
    sent = []

    def wrapper(execute, sql, params, many, context):
        sent.append(sql)
        if sql.startswith(statement):
            raise OperationalError(error)
        return execute(sql, params, many, context)

    return wrapper, sent


@pytest.mark.django_db
def test_a_failure_after_the_answer_is_written_leaves_nothing_half_written(learner, quiz):
    attempt = start(learner, quiz)
    current = services.show_current_question(attempt, T0)
    wrapper, sent = failing('UPDATE "quiz_attempt"', "database went away")
    with connection.execute_wrapper(wrapper), pytest.raises(OperationalError, match="went away"):
        with transaction.atomic():  # the request's transaction
            services.record_answer(attempt, 0, "answer", correct_choice(current).pk, T0 + timedelta(seconds=3))
    # The answer's own row was written before the attempt's totals failed.
    assert [sql.split(" SET ")[0] for sql in sent if sql.startswith("UPDATE")] == [
        'UPDATE "quiz_response"',
        'UPDATE "quiz_attempt"',
    ]
    current.refresh_from_db()
    attempt.refresh_from_db()
    assert current.is_open and current.answered_at is None
    assert (attempt.score, attempt.answered_count) == (Decimal("0"), 0)


@pytest.mark.django_db
def test_a_failure_while_creating_an_attempt_leaves_no_attempt(learner, quiz):
    wrapper, sent = failing('INSERT INTO "quiz_response"', "disk full")
    with connection.execute_wrapper(wrapper), pytest.raises(OperationalError, match="disk full"):
        start(learner, quiz)
    # The attempt's row was written before its questions failed.
    assert [sql.split(" (")[0] for sql in sent if sql.startswith("INSERT")] == [
        'INSERT INTO "quiz_attempt"',
        'INSERT INTO "quiz_response"',
    ]
    assert not Attempt.objects.exists()
    assert not Response.objects.exists()


# --- hostile text is shown escaped -----------------------------------------------------------

HOSTILE = '<script>alert("x")</script><img src=x onerror=alert(1)>'


@pytest.mark.django_db
def test_html_in_questions_options_and_explanations_is_shown_escaped(learner_client, learner):
    question = QuestionFactory(
        stem=f"Stem {HOSTILE}",
        explanation=f"Because {HOSTILE}",
        choices=[(f"Right {HOSTILE}", True), ("Two", False), ("Three", False), ("Four", False)],
    )
    quiz = QuizFactory(title=f"Quiz {HOSTILE}", description=HOSTILE, with_questions=[question])
    attempt = start(learner, quiz)
    with time_machine.travel(T0, tick=False):
        pages = [
            learner_client.get(reverse("quiz:list")),
            learner_client.get(quiz.get_absolute_url()),
            learner_client.get(reverse("quiz:play", args=[attempt.pk])),
            learner_client.get(reverse("quiz:play", args=[attempt.pk]), **HTMX),
        ]
        current = Response.objects.get(attempt=attempt)
        pages.append(learner_client.post(reverse("quiz:answer", args=[attempt.pk]), answer_form(current, correct_choice(current)), **HTMX))
        pages.append(learner_client.get(reverse("quiz:result", args=[attempt.pk])))
        pages.append(learner_client.get(reverse("quiz:attempts")))
    for page in pages:
        body = page.content.decode()
        assert page.status_code == 200
        assert "<script>alert" not in body and "<img src=x" not in body
        assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in body


# --- the clock's edges on every path that records an answer ----------------------------------

EDGES = [
    (18, "correct"),  # 1 s before the deadline
    (19, "correct"),  # at the deadline
    (19 + GRACE, "correct"),  # at deadline + grace
    (19 + GRACE + 1, "timed_out"),  # 1 s after deadline + grace
]


@pytest.mark.django_db
@pytest.mark.parametrize(("seconds", "outcome"), EDGES)
@pytest.mark.parametrize("htmx", [False, True], ids=["full-page", "htmx"])
def test_submit_counts_until_deadline_plus_grace(learner_client, learner, quiz, seconds, outcome, htmx):
    attempt = start(learner, quiz)
    with time_machine.travel(T0, tick=False) as clock:
        learner_client.get(reverse("quiz:play", args=[attempt.pk]))
        current = Response.objects.get(attempt=attempt, position=0)
        clock.shift(seconds)
        data = answer_form(current, correct_choice(current)) | {"seconds_taken": "1", "score": "100"}
        learner_client.post(reverse("quiz:answer", args=[attempt.pk]), data, **(HTMX if htmx else {}))
    current.refresh_from_db()
    assert current.outcome == outcome
    assert current.marks == (Decimal("2") if outcome == "correct" else Decimal("0"))


@pytest.mark.django_db
@pytest.mark.parametrize(("seconds", "still_open"), [(18, True), (19, True), (19 + GRACE, True), (19 + GRACE + 1, False)])
def test_resuming_times_out_only_after_deadline_plus_grace(learner_client, learner, quiz, seconds, still_open):
    attempt = start(learner, quiz)
    with time_machine.travel(T0, tick=False) as clock:
        learner_client.get(reverse("quiz:play", args=[attempt.pk]))
        clock.shift(seconds)
        learner_client.get(reverse("quiz:play", args=[attempt.pk]))
    first = Response.objects.get(attempt=attempt, position=0)
    assert first.is_open is still_open
    assert first.outcome == ("open" if still_open else "timed_out")


@pytest.mark.django_db
@pytest.mark.parametrize(("seconds", "status", "outcome"), [(18, 409, "open"), (19, 200, "timed_out"), (25, 200, "timed_out")])
def test_browser_timeout_is_accepted_only_from_the_deadline(learner_client, learner, quiz, seconds, status, outcome):
    attempt = start(learner, quiz)
    with time_machine.travel(T0, tick=False) as clock:
        learner_client.get(reverse("quiz:play", args=[attempt.pk]))
        clock.shift(seconds)
        current = Response.objects.get(attempt=attempt, position=0)
        response = learner_client.post(reverse("quiz:answer", args=[attempt.pk]), answer_form(current, action="expire"), **HTMX)
    current.refresh_from_db()
    assert (response.status_code, current.outcome) == (status, outcome)
