"""`make bench`: set up a database, serve it with gunicorn as `make serve` does, drive it with
bench.driver, stop everything, print the figures; then measure the CPU each request of the
same flow costs in one process (bench.cpu), to say where the time goes.

    python -m bench.run --db sqlite            # embedded SQLite, cache and sessions in files
    python -m bench.run --db postgres --redis  # PostgreSQL, cache and sessions in Redis

The server runs with DEBUG off and BENCH_QUERY_COUNT=1 (the X-Query-Count header), bound to
127.0.0.1 only. The database is the benchmark's own: a SQLite file in a temporary folder, or
PostgreSQL's `pariksha_bench`, dropped and created afresh.
"""

import argparse
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from bench import driver

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent
POSTGRES_ADMIN = "postgres://postgres@127.0.0.1:5432/postgres"
POSTGRES_BENCH = "postgres://postgres@127.0.0.1:5432/pariksha_bench"
REDIS_BENCH = "redis://127.0.0.1:6379/14"


def manage(env: dict, *args: str) -> None:
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True)


def fresh_postgres() -> None:
    import psycopg

    with psycopg.connect(POSTGRES_ADMIN, autocommit=True) as conn:
        conn.execute("DROP DATABASE IF EXISTS pariksha_bench")
        conn.execute("CREATE DATABASE pariksha_bench")


def free_port(port: int) -> int:
    """`port` if nothing listens there yet, or any free port for 0. Another server on our port
    would answer the health check and take the benchmark's load."""
    with socket.socket() as probe:
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            raise SystemExit(f"127.0.0.1:{port} is taken; pass --port 0 for a free one") from None
        return probe.getsockname()[1]


def wait_until_healthy(url: str, process: subprocess.Popen, log: Path, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(
                f"gunicorn exited with {process.returncode}:\n{log.read_text()[-2000:]}"
            )
        if "Listening at" not in log.read_text():
            time.sleep(0.2)
            continue
        try:
            with urllib.request.urlopen(f"{url}/healthz", timeout=2) as reply:
                if reply.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.2)
    raise SystemExit(f"{url}/healthz did not answer within {seconds:.0f} s")


def worker_pids(master: int) -> list[int]:
    try:
        with open(f"/proc/{master}/task/{master}/children") as f:
            return [int(p) for p in f.read().split()]
    except OSError:
        return []


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--redis", action="store_true", help="Cache and sessions in Redis (db 14).")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument(
        "--threads", type=int, default=1, help="gunicorn threads per worker (1: sync worker)."
    )
    parser.add_argument("--port", type=int, default=0, help="Default: any free port.")
    parser.add_argument("--learners", type=int, default=50)
    parser.add_argument("--questions", type=int, default=10, help="Questions per quiz.")
    parser.add_argument(
        "--quiz",
        default="demo-quiz-2",
        help="demo-quiz-2 gives feedback at the end, -1 after each.",
    )
    parser.add_argument(
        "--history", type=int, default=2000, help="Finished attempts seeded before the run."
    )
    parser.add_argument("--duration", type=float, default=20)
    parser.add_argument(
        "--think-ms", type=float, nargs="+", default=[0], help="One measured run per value."
    )
    parser.add_argument("--json", help="Write the figures to this file.")
    args = parser.parse_args(argv)

    port = free_port(args.port)
    url = f"http://127.0.0.1:{port}"
    workdir = Path(tempfile.mkdtemp(prefix="pariksha-bench-"))
    env = {
        **os.environ,
        "DEBUG": "0",
        "HTTPS": "0",
        "SECRET_KEY": "bench-only-secret-key-for-a-server-on-127-0-0-1",
        "ALLOWED_HOSTS": "127.0.0.1",
        "STATIC_COLLECTED": "1",
        "BENCH_QUERY_COUNT": "1",
    }
    env.pop("REDIS_URL", None)
    # Without Redis, the benchmark's own file cache (sessions), shared by its processes.
    env["CACHE_DIR"] = str(workdir / "cache")
    if args.db == "sqlite":
        env["DATABASE_URL"] = f"sqlite:///{workdir / 'bench.sqlite3'}"
    else:
        fresh_postgres()
        env["DATABASE_URL"] = POSTGRES_BENCH
    if args.redis:
        env["REDIS_URL"] = REDIS_BENCH
        subprocess.run(
            [
                sys.executable,
                "-c",
                f"import redis; redis.Redis.from_url({REDIS_BENCH!r}).flushdb()",
            ],
            check=True,
        )

    server = None
    try:
        manage(env, "migrate", "--no-input", "-v0")
        manage(
            env,
            "seed_demo",
            "--learners",
            str(args.learners),
            "--attempts",
            str(args.history),
            "--questions",
            str(args.questions),
        )
        manage(env, "collectstatic", "--no-input", "-v0")
        log_path = workdir / "gunicorn.log"
        log = open(log_path, "w")
        command = [
            str(VENV_BIN / "gunicorn"),
            "config.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(args.workers),
            "--no-control-socket",
        ]
        if args.threads > 1:
            command += ["--threads", str(args.threads)]
        server = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
        wait_until_healthy(url, server, log_path)
        pids = worker_pids(server.pid)
        database = f"{args.db}{' + Redis' if args.redis else ''}"
        settings = (
            f"{database}, gunicorn {args.workers} workers"
            f"{f' x {args.threads} threads' if args.threads > 1 else ' (sync)'}, "
            f"{args.questions}-question quiz {args.quiz}"
        )
        print(f"\n## {settings}\n")
        results = []
        for think in args.think_ms:
            result = driver.main(
                [
                    "--url",
                    url,
                    "--quiz",
                    args.quiz,
                    "--learners",
                    str(args.learners),
                    "--think-ms",
                    str(think),
                    "--duration",
                    str(args.duration),
                    "--server-pids",
                    ",".join(map(str, pids)),
                ]
            )
            result["settings"] = settings
            results.append(result)
            print()
        if args.json:
            Path(args.json).write_text(json.dumps(results, indent=2))
        stop(server)
        print(f"### CPU per request in one process ({database}, no server)\n")
        cpu_env = {key: value for key, value in env.items() if key != "BENCH_QUERY_COUNT"}
        subprocess.run([sys.executable, "-m", "bench.cpu", "--quiz", args.quiz], cwd=ROOT, env=cpu_env, check=True)
    finally:
        if server is not None:
            stop(server)
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
