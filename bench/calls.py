"""Python function calls per request of the benchmark's flow, counted with cProfile.

bench/cpu.py times each request; on a shared, busy machine its figures move by ±15% from one
run to the next. A count of function calls hardly moves: it says whether a change made a
request do less work, run after run, whatever else the machine is doing. The flow is
bench/cpu.py's own (`take_quiz`, through Django's whole request handling); for each request
type this prints the median calls (cProfile's count) and SQL statements. With `--top N` it then
takes one more quiz under a tracer that counts the calls made under each function, itself
included (its cumulative calls), and prints each request type's N functions with the most, per
request: where a request's calls go, as deterministic as their total (`--match` keeps the
functions whose file and name match a regular expression, e.g. "quiz/|templat").

    DATABASE_URL=... python -m bench.calls --quiz demo-quiz-2 --username demo-00001 [--language hi]
"""

import argparse
import cProfile
import os
import pstats
import random
import re
import statistics
import sys
from collections import Counter, defaultdict
from pathlib import Path

from bench.cpu import KINDS, take_quiz


class CallMeter:
    """Function calls (cProfile's count) and SQL statements of each request, by request type."""

    def __init__(self):
        self.calls: dict[str, list[int]] = defaultdict(list)
        self.queries: dict[str, list[int]] = defaultdict(list)

    def measure(self, kind: str, send):
        from ops.middleware import counting_statements

        profile = cProfile.Profile()
        with counting_statements() as count:
            profile.enable()
            reply = send()
            profile.disable()
        assert reply.status_code in (200, 302), f"{kind}: {reply.status_code}"
        self.calls[kind].append(pstats.Stats(profile).total_calls)
        self.queries[kind].append(count.statements)
        return reply


class CumulativeCalls:
    """The calls made under each function, itself included, summed over the requests measured:
    a sys.setprofile hook, slower than cProfile, which only counts each function's own calls.
    A recursive function counts once per outermost call."""

    def __init__(self):
        self.under: dict[str, Counter] = defaultdict(Counter)
        self.requests: Counter = Counter()

    def measure(self, kind: str, send):
        under, active, stack, calls = self.under[kind], Counter(), [], 0

        def hook(frame, event, arg):
            nonlocal calls
            if event == "call" or event == "c_call":
                calls += 1
                name = _label(frame.f_code) if event == "call" else _builtin_label(arg)
                stack.append((name, calls))
                active[name] += 1
            elif stack:  # a return; the frames entered before the hook have none of theirs on it
                name, began = stack.pop()
                active[name] -= 1
                if not active[name]:
                    under[name] += calls - began + 1

        sys.setprofile(hook)
        try:
            reply = send()
        finally:
            sys.setprofile(None)
        self.requests[kind] += 1
        return reply


ROOT = str(Path(__file__).resolve().parent.parent) + "/"


def _label(code) -> str:
    path = code.co_filename.replace(ROOT, "").split("site-packages/")[-1]
    return f"{path}:{code.co_firstlineno}({code.co_name})"


def _builtin_label(function) -> str:
    return f"<built-in {getattr(function, '__qualname__', function)}>"


def report(meter: CallMeter, quizzes: int) -> None:
    print("| request | median calls | fewest | most | SQL statements |\n|---|---:|---:|---:|---:|")
    for kind in KINDS:
        calls = meter.calls[kind]
        queries = max(meter.queries[kind])
        print(f"| {kind} | {statistics.median(calls):,.0f} | {min(calls):,} | {max(calls):,} | {queries} |")
    per_quiz = sum(sum(meter.calls[kind]) for kind in KINDS) / quizzes
    answers = len(meter.calls["answer"]) / quizzes
    print(f"\nOne quiz of {answers:.0f} answers makes {per_quiz:,.0f} calls: {per_quiz / answers:,.0f} per answer "
          f"with its share of start, play and result.")  # fmt: skip


def report_cumulative(cumulative: CumulativeCalls, top: int, match: str) -> None:
    wanted = re.compile(match)
    for kind in KINDS:
        requests = cumulative.requests[kind]
        print(f"\n| {kind}: calls under, per request ({requests} measured) | function |\n|---:|---|")
        shown = [item for item in cumulative.under[kind].most_common() if wanted.search(item[0])]
        for name, calls in shown[:top]:
            print(f"| {calls / requests:,.0f} | {name} |")


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--quiz", default="demo-quiz-2")
    parser.add_argument("--username", default="demo-00001")
    parser.add_argument("--password", default="demo-learner-2026")
    parser.add_argument("--quizzes", type=int, default=5, help="Measured quizzes (after 2 warm-up).")
    parser.add_argument("--language", default="en", help="Set on the learner's profile first: en, hi.")
    parser.add_argument("--top", type=int, default=0, help="Functions with the most calls under them.")
    parser.add_argument("--match", default="", help="Regular expression on their file:line(name).")
    args = parser.parse_args(argv)

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.test import Client

    from accounts.models import Profile

    user = get_user_model().objects.get(username=args.username)
    Profile.objects.update_or_create(user=user, defaults={"language": args.language})
    # The options picked: the same every run, so two runs answer alike.
    random.seed(13)
    client = Client(enforce_csrf_checks=True, HTTP_HOST="127.0.0.1")
    if not client.login(username=args.username, password=args.password):
        sys.exit(f"bench.calls: cannot log in as {args.username}")
    client.get("/")  # the CSRF cookie, as a browser has it from the page it submits from
    for _ in range(2):
        take_quiz(client, args.quiz, CallMeter())
    meter = CallMeter()
    for _ in range(args.quizzes):
        take_quiz(client, args.quiz, meter)
    report(meter, args.quizzes)
    if args.top:
        cumulative = CumulativeCalls()
        take_quiz(client, args.quiz, cumulative)
        report_cumulative(cumulative, args.top, args.match)


if __name__ == "__main__":
    main()
