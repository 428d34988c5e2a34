"""App servers keep no state of their own. Two gunicorn servers on two ports share one
PostgreSQL and one Redis; a learner takes a whole quiz sending each request to the other
server: logs in on one, starts on the other, sees the same question and the same clock on
both, lets a deadline pass, and reads the result, with every rule holding across servers.

Runs where DATABASE_URL is PostgreSQL and REDIS_URL is set (CI's PostgreSQL pass); skipped
otherwise, unless REQUIRE_TWO_SERVERS=1 (`make test-postgres`) makes that a failure.
"""

import os
import re
import time

import pytest
from django.conf import settings
from django.db import connection
from django.test import override_settings
from django.utils import timezone

from quiz.models import Attempt, Response
from tests.app_servers import Learner, database_url_of, gunicorn_servers, shown_question
from tests.factories import QuizFactory, UserFactory
from tests.helpers import place_of

PASSWORD = "two servers, one quiz"
GRACE = 0.5


def configured() -> str:
    """Why this test cannot run here, or "" when it can."""
    if connection.vendor != "postgresql":
        return "DATABASE_URL is not PostgreSQL"
    if not settings.REDIS_URL:
        return "REDIS_URL is not set"
    return ""


pytestmark = [
    pytest.mark.xdist_group("two_servers"),
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture
def servers(tmp_path, transactional_db):
    reason = configured()
    if reason:
        if os.environ.get("REQUIRE_TWO_SERVERS") == "1":
            pytest.fail(f"REQUIRE_TWO_SERVERS=1 but {reason}")
        pytest.skip(f"Needs PostgreSQL and Redis: {reason}")
    env = {
        "SECRET_KEY": "two-servers-share-this-key-so-either-reads-the-others-cookies",
        "DATABASE_URL": database_url_of(connection.settings_dict),
        "REDIS_URL": settings.REDIS_URL,
        "ANSWER_GRACE_SECONDS": str(GRACE),
    }
    with gunicorn_servers(env, tmp_path) as start:
        yield start(2)


def right_option(attempt: Attempt, position: int) -> int:
    """What the right option's radio sends: its place in the learner's order, from 1."""
    response = Response.objects.select_related("question").get(attempt=attempt, position=position)
    return place_of(response, response.question.choices.get(is_correct=True).pk)


def test_a_learner_takes_a_whole_quiz_alternating_between_two_servers(servers):
    a, b = servers
    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.PBKDF2PasswordHasher"]):
        user = UserFactory(username="alternating", password=PASSWORD)
    quiz = QuizFactory(slug="two-servers", feedback="end", seconds_per_question=3, with_questions=3)
    learner = Learner()

    # Log in on A; the session lives in Redis (and the database), so B knows the learner.
    learner.log_in(a, user.username, PASSWORD)

    started = learner.request(b, "POST", f"/quizzes/{quiz.slug}/start/")
    assert started.status == 302, started.text[-500:]
    attempt = Attempt.objects.get(user=user, quiz=quiz)
    play = f"/attempts/{attempt.pk}/"
    answer = f"/attempts/{attempt.pk}/answer/"

    # A shows question 1 and starts its clock; B shows the same question on the same clock.
    number, position, left_on_a = shown_question(learner.request(a, "GET", play).text)
    assert (number, position) == (1, 0) and 0 < left_on_a <= 3
    deadline = Response.objects.get(attempt=attempt, position=0).deadline
    number, _, left_on_b = shown_question(learner.request(b, "GET", play).text)
    # A shows a clock it has just started, a full 3.000 s; B's restarted clock would too.
    assert number == 1 and left_on_b < left_on_a
    assert Response.objects.get(attempt=attempt, position=0).deadline == deadline

    # Answer it on B: right, in time; B shows question 2 and starts its clock.
    reply = learner.request(
        b, "POST", answer, {"position": 0, "choice": right_option(attempt, 0)}, htmx=True
    )
    assert reply.status == 200, reply.text[-500:]
    assert shown_question(reply.text)[:2] == (2, 1)

    # The learner walks away past question 2's deadline and its grace. A, asked for the current
    # question, records question 2 as timed out on the clock B started, and shows question 3.
    deadline = Response.objects.get(attempt=attempt, position=1).deadline
    time.sleep(max(0.0, (deadline - timezone.now()).total_seconds()) + GRACE + 0.3)
    number, position, _ = shown_question(learner.request(a, "GET", play, htmx=True).text)
    assert (number, position) == (3, 2)

    # A late answer to question 2, sent to B, is refused: nothing is written.
    late = learner.request(
        b, "POST", answer, {"position": 1, "choice": right_option(attempt, 1)}, htmx=True
    )
    assert late.status == 409 and "no longer open" in late.text

    # The last answer on A finishes the attempt; B shows the result.
    reply = learner.request(
        a, "POST", answer, {"position": 2, "choice": right_option(attempt, 2)}, htmx=True
    )
    assert (
        reply.status == 200 and reply.getheader("HX-Redirect") == f"/attempts/{attempt.pk}/result/"
    )
    result = learner.request(b, "GET", f"/attempts/{attempt.pk}/result/")
    assert result.status == 200
    assert re.search(r"<strong>4</strong> / 6", result.text), result.text[:2000]

    attempt.refresh_from_db()
    outcomes = list(attempt.responses.order_by("position").values_list("outcome", flat=True))
    assert outcomes == ["correct", "timed_out", "correct"]
    assert attempt.is_finished and attempt.score == 4

    # Logging out on B ends the session on A too.
    assert learner.request(b, "POST", "/accounts/logout/").status == 302
    after = learner.request(a, "GET", "/attempts/")
    assert after.status == 302 and after.getheader("Location").startswith("/accounts/login/")


def test_the_log_in_limit_holds_across_servers(servers):
    a, b = servers
    username = f"locked-{os.getpid()}-{time.monotonic_ns()}"  # Redis outlives test databases
    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.PBKDF2PasswordHasher"]):
        UserFactory(username=username, password=PASSWORD)
    learner = Learner()
    learner.request(a, "GET", "/accounts/login/")

    def log_in(server, password):
        form = {"username": username, "password": password, "csrfmiddlewaretoken": learner.cookies["csrftoken"]}
        return learner.request(server, "POST", "/accounts/login/", form)

    # Five failures, spread over both servers, lock the account on both.
    assert [log_in(server, "wrong").status for server in (a, b, a, b, a)] == [400] * 5
    refused = log_in(b, PASSWORD)
    assert refused.status == 429 and "Too many failed log-ins for this account" in refused.text
    assert log_in(a, PASSWORD).status == 429
