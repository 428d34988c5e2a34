"""A quiz's leaderboard with 10,000 first attempts: rank and percentile in constant queries.

    python -m bench.leaderboard --db sqlite
    python -m bench.leaderboard --db postgres

It seeds a fresh database with `seed_demo --learners 10000 --attempts 12000 --quizzes 1`
(10,000 first finished attempts at one 10-question quiz and 2,000 retakes, which the board
never counts) and, as one demo learner, requests the quiz's leaderboard through Django's test
Client (every middleware, DEBUG off) and calls `daily.leaderboard.board_for` alone, `--runs`
times each after a warm-up. It reports the median server time and the SQL queries. Target:
under 50 ms of server time.

Bounded (`--timeout`); no server, nothing listens on any port. The database is the
benchmark's own (a temporary SQLite file, or PostgreSQL's `pariksha_bench_reports`, dropped
and created afresh).
"""

import json
import statistics
import time

from bench.reports import Deadline, bench_env, fresh_database, run, scratch, seed, seeded_bench_parser

QUIZ_SLUG = "demo-quiz-1"


def time_board(runs: int) -> dict:
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from daily.leaderboard import board_for
    from quiz.models import Quiz

    client = Client(HTTP_HOST="127.0.0.1")
    if not client.login(username="demo-00001", password="demo-learner-2026"):
        raise SystemExit("bench.leaderboard: cannot log in as demo-00001")
    url = f"/quizzes/{QUIZ_SLUG}/leaderboard/"
    client.get(url)  # warm-up: templates compiled, session cached
    with CaptureQueriesContext(connection) as captured:
        page = client.get(url)
    assert page.status_code == 200 and b"data-my-rank" in page.content, page.content[-400:]
    quiz, learner = Quiz.objects.get(slug=QUIZ_SLUG), get_user_model().objects.get(username="demo-00001")
    with CaptureQueriesContext(connection) as service_queries:
        board = board_for(quiz, learner)
    result = {"board size": board.size, "page queries": len(captured), "service queries": len(service_queries),
              "page": [], "service": []}
    for _ in range(runs):
        started = time.perf_counter()
        assert client.get(url).status_code == 200
        result["page"].append(time.perf_counter() - started)
        started = time.perf_counter()
        board_for(quiz, learner)
        result["service"].append(time.perf_counter() - started)
    return result


def main(argv=None) -> None:
    args = seeded_bench_parser(__doc__, runs=15, timeout=600).parse_args(argv)

    if args.pages_child:
        print(json.dumps(time_board(args.runs)))
        return

    deadline = Deadline(args.timeout)
    with scratch(args.db, "pariksha-bench-board-") as workdir:
        env = bench_env(CACHE_DIR=str(workdir / "cache"))
        run(env, deadline, "manage.py", "collectstatic", "--no-input", "-v0")
        env["DATABASE_URL"] = fresh_database(args.db, workdir, "board")
        seconds = seed(env, deadline, "--learners", "10000", "--attempts", "12000", "--quizzes", "1")
        out = run(env, deadline, "-m", "bench.leaderboard", "--pages-child", "--runs", str(args.runs), capture=True)
        figures = json.loads(out.strip().splitlines()[-1])
        print(f"\n### {args.db}: a quiz's leaderboard, {figures['board size']:,} first attempts (and 2,000 retakes)")
        print(f"(seeded in {seconds:.1f} s; {args.runs} runs each)\n")
        print("| measured | median ms | slowest ms | queries |\n|---|---:|---:|---:|")
        for name, queries in (("page", figures["page queries"]), ("service", figures["service queries"])):
            times = figures[name]
            print(f"| {name} | {statistics.median(times) * 1000:.1f} | {max(times) * 1000:.1f} | {queries} |")


if __name__ == "__main__":
    main()
