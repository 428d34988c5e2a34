"""`make bench-reports`: the teachers' reports on seeded volumes, on SQLite and PostgreSQL.

    python -m bench.reports --db sqlite
    python -m bench.reports --db postgres

For each database it makes two fresh ones and seeds them with `seed_demo`:

1. pages: a class of 1,000 learners on a fixed 100-question quiz, each with a finished first
   attempt and every fifth with a second (`--learners 1000 --attempts 1200 --questions 100
   --quizzes 1 --class-size 1000`: 120,000 responses, 100,000 of them on first attempts). The
   scores, item analysis and learner x question pages are requested through Django's test
   Client as the class's teacher (every middleware, DEBUG off), `--runs` times each after one
   warm-up, interleaved; it reports the median, fastest and slowest server time, the part
   spent getting the report's rows (the `teaching.reports` calls the view makes, timed alone),
   the page's size and its SQL queries. The learner x question page shows its learners a page
   at a time (`teaching.reports.MATRIX_PAGE_SIZE`, 50): its first page is timed, the URL the
   report's tab links to. Target: under 500 ms.
2. export: a class of 2,000 learners, one attempt each (200,000 responses), exported as CSV by
   `manage.py export_report` in a child process whose peak resident memory (`ru_maxrss`, from
   wait4) and wall time are reported, for the matrix (every response streamed), the item
   analysis and the scores. Target: under 150 MB.

Bounded: every child process has a deadline (`--timeout`, 900 s in all); no server is started,
nothing listens on any port. The databases are the benchmark's own: SQLite files in a
temporary folder, or PostgreSQL's `pariksha_bench_reports` (or `$BENCH_POSTGRES_DB`), dropped
and created afresh.
"""

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
POSTGRES_ADMIN = "postgres://postgres@127.0.0.1:5432/postgres"
# Two benchmarks run at once on one PostgreSQL (two engineers on one machine) would drop each
# other's database: BENCH_POSTGRES_DB gives a run a name of its own.
POSTGRES_DB = os.environ.get("BENCH_POSTGRES_DB", "pariksha_bench_reports")
if not POSTGRES_DB.isidentifier():
    raise SystemExit(f"bench: BENCH_POSTGRES_DB must be a plain name, not {POSTGRES_DB!r}")
PAGES = ("scores", "items", "matrix")
EXPORTS = ("matrix", "items", "scores")


class Deadline:
    def __init__(self, seconds: float):
        self.end = time.monotonic() + seconds

    def left(self) -> float:
        left = self.end - time.monotonic()
        if left <= 0:
            raise SystemExit("bench.reports: out of time (--timeout)")
        return left


def run(env: dict, deadline: Deadline, *args: str, capture: bool = False) -> str:
    done = subprocess.run(
        [sys.executable, *args],
        cwd=ROOT,
        env=env,
        check=True,
        timeout=deadline.left(),
        stdout=subprocess.PIPE if capture else None,
        text=True,
    )
    return done.stdout or ""


def bench_env(**extra: str) -> dict:
    """The environment of the benchmark's Django processes: production settings (DEBUG off),
    on this machine only, with the file cache rather than any Redis of the shell's."""
    env = {
        **os.environ,
        "DEBUG": "0",
        "HTTPS": "0",
        "SECRET_KEY": "bench-only-secret-key-for-a-process-on-127-0-0-1",
        "ALLOWED_HOSTS": "127.0.0.1",
        "STATIC_COLLECTED": "1",
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "PYTHONPATH": str(ROOT),
        **extra,
    }
    env.pop("REDIS_URL", None)
    return env


def drop_postgres() -> None:
    import psycopg

    with psycopg.connect(POSTGRES_ADMIN, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {POSTGRES_DB}")


def fresh_database(kind: str, workdir: Path, name: str) -> str:
    if kind == "sqlite":
        return f"sqlite:///{workdir / f'{name}.sqlite3'}"
    import psycopg

    drop_postgres()
    with psycopg.connect(POSTGRES_ADMIN, autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {POSTGRES_DB}")
    return f"postgres://postgres@127.0.0.1:5432/{POSTGRES_DB}"


@contextmanager
def scratch(db: str, prefix: str):
    """A temporary folder for one benchmark's files; afterwards, whatever happened, it is
    removed, and so is the PostgreSQL database the benchmark made."""
    workdir = Path(tempfile.mkdtemp(prefix=prefix))
    try:
        yield workdir
    finally:
        if db == "postgres":
            drop_postgres()
        shutil.rmtree(workdir, ignore_errors=True)


def seed(env: dict, deadline: Deadline, *args: str) -> float:
    run(env, deadline, "manage.py", "migrate", "--no-input", "-v0")
    started = time.monotonic()
    run(env, deadline, "manage.py", "seed_demo", *args)
    return time.monotonic() - started


def peak_memory(env: dict, deadline: Deadline, *args: str) -> tuple[float, float]:
    """Run `python *args` to the end; its wall time in seconds and peak RSS in MB."""
    started = time.monotonic()
    child = subprocess.Popen([sys.executable, *args], cwd=ROOT, env=env, stdout=subprocess.DEVNULL)
    limit = time.monotonic() + deadline.left()
    while True:
        pid, status, usage = os.wait4(child.pid, os.WNOHANG)
        if pid:
            break
        if time.monotonic() > limit:
            child.kill()
            child.wait()
            raise SystemExit(f"bench.reports: {' '.join(args)} ran out of time")
        time.sleep(0.05)
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode:
        raise SystemExit(f"bench.reports: {' '.join(args)} exited with {child.returncode}")
    return time.monotonic() - started, usage.ru_maxrss / 1024  # Linux: kilobytes


# --- in the child that times the pages (Django set up on the benchmark's database) -------------


def time_pages(runs: int) -> dict:
    import django

    django.setup()
    from django.core.paginator import Paginator
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from quiz import services as quiz_services
    from teaching import reports
    from teaching.models import Assignment

    assignment = Assignment.objects.select_related("classroom__teacher", "quiz").get(
        quiz__slug="demo-quiz-1", classroom__name="Demo class 1"
    )
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(assignment.classroom.teacher)
    urls = {kind: reverse(f"teaching:{kind}", args=[assignment.classroom_id, assignment.quiz.slug]) for kind in PAGES}

    def rows(kind: str) -> None:
        """What the view asks of teaching.reports, without the template."""
        if kind == "scores":
            quiz_services.count_questions([assignment.quiz])
            reports.score_report(assignment, assignment.quiz.max_score)
            return
        questions = reports.report_questions(assignment)
        if kind == "items":
            reports.item_rows(assignment, questions)
        else:
            page = Paginator(reports.matrix_learners(assignment), reports.MATRIX_PAGE_SIZE).get_page(1)
            reports.matrix_page_rows(assignment, questions, list(page.object_list))

    result = {"matrix_page_size": reports.MATRIX_PAGE_SIZE}
    for kind, url in urls.items():
        with CaptureQueriesContext(connection) as captured:
            page = client.get(url)
        assert page.status_code == 200, (url, page.status_code)
        result[kind] = {"queries": len(captured), "bytes": len(page.content), "page": [], "cpu": [], "rows": []}
    for _ in range(runs):
        for kind, url in urls.items():
            started, cpu = time.perf_counter(), time.process_time()
            page = client.get(url)
            result[kind]["page"].append(time.perf_counter() - started)
            # This process's CPU: less disturbed by others sharing the machine than the wall
            # clock; PostgreSQL's own work is not in it.
            result[kind]["cpu"].append(time.process_time() - cpu)
            assert page.status_code == 200
            started = time.perf_counter()
            rows(kind)
            result[kind]["rows"].append(time.perf_counter() - started)
    return result


# --- the report --------------------------------------------------------------------------------


def ms(seconds: float) -> str:
    return f"{seconds * 1000:,.0f}"


def print_pages(label: str, pages: dict) -> None:
    print(
        f"\n### {label}: pages, 1,000 learners x 100 questions ({len(pages['scores']['page'])} runs each;"
        f" matrix: its first page, {pages['matrix_page_size']} learners)\n"
    )
    print(
        "| page | median ms | fastest | slowest | CPU ms (median) | rows ms (median) | template etc. ms "
        "| KB | queries | < 500 ms |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---|")
    for kind in PAGES:
        figures = pages[kind]
        median, rows = statistics.median(figures["page"]), statistics.median(figures["rows"])
        print(
            f"| {kind} | {ms(median)} | {ms(min(figures['page']))} | {ms(max(figures['page']))} | "
            f"{ms(statistics.median(figures['cpu']))} | {ms(rows)} | {ms(max(median - rows, 0))} | "
            f"{figures['bytes'] // 1024:,} | {figures['queries']} | {'met' if median < 0.5 else 'missed'} |"
        )


def print_exports(label: str, exports: dict) -> None:
    print(f"\n### {label}: CSV exports, 2,000 learners x 100 questions (200,000 responses)\n")
    print("| export | wall s | peak RSS MB | file KB | < 150 MB |")
    print("|---|---:|---:|---:|---|")
    for kind, (seconds, mb, size) in exports.items():
        print(f"| {kind} | {seconds:.1f} | {mb:.0f} | {size // 1024:,} | {'met' if mb < 150 else 'missed'} |")


def seeded_bench_parser(doc: str, runs: int, timeout: float) -> argparse.ArgumentParser:
    """The options of a benchmark on seeded volumes: the database, how many timed requests a
    page, a deadline, and the hidden flag of the child process that times the pages."""
    parser = argparse.ArgumentParser(description=doc, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--runs", type=int, default=runs, help="Timed requests per page (median reported).")
    parser.add_argument("--timeout", type=float, default=timeout, help="Seconds for the whole run.")
    parser.add_argument("--pages-child", action="store_true", help=argparse.SUPPRESS)
    return parser


def main(argv=None) -> None:
    parser = seeded_bench_parser(__doc__, runs=7, timeout=900)
    parser.add_argument("--skip-export", action="store_true", help="Pages only.")
    parser.add_argument("--json", help="Write the figures to this file.")
    args = parser.parse_args(argv)

    if args.pages_child:
        print(json.dumps(time_pages(args.runs)))
        return

    deadline = Deadline(args.timeout)
    env = bench_env()
    label = "SQLite" if args.db == "sqlite" else "PostgreSQL"
    figures: dict = {"db": args.db, "load_before": os.getloadavg()}
    with scratch(args.db, "pariksha-bench-reports-") as workdir:
        run(env, deadline, "manage.py", "collectstatic", "--no-input", "-v0")

        env["DATABASE_URL"] = fresh_database(args.db, workdir, "pages")
        figures["seed_pages_s"] = seed(
            env, deadline, "--learners", "1000", "--attempts", "1200", "--questions", "100",
            "--quizzes", "1", "--class-size", "1000",
        )
        out = run(env, deadline, "-m", "bench.reports", "--pages-child", "--runs", str(args.runs), capture=True)
        figures["pages"] = json.loads(out.strip().splitlines()[-1])
        print_pages(label, figures["pages"])

        if not args.skip_export:
            env["DATABASE_URL"] = fresh_database(args.db, workdir, "export")
            figures["seed_export_s"] = seed(
                env, deadline, "--learners", "2000", "--attempts", "2000", "--questions", "100",
                "--quizzes", "1", "--class-size", "2000",
            )
            code = run(
                env, deadline, "manage.py", "shell", "-c",
                "from teaching.models import Classroom; print(Classroom.objects.get().join_code)",
                capture=True,
            ).split()[-1]
            figures["exports"] = {}
            for kind in EXPORTS:
                out = workdir / f"{kind}.csv"
                seconds, mb = peak_memory(
                    env, deadline, "manage.py", "export_report", "--class", code, "--quiz", "demo-quiz-1",
                    "--kind", kind, "--format", "csv", "-o", str(out),
                )
                figures["exports"][kind] = (seconds, mb, out.stat().st_size)
            # What a bare Django process holds before any report: the floor of the figures above.
            _, floor = peak_memory(env, deadline, "manage.py", "check", "-v0")
            figures["django_floor_mb"] = floor
            print_exports(label, figures["exports"])
            print(f"\n(`manage.py check` alone peaks at {floor:.0f} MB: Django and the apps, before any report.)")
        figures["load_after"] = os.getloadavg()
        print(f"\nLoad average before {figures['load_before'][0]:.2f}, after {figures['load_after'][0]:.2f}.")
        if args.json:
            Path(args.json).write_text(json.dumps(figures, indent=2))


if __name__ == "__main__":
    main()
