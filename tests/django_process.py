"""Run Python in a fresh process with its own environment, for what a process decides at start:
the settings read the environment once, when they are imported."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Settings read these variables; tests/test_settings_env.py clears them before each reading.
SETTINGS_VARIABLES = {
    "DEBUG",
    "SECRET_KEY",
    "ALLOWED_HOSTS",
    "CSRF_TRUSTED_ORIGINS",
    "DATABASE_URL",
    "DATABASE_CONN_MAX_AGE",
    "REDIS_URL",
    "CACHE_DIR",
    "CACHE_MAX_ENTRIES",
    "HTTPS",
    "SECURE_PROXY_SSL_HEADER",
    "SECURE_HSTS_SECONDS",
    "STATIC_COLLECTED",
    "ANSWER_GRACE_SECONDS",
    "REQUEST_START_PROXIES",
    "BENCH_QUERY_COUNT",
    "LOG_LEVEL",
}
# The child gets these from the test run and nothing else (not, say, the browser tests'
# DJANGO_ALLOW_ASYNC_UNSAFE, which check --deploy reports).
PASSED_ON = ("PATH", "HOME", "LANG", "LC_ALL", "TMPDIR", "VIRTUAL_ENV")


def clean_env(**variables: str) -> dict[str, str]:
    env = {k: os.environ[k] for k in PASSED_ON if k in os.environ}
    env.update(DJANGO_SETTINGS_MODULE="config.settings", PYTHONPATH=str(ROOT), **variables)
    return env


def run_python(code: str, timeout: float = 60, **variables: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=clean_env(**variables),
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def run_manage(*args: str, timeout: float = 60, **variables: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=clean_env(**variables),
        capture_output=True,
        text=True,
        timeout=timeout,
    )
