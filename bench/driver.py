"""Load driver: N simulated learners take quizzes at once through the real HTTP endpoints.

Each learner logs in before timing starts, then, until the time or request budget runs out:
starts the quiz, opens its first question, answers every question as the browser does over
htmx (picking an option at random), reads the result, and starts again. A second phase sends
the same number of clients at a trivial view (/livez) for the ceiling of this server.

A bare asyncio protocol on uvloop's event loop (the driver shares the machine's cores with the
server it measures: uvloop took 0.15 of a core where asyncio's own loop took 0.21), HTTP/1.1,
one connection per request as gunicorn's sync workers close each one, half-closed once the
request is sent (see Exchange). Talks to 127.0.0.1 only, and
stops by itself.

    python -m bench.driver --url http://127.0.0.1:8765 --quiz demo-quiz-2 --learners 50
"""

import argparse
import asyncio
import ipaddress
import json
import os
import random
import re
import socket
import time
from collections import defaultdict
from dataclasses import dataclass, field
from urllib.parse import urlencode, urlsplit

import uvloop

POSITION = re.compile(rb'name="position" value="(\d+)"')
CHOICE = re.compile(rb'name="choice" value="(\d+)"')
ATTEMPT = re.compile(r"/attempts/(\d+)/")


class BenchError(Exception):
    pass


@dataclass
class Reply:
    status: int
    headers: dict[str, str]
    cookies: dict[str, str]
    body: bytes


@dataclass
class Stats:
    """Latencies, errors and query counts of one request type."""

    latencies: list[float] = field(default_factory=list)
    errors: int = 0
    queries: list[int] = field(default_factory=list)
    error_samples: list[str] = field(default_factory=list)

    def error(self, what: str) -> None:
        self.errors += 1
        if len(self.error_samples) < 3:
            self.error_samples.append(what)


def loopback_only(url: str) -> tuple[str, int]:
    parts = urlsplit(url)
    host = parts.hostname or ""
    if parts.scheme != "http" or not (
        host == "localhost" or ipaddress.ip_address(host).is_loopback
    ):
        raise SystemExit(
            f"The driver only talks plain HTTP to this machine (127.0.0.1); got {url!r}"
        )
    return host, parts.port or 80


class Exchange(asyncio.Protocol):
    """One request on a fresh connection: send it, keep what comes back until the server closes
    the connection. A bare protocol, not asyncio's streams: fewer objects per request, and the
    driver's CPU is taken from the server it measures."""

    def __init__(self, request: bytes, replied: asyncio.Future):
        self.request, self.replied, self.chunks = request, replied, []

    def connection_made(self, transport) -> None:
        transport.write(self.request)
        # Half-close at once: the request is all we send. gunicorn's sync worker closes each
        # connection gracefully (RFC 9112 9.6): after its response it waits, blocked, for the
        # client's FIN. Sent only when this event loop got round to the reply, that FIN kept
        # each worker idle for a while per request (7% of a worker's time in py-spy at 500
        # answers/s, the driver sharing the two cores): the harness's slowness, not the
        # server's. A proxy in front of gunicorn in production answers that wait in
        # microseconds from cores of its own.
        transport.write_eof()

    def data_received(self, data: bytes) -> None:
        self.chunks.append(data)

    def connection_lost(self, error) -> None:
        if self.replied.done():
            return
        if error is None:
            self.replied.set_result(b"".join(self.chunks))
        else:
            self.replied.set_exception(error)


class Client:
    """One learner's HTTP client: a cookie jar and requests on fresh connections."""

    def __init__(
        self, host: str, port: int, stats: dict[str, Stats], budget: "Budget", timeout: float
    ):
        self.host, self.port, self.stats, self.budget, self.timeout = (
            host,
            port,
            stats,
            budget,
            timeout,
        )
        self.cookies: dict[str, str] = {}
        self.think = 0.0

    async def pause(self, rng: random.Random) -> None:
        """A learner reads the page before the next click: `think` seconds on average."""
        if self.think:
            await asyncio.sleep(rng.uniform(0.5, 1.5) * self.think)

    async def request(
        self, kind: str, method: str, path: str, form: dict | None = None, htmx: bool = False
    ) -> Reply:
        headers = {
            "Host": f"{self.host}:{self.port}",
            "Connection": "close",
            "User-Agent": "pariksha-bench",
        }
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if htmx:
            headers["HX-Request"] = "true"
        body = b""
        if method == "POST":
            body = urlencode(form or {}).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["X-CSRFToken"] = self.cookies.get("csrftoken", "")
        headers["Content-Length"] = str(len(body))
        head = (
            f"{method} {path} HTTP/1.1\r\n"
            + "".join(f"{k}: {v}\r\n" for k, v in headers.items())
            + "\r\n"
        )
        self.budget.spend()
        started = time.perf_counter()
        try:
            async with asyncio.timeout(self.timeout):
                reply = await self._exchange(head.encode() + body)
        except (TimeoutError, OSError, BenchError) as error:
            self.stats[kind].error(f"{method} {path}: {type(error).__name__} {error}")
            raise BenchError(str(error)) from None
        elapsed = time.perf_counter() - started
        if self.budget.recording:
            self.stats[kind].latencies.append(elapsed)
            if "x-query-count" in reply.headers:
                self.stats[kind].queries.append(int(reply.headers["x-query-count"]))
        self.cookies.update(reply.cookies)
        return reply

    async def _exchange(self, data: bytes) -> Reply:
        loop = asyncio.get_running_loop()
        replied = loop.create_future()
        transport, _ = await loop.create_connection(lambda: Exchange(data, replied), self.host, self.port)
        try:
            raw = await replied  # the server closes the connection after the response
        finally:
            transport.close()
        head, sep, body = raw.partition(b"\r\n\r\n")
        if not sep:
            raise BenchError("incomplete response")
        lines = head.decode("latin-1").split("\r\n")
        status = int(lines[0].split()[1])
        headers, cookies = {}, {}
        for line in lines[1:]:
            name, _, value = line.partition(":")
            name, value = name.strip().lower(), value.strip()
            if name == "set-cookie":
                key, _, rest = value.partition("=")
                cookies[key] = rest.split(";", 1)[0]
            else:
                headers[name] = value
        return Reply(status, headers, cookies, body)

    def check(self, kind: str, reply: Reply, *statuses: int) -> Reply:
        if reply.status not in statuses:
            self.stats[kind].error(f"status {reply.status}: {reply.body[:160]!r}")
            if self.budget.recording:
                self.stats[kind].latencies.pop()
            raise BenchError(f"{kind}: status {reply.status}")
        return reply


class Budget:
    """Stops the run: at the deadline or after `max_requests`, whichever comes first."""

    def __init__(self, max_requests: int):
        self.max_requests = max_requests
        self.sent = 0
        self.deadline = float("inf")
        self.recording = False

    def spend(self) -> None:
        if self.sent >= self.max_requests or time.monotonic() >= self.deadline:
            raise Stop
        self.sent += 1

    @property
    def over(self) -> bool:
        return self.sent >= self.max_requests or time.monotonic() >= self.deadline


class Stop(Exception):
    pass


async def log_in(client: Client, username: str, password: str) -> None:
    client.check("login", await client.request("login", "GET", "/accounts/login/"), 200)
    form = {
        "username": username,
        "password": password,
        "csrfmiddlewaretoken": client.cookies.get("csrftoken", ""),
    }
    reply = await client.request("login", "POST", "/accounts/login/", form)
    if reply.status != 302 or "sessionid" not in client.cookies:
        alert = re.search(rb'role="alert">(.*?)</', reply.body, re.S)
        said = alert.group(1).decode(errors="replace").strip() if alert else reply.body[:200]
        raise SystemExit(f"Could not log in as {username}: status {reply.status}, {said}")


async def take_quizzes(
    client: Client, quiz: str, rng: random.Random, counts: dict[str, int]
) -> None:
    """Take the quiz again and again until the budget stops this learner."""
    while not client.budget.over:
        try:
            reply = client.check(
                "start", await client.request("start", "POST", f"/quizzes/{quiz}/start/"), 302
            )
            match = ATTEMPT.search(reply.headers.get("location", ""))
            if not match:
                raise BenchError("start did not redirect to an attempt")
            attempt = match.group(1)
            page = client.check(
                "play", await client.request("play", "GET", f"/attempts/{attempt}/"), 200
            ).body
            while True:
                await client.pause(rng)
                position, choices = POSITION.search(page), CHOICE.findall(page)
                if not position or not choices:
                    raise BenchError("no question on the page")
                form = {
                    "position": position.group(1),
                    "action": "answer",
                    "choice": rng.choice(choices).decode(),
                }
                reply = await client.request(
                    "answer", "POST", f"/attempts/{attempt}/answer/", form, htmx=True
                )
                client.check("answer", reply, 200)
                counts["answers"] += client.budget.recording
                if "hx-redirect" in reply.headers:
                    client.check(
                        "result",
                        await client.request("result", "GET", reply.headers["hx-redirect"]),
                        200,
                    )
                    counts["quizzes"] += client.budget.recording
                    break
                if b"data-feedback" in reply.body:
                    await client.pause(rng)
                    if b"See your result" in reply.body:
                        path = f"/attempts/{attempt}/result/"
                        client.check("result", await client.request("result", "GET", path), 200)
                        counts["quizzes"] += client.budget.recording
                        break
                    reply = await client.request("next", "GET", f"/attempts/{attempt}/", htmx=True)
                    page = client.check("next", reply, 200).body
                else:
                    page = reply.body
        except BenchError:
            await asyncio.sleep(0.05)  # counted; start afresh
        except Stop:
            return


async def hit(client: Client, path: str) -> None:
    while True:
        try:
            client.check("ceiling", await client.request("ceiling", "GET", path), 200)
        except BenchError:
            await asyncio.sleep(0.05)
        except Stop:
            return


def cpu_seconds(pids: list[int]) -> float:
    """User + system CPU time of these processes (Linux /proc), in seconds."""
    total = 0
    for pid in pids:
        try:
            with open(f"/proc/{pid}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])
        except (OSError, IndexError):
            pass
    return total / os.sysconf("SC_CLK_TCK")


def machine_busy() -> tuple[float, float]:
    with open("/proc/stat") as f:
        values = [int(v) for v in f.readline().split()[1:]]
    idle = values[3] + values[4]
    return sum(values) - idle, sum(values)


def percentile(sorted_values: list[float], p: float) -> float:
    if not sorted_values:
        return float("nan")
    index = min(len(sorted_values) - 1, max(0, round(p / 100 * len(sorted_values) + 0.5) - 1))
    return sorted_values[index]


def summarise(stats: dict[str, Stats], seconds: float) -> dict:
    rows = {}
    for kind, s in stats.items():
        lat = sorted(s.latencies)
        rows[kind] = {
            "requests": len(lat),
            "rps": len(lat) / seconds if seconds else 0,
            "p50_ms": percentile(lat, 50) * 1000,
            "p95_ms": percentile(lat, 95) * 1000,
            "p99_ms": percentile(lat, 99) * 1000,
            "errors": s.errors,
            "queries_mean": sum(s.queries) / len(s.queries) if s.queries else None,
            "queries_max": max(s.queries) if s.queries else None,
            "error_samples": s.error_samples,
        }
    return rows


async def run(args) -> dict:
    host, port = loopback_only(args.url)
    rng = random.Random(args.seed)
    server_pids = [int(p) for p in args.server_pids.split(",") if p] if args.server_pids else []

    # Phase 0, untimed: every learner logs in.
    login_stats: dict[str, Stats] = defaultdict(Stats)
    login_budget = Budget(args.learners * 4)
    clients = [
        Client(host, port, login_stats, login_budget, args.timeout) for _ in range(args.learners)
    ]
    semaphore = asyncio.Semaphore(10)

    async def login(i: int, client: Client):
        async with semaphore:
            await log_in(client, f"{args.username_prefix}{i + 1:05d}", args.password)

    await asyncio.gather(*(login(i, c) for i, c in enumerate(clients)))

    # Phase 1: the quiz, after a short warm-up that is not recorded.
    stats: dict[str, Stats] = defaultdict(Stats)
    budget = Budget(args.max_requests)
    counts = {"answers": 0, "quizzes": 0}
    for client in clients:
        client.stats, client.budget, client.think = stats, budget, args.think_ms / 1000
    started = time.monotonic()
    budget.deadline = started + args.warmup + args.duration
    tasks = [
        asyncio.create_task(take_quizzes(c, args.quiz, random.Random(rng.random()), counts))
        for c in clients
    ]
    await asyncio.sleep(args.warmup)
    budget.recording = True
    t0, cpu0, busy0 = (
        time.monotonic(),
        (cpu_seconds(server_pids), time.process_time()),
        machine_busy(),
    )
    load0 = os.getloadavg()[0]
    await asyncio.gather(*tasks)
    quiz_seconds = time.monotonic() - t0
    cpu1, busy1 = (cpu_seconds(server_pids), time.process_time()), machine_busy()

    # Phase 2: the ceiling, a trivial view with the same number of clients.
    ceiling_stats: dict[str, Stats] = defaultdict(Stats)
    ceiling_budget = Budget(args.max_requests)
    ceiling_budget.recording = True
    for client in clients:
        client.stats, client.budget, client.think = ceiling_stats, ceiling_budget, 0
    t1 = time.monotonic()
    ceiling_budget.deadline = t1 + args.ceiling_duration
    await asyncio.gather(*(hit(c, "/livez") for c in clients))
    ceiling_seconds = time.monotonic() - t1

    rows = summarise(stats, quiz_seconds)
    ceiling = summarise(ceiling_stats, ceiling_seconds)["ceiling"]
    ticks = quiz_seconds * os.sysconf("SC_CLK_TCK")
    return {
        "learners": args.learners,
        "think_ms": args.think_ms,
        "quiz": args.quiz,
        "seconds": quiz_seconds,
        "requests": budget.sent,
        "answers_per_second": counts["answers"] / quiz_seconds,
        "quizzes_finished": counts["quizzes"],
        "requests_by_type": rows,
        "ceiling": ceiling,
        "answer_share_of_ceiling": (rows.get("answer", {}).get("rps", 0) / ceiling["rps"])
        if ceiling["rps"]
        else None,
        # Cores kept busy during the measured phase, by whom.
        "cpu": {
            "machine_cores": round((busy1[1] - busy0[1]) / ticks),
            "machine_cores_busy": (busy1[0] - busy0[0]) / ticks,
            "app_server_cores": (cpu1[0] - cpu0[0]) / quiz_seconds,
            "driver_cores": (cpu1[1] - cpu0[1]) / quiz_seconds,
            "load_average_before": load0,
        },
    }


def report(result: dict) -> str:
    lines = [
        f"{result['learners']} learners on {result['quiz']}, "
        f"think time {result['think_ms']:.0f} ms, "
        f"{result['seconds']:.1f} s measured, "
        f"{result['requests']} requests, {result['quizzes_finished']} quizzes finished",
        "",
        "| request | rps | p50 ms | p95 ms | p99 ms | errors | SQL queries (mean / max) |",
        "|---|---:|---:|---:|---:|---:|---|",
    ]
    order = ["start", "play", "answer", "next", "result"]
    rows = result["requests_by_type"]
    for kind in [k for k in order if k in rows] + [k for k in rows if k not in order]:
        lines.append(_row(kind, rows[kind]))
    lines.append(_row("ceiling: /livez", result["ceiling"]))
    cpu = result["cpu"]
    lines += [
        "",
        f"answer submissions: {result['answers_per_second']:.0f}/s; "
        f"answer rps is {100 * (result['answer_share_of_ceiling'] or 0):.0f}% "
        "of the /livez ceiling",
        f"CPU, cores busy of {cpu['machine_cores']}: machine {cpu['machine_cores_busy']:.2f}, "
        f"gunicorn workers {cpu['app_server_cores']:.2f}, this driver {cpu['driver_cores']:.2f}, "
        f"everything else (database server, kernel, other processes) "
        f"{cpu['machine_cores_busy'] - cpu['app_server_cores'] - cpu['driver_cores']:.2f}; "
        f"load average before the run {cpu['load_average_before']:.2f}",
    ]
    if not result["think_ms"]:
        lines.append(saturation_note(result))
    for kind, row in list(rows.items()) + [("ceiling", result["ceiling"])]:
        for sample in row["error_samples"]:
            lines.append(f"error sample ({kind}): {sample}")
    return "\n".join(lines)


def saturation_note(result: dict) -> str:
    """With no pause, each learner always has one request in flight, so (Little's law) the mean
    latency is learners / requests per second: what a latency target asks of throughput."""
    measured = sum(row["requests"] for row in result["requests_by_type"].values())
    requests_per_second = measured / result["seconds"]
    needed = result["learners"] / 0.050
    return (
        f"no pause: each of the {result['learners']} learners always has one request in flight, so "
        f"the mean latency is {result['learners']} / {requests_per_second:.0f} requests/s = "
        f"{1000 * result['learners'] / requests_per_second:.0f} ms; a mean under 50 ms needs over "
        f"{needed:.0f} requests/s"
    )


def _row(kind: str, row: dict) -> str:
    queries = (
        "–" if row["queries_mean"] is None else f"{row['queries_mean']:.1f} / {row['queries_max']}"
    )
    return (
        f"| {kind} | {row['rps']:.0f} | {row['p50_ms']:.1f} | {row['p95_ms']:.1f} "
        f"| {row['p99_ms']:.1f} "
        f"| {row['errors']} | {queries} |"
    )


def main(argv=None) -> dict:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--url", default="http://127.0.0.1:8765")
    parser.add_argument(
        "--quiz", default="demo-quiz-2", help="Slug of the quiz every learner takes."
    )
    parser.add_argument("--learners", type=int, default=50)
    parser.add_argument("--username-prefix", default="demo-")
    parser.add_argument("--password", default="demo-learner-2026")
    parser.add_argument("--duration", type=float, default=20, help="Seconds measured.")
    parser.add_argument(
        "--think-ms",
        type=float,
        default=0,
        help="Mean pause before each answer (0: answer at once, saturating).",
    )
    parser.add_argument("--warmup", type=float, default=3, help="Seconds run before measuring.")
    parser.add_argument("--ceiling-duration", type=float, default=8)
    parser.add_argument(
        "--max-requests", type=int, default=200_000, help="Stop after this many requests."
    )
    parser.add_argument("--timeout", type=float, default=10, help="Seconds one request may take.")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--server-pids", default="", help="Comma-separated gunicorn pids, for their CPU time."
    )
    parser.add_argument("--json", help="Also write the figures to this file.")
    args = parser.parse_args(argv)
    if args.duration <= 0 or args.duration > 600 or args.learners < 1 or args.learners > 1000:
        raise SystemExit("--duration must be in (0, 600] seconds and --learners in [1, 1000].")
    socket.setdefaulttimeout(args.timeout)
    result = uvloop.run(run(args))
    print(report(result))
    if args.json:
        with open(args.json, "w") as f:
            json.dump(result, f, indent=2)
    return result


if __name__ == "__main__":
    main()
