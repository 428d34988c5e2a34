"""App servers keep no state of their own. Two gunicorn servers on two ports share one
PostgreSQL and one Redis; a learner takes a whole quiz sending each request to the other
server: logs in on one, starts on the other, sees the same question and the same clock on
both, lets a deadline pass, and reads the result, with every rule holding across servers.

Runs where DATABASE_URL is PostgreSQL and REDIS_URL is set (CI's PostgreSQL pass); skipped
otherwise, unless REQUIRE_TWO_SERVERS=1 (`make test-postgres`) makes that a failure.
"""

import http.client
import os
import re
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

import pytest
from django.conf import settings
from django.db import connection
from django.test import override_settings
from django.utils import timezone

from quiz.models import Attempt, Response
from tests.factories import QuizFactory, UserFactory

ROOT = Path(__file__).resolve().parent.parent
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


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Server:
    """One gunicorn server on 127.0.0.1, against the test database and the test Redis."""

    def __init__(self, name: str, env: dict, log_dir: Path):
        self.name, self.port = name, free_port()
        self.log = log_dir / f"gunicorn-{name}.log"
        command = [
            str(Path(sys.executable).parent / "gunicorn"), "config.wsgi",
            "--bind", f"127.0.0.1:{self.port}", "--workers", "1", "--no-control-socket",
        ]  # fmt: skip
        with open(self.log, "w") as log:
            self.process = subprocess.Popen(
                command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT
            )

    def wait_until_healthy(self, seconds: float = 60) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            assert self.process.poll() is None, (
                f"server {self.name} exited:\n{self.log.read_text()[-3000:]}"
            )
            try:
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=2)
                conn.request("GET", "/healthz")
                if conn.getresponse().status == 200:
                    return
            except OSError:
                pass
            time.sleep(0.2)
        raise AssertionError(
            f"server {self.name} never became healthy:\n{self.log.read_text()[-3000:]}"
        )

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


@pytest.fixture
def servers(tmp_path, transactional_db):
    reason = configured()
    if reason:
        if os.environ.get("REQUIRE_TWO_SERVERS") == "1":
            pytest.fail(f"REQUIRE_TWO_SERVERS=1 but {reason}")
        pytest.skip(f"Needs PostgreSQL and Redis: {reason}")
    db = connection.settings_dict
    host, port = db["HOST"] or "127.0.0.1", db["PORT"] or 5432
    database_url = f"postgres://{db['USER']}:{db['PASSWORD']}@{host}:{port}/{db['NAME']}"
    env = {
        **os.environ,
        "DEBUG": "0",
        "HTTPS": "0",
        "STATIC_COLLECTED": "0",
        "SECRET_KEY": "two-servers-share-this-key-so-either-reads-the-others-cookies",
        "ALLOWED_HOSTS": "127.0.0.1",
        "DATABASE_URL": database_url,
        "REDIS_URL": settings.REDIS_URL,
        "ANSWER_GRACE_SECONDS": str(GRACE),
    }
    env.pop("BENCH_QUERY_COUNT", None)
    started = [Server("a", env, tmp_path), Server("b", env, tmp_path)]
    try:
        for server in started:
            server.wait_until_healthy()
        yield started
    finally:
        for server in started:
            server.stop()


class Learner:
    """A browser, as far as the servers can tell: one cookie jar for 127.0.0.1, whichever port."""

    def __init__(self):
        self.cookies: dict[str, str] = {}

    def request(
        self, server: Server, method: str, path: str, form: dict | None = None, htmx: bool = False
    ):
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        body = None
        if method == "POST":
            body = urlencode(form or {})
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["X-CSRFToken"] = self.cookies.get("csrftoken", "")
        if htmx:
            headers["HX-Request"] = "true"
        conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=20)
        conn.request(method, path, body=body, headers=headers)
        reply = conn.getresponse()
        reply.text = reply.read().decode()
        for header, value in reply.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name] = rest.split(";", 1)[0]
        conn.close()
        return reply


def shown_question(page: str) -> tuple[int, int, float]:
    """The question number, its position field and the seconds left the page shows."""
    number = int(re.search(r'data-question="(\d+)"', page).group(1))
    position = int(re.search(r'name="position" value="(\d+)"', page).group(1))
    seconds_left = float(re.search(r'data-seconds-left="([\d.]+)"', page).group(1))
    return number, position, seconds_left


def right_option(attempt: Attempt, position: int) -> int:
    response = Response.objects.select_related("question").get(attempt=attempt, position=position)
    return response.question.choices.get(is_correct=True).pk


def test_a_learner_takes_a_whole_quiz_alternating_between_two_servers(servers):
    a, b = servers
    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.PBKDF2PasswordHasher"]):
        user = UserFactory(username="alternating", password=PASSWORD)
    quiz = QuizFactory(slug="two-servers", feedback="end", seconds_per_question=3, with_questions=3)
    learner = Learner()

    # Log in on A; the session lives in Redis (and the database), so B knows the learner.
    assert learner.request(a, "GET", "/accounts/login/").status == 200
    form = {
        "username": user.username,
        "password": PASSWORD,
        "csrfmiddlewaretoken": learner.cookies["csrftoken"],
    }
    assert learner.request(a, "POST", "/accounts/login/", form).status == 302

    started = learner.request(b, "POST", f"/quizzes/{quiz.slug}/start/")
    assert started.status == 302, started.text[-500:]
    attempt = Attempt.objects.get(user=user, quiz=quiz)
    play = f"/attempts/{attempt.pk}/"
    answer = f"/attempts/{attempt.pk}/answer/"

    # A shows question 1 and starts its clock; B shows the same question on the same clock.
    number, position, left_on_a = shown_question(learner.request(a, "GET", play).text)
    assert (number, position) == (1, 0) and 0 < left_on_a <= 3
    number, _, left_on_b = shown_question(learner.request(b, "GET", play).text)
    assert number == 1 and left_on_b <= left_on_a

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
