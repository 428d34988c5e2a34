"""Real gunicorn servers for the tests that need more than Django's test client (several servers
on one database, a server killed mid-quiz), and a learner who talks to them over HTTP."""

import http.client
import os
import re
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlencode

from tests.django_process import ROOT, clean_env


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def database_url_of(settings_dict: dict) -> str:
    """The URL of the test database, for servers that must share it (PostgreSQL only: an
    in-memory SQLite test database is not shareable)."""
    host, port = settings_dict["HOST"] or "127.0.0.1", settings_dict["PORT"] or 5432
    user, password, name = settings_dict["USER"], settings_dict["PASSWORD"], settings_dict["NAME"]
    return f"postgres://{user}:{password}@{host}:{port}/{name}"


class GunicornServer:
    """`make serve`'s gunicorn with one worker on a free port of 127.0.0.1, with only the
    environment given (plus plain HTTP and DEBUG off), in a process group of its own so it can
    be killed outright. Its output goes to `log`, shown when it fails to start."""

    def __init__(self, env: dict[str, str], log: Path):
        self.port = free_port()
        self.log = log
        command = [
            str(Path(sys.executable).parent / "gunicorn"), "config.wsgi",
            "--bind", f"127.0.0.1:{self.port}", "--workers", "1", "--no-control-socket",
        ]  # fmt: skip
        defaults = {"DEBUG": "0", "HTTPS": "0", "STATIC_COLLECTED": "0", "ALLOWED_HOSTS": "127.0.0.1"}
        env = clean_env(**{**defaults, **env})
        with open(log, "w") as out:
            self.process = subprocess.Popen(
                command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
            )

    def wait_until_healthy(self, seconds: float = 60) -> None:
        """Until /healthz answers 200: the server is up and reaches its database and cache."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            assert self.process.poll() is None, f"gunicorn exited:\n{self.log.read_text()[-3000:]}"
            try:
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=2)
                conn.request("GET", "/healthz")
                if conn.getresponse().status == 200:
                    return
            except OSError:
                pass
            time.sleep(0.1)
        raise AssertionError(f"gunicorn never became healthy:\n{self.log.read_text()[-3000:]}")

    def kill(self) -> None:
        """SIGKILL to the master and its worker at once: nothing runs after it."""
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=15)

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.kill()


@contextmanager
def gunicorn_servers(
    env: dict[str, str], log_dir: Path
) -> Iterator[Callable[..., list[GunicornServer]]]:
    """`start(count=1)` starts that many servers on `env` at once (their logs in `log_dir`),
    waits until each is healthy and returns them; every server started is stopped on the way
    out, also when one never became healthy."""
    started: list[GunicornServer] = []

    def start(count: int = 1) -> list[GunicornServer]:
        servers = []
        for _ in range(count):
            servers.append(GunicornServer(env, log_dir / f"gunicorn-{len(started)}.log"))
            started.append(servers[-1])
        for server in servers:
            server.wait_until_healthy()
        return servers

    try:
        yield start
    finally:
        for server in started:
            server.stop()


class Learner:
    """A browser, as far as the servers can tell: one cookie jar for 127.0.0.1, whichever port."""

    def __init__(self):
        self.cookies: dict[str, str] = {}

    def request(
        self, server: GunicornServer, method: str, path: str, form: dict | None = None, htmx: bool = False,
        headers: dict | None = None,
    ):
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items()), **(headers or {})}
        body = None
        if method == "POST":
            body = urlencode(form or {})
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["X-CSRFToken"] = self.cookies.get("csrftoken", "")
        if htmx:
            headers["HX-Request"] = "true"
        conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=20)
        conn.request(method, path, body=body, headers=headers)
        reply = conn.getresponse()
        reply.text = reply.read().decode()
        for header, value in reply.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name] = rest.split(";", 1)[0]
        conn.close()
        return reply

    def log_in(self, server: GunicornServer, username: str, password: str) -> None:
        assert self.request(server, "GET", "/accounts/login/").status == 200
        form = {"username": username, "password": password, "csrfmiddlewaretoken": self.cookies["csrftoken"]}
        reply = self.request(server, "POST", "/accounts/login/", form)
        assert reply.status == 302, reply.text[-1000:]


def shown_question(page: str) -> tuple[int, int, float]:
    """The question number, its position field and the seconds left the page shows."""
    number = int(re.search(r'data-question="(\d+)"', page).group(1))
    position = int(re.search(r'name="position" value="(\d+)"', page).group(1))
    seconds_left = float(re.search(r'data-seconds-left="([\d.]+)"', page).group(1))
    return number, position, seconds_left
