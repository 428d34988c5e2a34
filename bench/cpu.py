"""CPU per request of the benchmark's flow, measured in one process with no server and no load.

`make bench` runs this after each HTTP run, on the same database, to say where the time goes:
the HTTP figures depend on how busy the machine is, these hardly do. A learner takes the quiz
`--quizzes` times through Django's whole request handling (every middleware, the session
and user look-ups, CSRF checked as a browser sends it) as the driver does: start, open the
first question, answer each question over htmx, read the result. For each request type it
prints the median CPU time (`time.process_time`) and the SQL queries, then the CPU a whole
quiz costs per answer, and the most answers per second that allows on this machine's cores
with nothing else running (no HTTP, no gunicorn, no load driver: an upper bound). Last, a
logged-in POST to a view that does nothing (bench/floor_urls.py): the share of that CPU which
Django's request handling takes before any view of ours runs.

    DATABASE_URL=... python -m bench.cpu --quiz demo-quiz-2 --username demo-00001
"""

import argparse
import os
import random
import re
import statistics
import sys
import time
from collections import defaultdict
from urllib.parse import urlencode

POSITION = re.compile(rb'name="position" value="(\d+)"')
CHOICE = re.compile(rb'name="choice" value="(\d+)"')
ANSWER_URL = re.compile(rb'hx-post="([^"]+)"')
KINDS = ("start", "play", "answer", "result")
FLOOR = "floor: a logged-in POST that does nothing"


class Meter:
    """CPU time and SQL statements of each request, by request type."""

    def __init__(self):
        self.cpu_ms: dict[str, list[float]] = defaultdict(list)
        self.queries: dict[str, list[int]] = defaultdict(list)

    def measure(self, kind: str, send):
        from ops.middleware import counting_statements

        began = time.process_time()
        with counting_statements() as count:
            reply = send()
        self.cpu_ms[kind].append((time.process_time() - began) * 1000)
        self.queries[kind].append(count.statements)
        assert reply.status_code in (200, 302), f"{kind}: {reply.status_code}"
        return reply


def take_quiz(client, quiz: str, meter: Meter) -> None:
    csrf = {"HTTP_X_CSRFTOKEN": client.cookies["csrftoken"].value}
    htmx = {"HTTP_HX_REQUEST": "true", **csrf}
    started = meter.measure("start", lambda: client.post(f"/quizzes/{quiz}/start/", **csrf))
    play_url = started["Location"]
    page = meter.measure("play", lambda: client.get(play_url)).content  # the whole page, as after a redirect
    answer_url = ANSWER_URL.search(page).group(1).decode()
    while position := POSITION.search(page):
        form = urlencode({"position": position.group(1).decode(), "action": "answer",
                          "choice": random.choice(CHOICE.findall(page)).decode()})  # fmt: skip
        reply = meter.measure(
            "answer",
            lambda: client.post(answer_url, form, "application/x-www-form-urlencoded", **htmx),
        )
        if "HX-Redirect" in reply:
            meter.measure("result", lambda: client.get(reply["HX-Redirect"]))
            return
        page = reply.content


def measure_floor(client, meter: Meter, times: int) -> None:
    """A POST sent as the answer's is (htmx, CSRF header) to a view that does nothing."""
    from django.test import override_settings

    headers = {"HTTP_HX_REQUEST": "true", "HTTP_X_CSRFTOKEN": client.cookies["csrftoken"].value}
    with override_settings(ROOT_URLCONF="bench.floor_urls"):
        for _ in range(times):
            meter.measure(FLOOR, lambda: client.post("/bench/nothing/", **headers))


def report(meter: Meter, quizzes: int, cores: int) -> None:
    print("| request | median CPU ms | SQL statements |\n|---|---:|---:|")
    for kind in (*KINDS, FLOOR):
        print(f"| {kind} | {statistics.median(meter.cpu_ms[kind]):.2f} | {max(meter.queries[kind])} |")
    per_quiz = sum(sum(meter.cpu_ms[kind]) for kind in KINDS) / quizzes
    answers_per_quiz = len(meter.cpu_ms["answer"]) / quizzes
    per_answer = per_quiz / answers_per_quiz
    print(
        f"\nOne quiz of {answers_per_quiz:.0f} answers costs {per_quiz:.1f} ms of CPU in Django: "
        f"{per_answer:.2f} ms per answer with its share of start, play and result. On {cores} "
        f"cores, with no HTTP server, no load driver and nothing else running, that is at most "
        f"{cores * 1000 / per_answer:.0f} answers/s."
    )
    requests_per_quiz = sum(len(meter.cpu_ms[kind]) for kind in KINDS) / quizzes
    floor = statistics.median(meter.cpu_ms[FLOOR]) * requests_per_quiz / answers_per_quiz
    print(
        f"Of that, {floor:.2f} ms per answer is the floor its {requests_per_quiz:.0f} requests per "
        f"quiz pay before any view works (middleware, session, user, CSRF), and "
        f"{per_answer - floor:.2f} ms is the views' own work."
    )


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--quiz", default="demo-quiz-2")
    parser.add_argument("--username", default="demo-00001")
    parser.add_argument("--password", default="demo-learner-2026")
    parser.add_argument("--quizzes", type=int, default=30, help="Measured quizzes (after 3 warm-up).")
    parser.add_argument("--cores", type=int, default=os.cpu_count() or 1)
    args = parser.parse_args(argv)

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.test import Client

    client = Client(enforce_csrf_checks=True, HTTP_HOST="127.0.0.1")
    if not client.login(username=args.username, password=args.password):
        sys.exit(f"bench.cpu: cannot log in as {args.username}")
    client.get("/")  # the CSRF cookie, as a browser has it from the page it submits from
    for _ in range(3):
        take_quiz(client, args.quiz, Meter())
    meter = Meter()
    for _ in range(args.quizzes):
        take_quiz(client, args.quiz, meter)
    measure_floor(client, meter, times=100)
    report(meter, args.quizzes, args.cores)


if __name__ == "__main__":
    main()
