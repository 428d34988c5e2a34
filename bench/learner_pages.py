"""The learner's own pages on a busy site: the quiz list and "My attempts", with 200,000 responses.

    python -m bench.learner_pages --db sqlite
    python -m bench.learner_pages --db postgres

It seeds a fresh database with `seed_demo --learners 10000 --attempts 20000` (5 quizzes of 10
questions, 200,000 responses: the issue's volume) and requests the quiz list (`/`) and "My
attempts" as one demo learner through Django's test Client (every middleware, DEBUG off),
`--runs` times each after a warm-up. It reports the median server time and CPU, and the SQL
queries. What these pages cost must not grow with what other learners do: the quiz list is
the page everyone opens when the 8 pm quiz is published.

Bounded (`--timeout`); no server, nothing listens on any port. The database is the
benchmark's own (a temporary SQLite file, or PostgreSQL's `pariksha_bench_reports`, dropped
and created afresh).
"""

import json
import statistics
import time

from bench.reports import Deadline, bench_env, fresh_database, run, scratch, seed, seeded_bench_parser

PAGES = {"quiz list": "/", "my attempts": "/attempts/"}


def time_pages(runs: int) -> dict:
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_HOST="127.0.0.1")
    if not client.login(username="demo-00001", password="demo-learner-2026"):
        raise SystemExit("bench.learner_pages: cannot log in as demo-00001")
    result = {}
    for name, url in PAGES.items():
        client.get(url)  # warm-up: templates compiled, session cached
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200, url
        result[name] = {"queries": len(captured), "wall": [], "cpu": []}
    for _ in range(runs):
        for name, url in PAGES.items():
            started, cpu = time.perf_counter(), time.process_time()
            assert client.get(url).status_code == 200
            result[name]["wall"].append(time.perf_counter() - started)
            result[name]["cpu"].append(time.process_time() - cpu)
    return result


def main(argv=None) -> None:
    args = seeded_bench_parser(__doc__, runs=15, timeout=300).parse_args(argv)

    if args.pages_child:
        print(json.dumps(time_pages(args.runs)))
        return

    deadline = Deadline(args.timeout)
    with scratch(args.db, "pariksha-bench-learner-") as workdir:
        env = bench_env(CACHE_DIR=str(workdir / "cache"))
        run(env, deadline, "manage.py", "collectstatic", "--no-input", "-v0")
        env["DATABASE_URL"] = fresh_database(args.db, workdir, "learner")
        seconds = seed(env, deadline, "--learners", "10000", "--attempts", "20000")
        out = run(env, deadline, "-m", "bench.learner_pages", "--pages-child", "--runs", str(args.runs), capture=True)
        pages = json.loads(out.strip().splitlines()[-1])
        print(f"\n### {args.db}: a learner's pages, 10,000 learners, 20,000 attempts, 200,000 responses")
        print(f"(seeded in {seconds:.1f} s; {args.runs} runs each)\n")
        print("| page | median ms | CPU ms (median) | queries |\n|---|---:|---:|---:|")
        for name, figures in pages.items():
            print(
                f"| {name} | {statistics.median(figures['wall']) * 1000:.1f} | "
                f"{statistics.median(figures['cpu']) * 1000:.1f} | {figures['queries']} |"
            )


if __name__ == "__main__":
    main()
