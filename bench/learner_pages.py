"""The learner's own pages on a busy site: the quiz list (with "Revise: N due"), "My attempts",
the progress page and the mistakes notebook, with 200,000 responses.

    python -m bench.learner_pages --db sqlite
    python -m bench.learner_pages --db postgres

It seeds a fresh database with `seed_demo --learners 10000 --attempts 20000` (5 quizzes of 10
questions, 200,000 responses: the issue's volume) and requests the quiz list (`/`) and "My
attempts" as one demo learner through Django's test Client (every middleware, DEBUG off),
`--runs` times each after a warm-up. The learner timed is one with 1,000 finished attempts of
20 questions (20,000 responses over 60 days, made here), the progress page's worst case. It reports the median server time and CPU, and the SQL
queries. What these pages cost must not grow with what other learners do: the quiz list is
the page everyone opens when the 8 pm quiz is published.

Bounded (`--timeout`); no server, nothing listens on any port. The database is the
benchmark's own (a temporary SQLite file, or PostgreSQL's `pariksha_bench_reports`, or
`$BENCH_POSTGRES_DB`, dropped and created afresh). The load average before and after is printed:
on a shared machine, compare runs made back to back.
"""

import json
import os
import statistics
import time

from bench.reports import Deadline, bench_env, fresh_database, run, scratch, seed, seeded_bench_parser

PAGES = {"quiz list": "/", "my attempts": "/attempts/", "progress": "/progress/", "notebook": "/revise/"}
# The heavy learner (issue 16): 1,000 finished attempts of 20 questions, over 60 days.
HEAVY = "demo-heavy"
HEAVY_ATTEMPTS, HEAVY_QUESTIONS, HEAVY_DAYS = 1000, 20, 60
# How often the heavy learner is right at each confidence mark.
CHANCE_RIGHT = {"sure": 0.85, "fifty": 0.55, "guess": 0.3, "": 0.6}


def seed_heavy_learner(password: str) -> None:
    """A learner with 1,000 finished attempts (20,000 responses, right, wrong, skipped and
    timed out, marked Sure, 50-50, Guess or not at all) of one 20-question quiz from the bank's
    published questions, answered over the last 60 days: the progress page's worst case."""
    import random
    from datetime import timedelta

    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from questions.models import Choice, Question
    from quiz.models import Attempt, Quiz, QuizQuestion, Response

    rng = random.Random(16)
    user = get_user_model().objects.create_user(HEAVY, password=password)
    question_ids = list(Question.objects.published().order_by("topic_id", "pk").values_list("pk", flat=True))
    picked = rng.sample(question_ids, HEAVY_QUESTIONS)
    options: dict[int, list[tuple[int, bool]]] = {}
    for qid, cid, right in Choice.objects.filter(question_id__in=picked).order_by("position").values_list(
        "question_id", "id", "is_correct"
    ):
        options.setdefault(qid, []).append((cid, right))
    quiz = Quiz.objects.create(title="Heavy learner's quiz", slug="bench-heavy", is_published=True)
    QuizQuestion.objects.bulk_create(QuizQuestion(quiz=quiz, question_id=q, position=i) for i, q in enumerate(picked))
    now = timezone.now()
    for batch in range(0, HEAVY_ATTEMPTS, 100):
        attempts, plans = [], []
        for n in range(batch, batch + 100):
            started = now - timedelta(days=HEAVY_DAYS) + timedelta(minutes=n * HEAVY_DAYS * 1440 // HEAVY_ATTEMPTS)
            attempt = Attempt.starting(quiz, user, started, HEAVY_QUESTIONS)
            attempt.finished_at = started + timedelta(seconds=20 * HEAVY_QUESTIONS)
            attempts.append(attempt)
        Attempt.objects.bulk_create(attempts)
        for attempt in attempts:
            for position, qid in enumerate(picked):
                shown = attempt.started_at + timedelta(seconds=20 * position)
                taken, confidence, choice_id = rng.uniform(2, 19), "", None
                roll = rng.random()
                if roll < 0.05:
                    outcome, taken = Response.Outcome.TIMED_OUT, 19
                elif roll < 0.10:
                    outcome = Response.Outcome.SKIPPED
                else:
                    confidence = rng.choice(["sure", "fifty", "guess", ""])
                    right = rng.random() < CHANCE_RIGHT[confidence]
                    outcome = Response.Outcome.CORRECT if right else Response.Outcome.WRONG
                    choice_id = next(c for c, is_right in options[qid] if is_right == right)
                plans.append(
                    Response(
                        attempt=attempt,
                        question_id=qid,
                        position=position,
                        option_order=[c for c, _ in options[qid]],
                        shown_at=shown,
                        deadline=shown + timedelta(seconds=19),
                        answered_at=shown + timedelta(seconds=taken),
                        choice_id=choice_id,
                        outcome=outcome,
                        marks=attempt.marks_for(outcome),
                        confidence=confidence,
                    )
                )
        Response.objects.bulk_create(plans, batch_size=2000)


def time_pages(runs: int) -> dict:
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    seed_heavy_learner("demo-learner-2026")
    client = Client(HTTP_HOST="127.0.0.1")
    if not client.login(username=HEAVY, password="demo-learner-2026"):
        raise SystemExit(f"bench.learner_pages: cannot log in as {HEAVY}")
    result = {}
    # The first visit reads the 1,000 attempts into the mistakes notebook, once.
    started, cpu = time.perf_counter(), time.process_time()
    with CaptureQueriesContext(connection) as captured:
        client.get("/")
    result["first visit (1,000 attempts read into the notebook)"] = {
        "queries": len(captured),
        "wall": [time.perf_counter() - started],
        "cpu": [time.process_time() - cpu],
    }
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
    load_before = os.getloadavg()[0]
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
        print(f"\nLoad average before {load_before:.2f}, after {os.getloadavg()[0]:.2f}.")


if __name__ == "__main__":
    main()
