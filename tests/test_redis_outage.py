"""Redis goes away mid-quiz (issue 15, item 5). A real redis-server of the test's own, on a
spare port, is killed with SIGKILL while a learner is half-way through a quiz on a real
gunicorn server; later it is started again, empty (Redis here keeps nothing on disk). While it
is down: no page is a 5xx, no answer is lost (sessions are read from the database), /healthz
answers 503 naming Redis, and the log-in limits keep holding; after it comes back empty they
still hold (they are counted in the database)."""

import shutil
import subprocess
import time

import pytest

from tests.app_servers import Learner, free_port, gunicorn_servers, shown_question
from tests.test_crash_recovery import SETUP, STATE, python

PASSWORD = "redis may die, an answer may not"
SECONDS = 19

pytestmark = [pytest.mark.xdist_group("two_servers"), pytest.mark.django_db(transaction=True)]


class RedisServer:
    """A redis-server on a port of its own that keeps nothing on disk."""

    def __init__(self, port: int):
        self.port = port
        self.process = None

    def start(self) -> None:
        command = ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
        self.process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 10
        while subprocess.run(["redis-cli", "-p", str(self.port), "ping"], capture_output=True, text=True).stdout.strip() != "PONG":
            assert time.monotonic() < deadline, "redis-server did not start"
            time.sleep(0.05)

    def kill(self) -> None:
        self.process.kill()  # SIGKILL: nothing flushed, nothing said to the clients
        self.process.wait(timeout=10)

    def key_count(self) -> int:
        reply = subprocess.run(["redis-cli", "-p", str(self.port), "dbsize"], capture_output=True, text=True)
        return int(reply.stdout.strip())


@pytest.fixture
def redis():
    if not shutil.which("redis-server"):
        # Part of the suite, never skipped: .ci/run installs it where a machine lacks it.
        pytest.fail("redis-server is not installed: run `sudo apt-get install -y redis-server`.")
    server = RedisServer(free_port())
    server.start()
    yield server
    if server.process.poll() is None:
        server.kill()


def test_killing_redis_mid_quiz_costs_no_answer_no_5xx_and_no_limit(redis, tmp_path):
    env = {
        "SECRET_KEY": "redis-outage-test-key",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'outage.sqlite3'}",
        "REDIS_URL": f"redis://127.0.0.1:{redis.port}/0",
        "LOGIN_FAILURES_PER_ACCOUNT_AND_ADDRESS": "3",
    }
    database = {"env": env}
    quiz = python(database, SETUP.format(migrate=True, password=PASSWORD, seconds=SECONDS))["quiz"]
    with gunicorn_servers(env, tmp_path) as start:
        [server] = start()
        learner, attacker = Learner(), Learner()
        learner.log_in(server, "survivor", PASSWORD)
        play = learner.request(server, "POST", f"/quizzes/{quiz}/start/").getheader("Location")
        answer = play + "answer/"
        assert shown_question(learner.request(server, "GET", play).text)[:2] == (1, 0)
        options = python(database, STATE)["responses"]
        reply = learner.request(server, "POST", answer, {"position": 0, "choice": options[0]["right"]}, htmx=True)
        assert reply.status == 200 and shown_question(reply.text)[:2] == (2, 1)
        assert redis.key_count() > 0  # the session is in Redis

        redis.kill()
        health = learner.request(server, "GET", "/healthz")
        assert health.status == 503 and '"redis": "error: ConnectionError"' in health.text
        assert '"database": "ok"' in health.text
        # The learner goes on: every page and answer while Redis is down, none a 5xx.
        assert learner.request(server, "GET", play).status == 200
        reply = learner.request(server, "POST", answer, {"position": 1, "choice": options[1]["wrong"]}, htmx=True)
        assert reply.status == 200 and shown_question(reply.text)[:2] == (3, 2), reply.text[-500:]
        assert learner.request(server, "GET", "/attempts/").status == 200
        # The log-in limit holds while Redis is down: three wrong passwords lock the account here.
        assert attacker.request(server, "GET", "/accounts/login/").status == 200
        guess = {"username": "survivor", "password": "guess", "csrfmiddlewaretoken": attacker.cookies["csrftoken"]}
        assert [attacker.request(server, "POST", "/accounts/login/", guess).status for _ in range(4)] == [400, 400, 400, 429]

        redis.start()  # back, and empty
        assert redis.key_count() == 0
        right = {**guess, "password": PASSWORD}
        assert attacker.request(server, "POST", "/accounts/login/", right).status == 429  # still held
        server.wait_until_healthy(seconds=10)
        reply = learner.request(server, "POST", answer, {"position": 2, "choice": options[2]["right"]}, htmx=True)
        assert reply.status == 200 and shown_question(reply.text)[:2] == (4, 3), reply.text[-500:]
        reply = learner.request(server, "POST", answer, {"position": 3, "choice": options[3]["right"]}, htmx=True)
        assert reply.status == 200 and reply.getheader("HX-Redirect", "").endswith("/result/")
        server_log = (tmp_path / "gunicorn-0.log").read_text()
    final = python(database, STATE)
    assert [r["outcome"] for r in final["responses"]] == ["correct", "wrong", "correct", "correct"]
    assert final["finished"] and final["score"] == "5.34"
    assert "Traceback" not in server_log, server_log[-3000:]
