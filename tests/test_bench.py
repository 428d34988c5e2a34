"""`make bench` keeps working as the app changes: the load driver takes whole quizzes through a
real gunicorn server, and bench/cpu.py through Django's request handling, reading the pages
as the app renders them today (a changed form or URL would make them fail here, not on the
day someone benchmarks)."""

import json
import subprocess
import sys

import pytest
from django.test import Client

from bench import cpu
from tests.app_servers import gunicorn_servers
from tests.django_process import ROOT, run_manage
from tests.factories import QuizFactory
from tests.helpers import PASSWORD

LEARNERS = 3


@pytest.fixture
def seeded_server(tmp_path):
    """gunicorn, with the benchmark's settings, on a SQLite file seeded as `make bench` seeds."""
    env = {
        "DATABASE_URL": f"sqlite:///{tmp_path / 'bench.sqlite3'}",
        "CACHE_DIR": str(tmp_path / "cache"),
        "SECRET_KEY": "bench-test-only-secret-key-for-127-0-0-1",
        "BENCH_QUERY_COUNT": "1",
    }
    for command in (
        ["migrate", "--no-input", "-v0"],
        ["seed_demo", "--learners", str(LEARNERS), "--attempts", "20", "--questions", "4"],
    ):
        done = run_manage(*command, timeout=120, **env)
        assert done.returncode == 0, done.stderr[-2000:]
    with gunicorn_servers(env, tmp_path) as start:
        [server] = start()
        yield server


def test_the_load_driver_takes_whole_quizzes_with_no_errors(seeded_server, tmp_path):
    # In a process of its own, as the browser tests' event loop may be running in this one.
    figures = tmp_path / "figures.json"
    done = subprocess.run(
        [
            sys.executable, "-m", "bench.driver",
            "--url", f"http://127.0.0.1:{seeded_server.port}",
            "--learners", str(LEARNERS),
            "--warmup", "0.2",
            "--duration", "2",
            "--ceiling-duration", "0.5",
            "--json", str(figures),
        ],
        cwd=ROOT, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-2000:]
    result = json.loads(figures.read_text())

    rows = result["requests_by_type"]
    assert set(rows) == {"start", "play", "answer", "result"}
    assert all(row["errors"] == 0 for row in rows.values()), {k: r["error_samples"] for k, r in rows.items()}
    assert result["quizzes_finished"] >= 1 and result["answers_per_second"] > 0
    # The header that only the benchmark's settings send: at most 6 queries and SQLite's BEGIN.
    assert rows["answer"]["queries_max"] == 7
    assert result["ceiling"]["requests"] > 0 and result["ceiling"]["errors"] == 0


@pytest.mark.django_db
def test_the_cpu_benchmark_takes_a_quiz_through_djangos_request_handling(learner):
    QuizFactory(slug="bench-quiz", feedback="end", with_questions=4)
    client = Client(enforce_csrf_checks=True)
    assert client.login(username=learner.username, password=PASSWORD)
    client.get("/")
    meter = cpu.Meter()

    cpu.take_quiz(client, "bench-quiz", meter)
    cpu.measure_floor(client, meter, times=3)

    assert [len(meter.cpu_ms[kind]) for kind in cpu.KINDS] == [1, 1, 4, 1]
    assert learner.attempts.get().is_finished
    # The floor's one query is the user's: the view itself reads nothing.
    assert meter.queries[cpu.FLOOR] == [1, 1, 1]
