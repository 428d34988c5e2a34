"""Settings come from the environment through small typed readers that refuse bad values with a
message naming the variable. The readers are tested directly; what the settings module makes
of the environment is tested by executing it afresh under a patched environment, and SQLite's
tuning on a real file in a fresh process."""

import json
import re
import runpy
import sqlite3

import pytest
from django.core.exceptions import ImproperlyConfigured

from config.env import (
    env_bool,
    env_float,
    env_header,
    env_hosts,
    env_int,
    env_list,
    env_origins,
    env_str,
    env_url,
)
from tests.django_process import ROOT, SETTINGS_VARIABLES, run_python

# --- the readers ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "raw, value",
    [("1", True), ("yes", True), ("ON", True), ("0", False), ("off", False), ("", False)],
)
def test_env_bool_reads_the_usual_spellings(monkeypatch, raw, value):
    monkeypatch.setenv("FLAG", raw)
    assert env_bool("FLAG", not value) is value


def test_env_bool_refuses_anything_else_and_names_the_variable(monkeypatch):
    monkeypatch.setenv("DEBUG", "maybe")
    with pytest.raises(
        ImproperlyConfigured, match=r"DEBUG must be one of 1/0, true/false.*'maybe'"
    ):
        env_bool("DEBUG")


def test_readers_give_the_default_when_unset(monkeypatch):
    for name in ["UNSET_A", "UNSET_B"]:
        monkeypatch.delenv(name, raising=False)
    assert env_bool("UNSET_A", True) is True
    assert env_int("UNSET_A", 7) == 7
    assert env_float("UNSET_A", 1.5) == 1.5
    assert env_list("UNSET_A", ["x"]) == ["x"]
    assert env_str("UNSET_A", "d") == "d"
    assert env_url("UNSET_A", ("redis",)) == ""
    assert env_header("UNSET_B") is None


def test_env_int_refuses_words_and_values_below_its_minimum(monkeypatch):
    monkeypatch.setenv("DATABASE_CONN_MAX_AGE", "ten")
    with pytest.raises(
        ImproperlyConfigured, match="DATABASE_CONN_MAX_AGE must be a whole number; got 'ten'"
    ):
        env_int("DATABASE_CONN_MAX_AGE", 600)
    monkeypatch.setenv("DATABASE_CONN_MAX_AGE", "-1")
    with pytest.raises(
        ImproperlyConfigured, match="DATABASE_CONN_MAX_AGE must be at least 0; got '-1'"
    ):
        env_int("DATABASE_CONN_MAX_AGE", 600, minimum=0)


def test_env_float_keeps_the_answer_grace_within_two_seconds(monkeypatch):
    monkeypatch.setenv("ANSWER_GRACE_SECONDS", "5")
    with pytest.raises(
        ImproperlyConfigured, match="ANSWER_GRACE_SECONDS must be between 0 and 2; got '5'"
    ):
        env_float("ANSWER_GRACE_SECONDS", 1.0, minimum=0, maximum=2)
    monkeypatch.setenv("ANSWER_GRACE_SECONDS", "one")
    with pytest.raises(ImproperlyConfigured, match="ANSWER_GRACE_SECONDS must be a number"):
        env_float("ANSWER_GRACE_SECONDS", 1.0)


def test_env_list_splits_on_commas_and_drops_blanks(monkeypatch):
    monkeypatch.setenv("ALLOWED_HOSTS", " pariksha.example, www.pariksha.example,, ")
    assert env_list("ALLOWED_HOSTS") == ["pariksha.example", "www.pariksha.example"]


def test_env_hosts_reads_host_names_and_addresses(monkeypatch):
    monkeypatch.setenv("ALLOWED_HOSTS", "pariksha.example, .pariksha.example,10.0.3.17,[::1]")
    hosts = env_hosts("ALLOWED_HOSTS")
    assert hosts == ["pariksha.example", ".pariksha.example", "10.0.3.17", "[::1]"]


@pytest.mark.parametrize(
    "raw",
    ["https://pariksha.example", "pariksha.example/", "pariksha.example:8000", "pari ksha.example"],
)
def test_env_hosts_refuses_a_url_a_path_or_a_port(monkeypatch, raw):
    """Django would take any of these and then answer every request with a 400."""
    monkeypatch.setenv("ALLOWED_HOSTS", f"www.pariksha.example,{raw}")
    with pytest.raises(
        ImproperlyConfigured, match=r"ALLOWED_HOSTS lists host names .* got " + re.escape(repr(raw))
    ):
        env_hosts("ALLOWED_HOSTS")


def test_env_origins_reads_scheme_and_host(monkeypatch):
    monkeypatch.setenv("CSRF_TRUSTED_ORIGINS", "https://pariksha.example,https://*.pariksha.example")
    origins = env_origins("CSRF_TRUSTED_ORIGINS")
    assert origins == ["https://pariksha.example", "https://*.pariksha.example"]


@pytest.mark.parametrize(
    "raw",
    ["pariksha.example", "ftp://pariksha.example", "https://", "https://pariksha.example/quiz"],
)
def test_env_origins_refuses_an_origin_without_its_scheme_or_with_a_path(monkeypatch, raw):
    monkeypatch.setenv("CSRF_TRUSTED_ORIGINS", raw)
    with pytest.raises(
        ImproperlyConfigured,
        match=r'CSRF_TRUSTED_ORIGINS lists origins like "https://pariksha.example"; got '
        + re.escape(repr(raw)),
    ):
        env_origins("CSRF_TRUSTED_ORIGINS")


@pytest.mark.parametrize("raw", ["localhost:6379", "http://127.0.0.1:6379", "redis://"])
def test_env_url_refuses_a_url_of_another_kind(monkeypatch, raw):
    monkeypatch.setenv("REDIS_URL", raw)
    with pytest.raises(
        ImproperlyConfigured, match="REDIS_URL must be a URL starting with redis:// or rediss://"
    ):
        env_url("REDIS_URL", ("redis", "rediss"))


def test_env_header_turns_a_header_into_djangos_form(monkeypatch):
    monkeypatch.setenv("SECURE_PROXY_SSL_HEADER", "X-Forwarded-Proto: https")
    assert env_header("SECURE_PROXY_SSL_HEADER") == ("HTTP_X_FORWARDED_PROTO", "https")
    for bad in ["https", "X Forwarded Proto: https", "X-Forwarded-Proto:"]:
        monkeypatch.setenv("SECURE_PROXY_SSL_HEADER", bad)
        with pytest.raises(
            ImproperlyConfigured,
            match='SECURE_PROXY_SSL_HEADER must look like "X-Forwarded-Proto: https"',
        ):
            env_header("SECURE_PROXY_SSL_HEADER")


# --- the settings module ---------------------------------------------------------------------
# Executed afresh under a patched environment: its globals are what Django would load.


def settings_under(monkeypatch, **env: str) -> dict:
    for name in SETTINGS_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(ROOT / "config" / "settings.py"))


def failure_under(monkeypatch, **env: str) -> str:
    with pytest.raises(ImproperlyConfigured) as error:
        settings_under(monkeypatch, **env)
    return str(error.value)


def test_a_server_without_debug_refuses_to_start_without_a_secret_key(monkeypatch):
    assert (
        failure_under(monkeypatch) == "SECRET_KEY must be set when DEBUG is off (see .env.example)."
    )


def test_make_run_needs_no_secret_key_and_serves_plain_http(monkeypatch):
    found = settings_under(monkeypatch, DEBUG="1")
    assert found["SECRET_KEY"].startswith("django-insecure-")
    assert "SECURE_SSL_REDIRECT" not in found and "SESSION_COOKIE_SECURE" not in found
    assert (
        found["STORAGES"]["staticfiles"]["BACKEND"]
        == "django.contrib.staticfiles.storage.StaticFilesStorage"
    )


@pytest.mark.parametrize(
    "env, message",
    [
        ({"DEBUG": "sometimes"}, "DEBUG must be one of 1/0"),
        (
            {"DATABASE_URL": "mysql://root@127.0.0.1/pariksha"},
            "DATABASE_URL must be a URL starting with sqlite://",
        ),
        ({"REDIS_URL": "127.0.0.1:6379"}, "REDIS_URL must be a URL starting with redis://"),
        ({"ANSWER_GRACE_SECONDS": "3"}, "ANSWER_GRACE_SECONDS must be between 0 and 2"),
        ({"DATABASE_CONN_MAX_AGE": "forever"}, "DATABASE_CONN_MAX_AGE must be a whole number"),
        ({"HTTPS": "2"}, "HTTPS must be one of 1/0"),
        ({"SECURE_HSTS_SECONDS": "-5"}, "SECURE_HSTS_SECONDS must be at least 0"),
        ({"ALLOWED_HOSTS": "https://pariksha.example"}, "ALLOWED_HOSTS lists host names"),
        ({"ALLOWED_HOSTS": " , "}, "ALLOWED_HOSTS must name at least one host"),
        ({"CSRF_TRUSTED_ORIGINS": "pariksha.example"}, "CSRF_TRUSTED_ORIGINS lists origins"),
    ],
)
def test_a_bad_value_stops_the_server_with_a_message_naming_the_variable(monkeypatch, env, message):
    assert message in failure_under(monkeypatch, SECRET_KEY="k" * 50, **env)


def test_production_defaults_are_https_only_with_hashed_static_files(monkeypatch):
    found = settings_under(
        monkeypatch,
        SECRET_KEY="k" * 50,
        SECURE_PROXY_SSL_HEADER="X-Forwarded-Proto: https",
        ALLOWED_HOSTS="pariksha.example",
        CSRF_TRUSTED_ORIGINS="https://pariksha.example",
    )
    assert found["DEBUG"] is False
    assert found["SECURE_SSL_REDIRECT"] is True and found["SECURE_HSTS_SECONDS"] == 365 * 24 * 3600
    assert found["SESSION_COOKIE_SECURE"] is True and found["CSRF_COOKIE_SECURE"] is True
    assert found["SECURE_PROXY_SSL_HEADER"] == ("HTTP_X_FORWARDED_PROTO", "https")
    assert (
        found["STORAGES"]["staticfiles"]["BACKEND"]
        == "whitenoise.storage.CompressedManifestStaticFilesStorage"
    )
    assert found["MIDDLEWARE"][:2] == [
        "django.middleware.security.SecurityMiddleware",
        "whitenoise.middleware.WhiteNoiseMiddleware",
    ]
    assert found["ALLOWED_HOSTS"] == ["pariksha.example"]
    assert found["CSRF_TRUSTED_ORIGINS"] == ["https://pariksha.example"]


def postgres_settings(monkeypatch, **env) -> dict:
    return settings_under(
        monkeypatch, SECRET_KEY="k" * 50, DATABASE_URL="postgres://app:pw@db.internal:5433/pariksha", **env
    )["DATABASES"]["default"]


def test_postgresql_keeps_connections_and_checks_them_before_reuse(monkeypatch):
    db = postgres_settings(monkeypatch)
    assert db["ENGINE"] == "django.db.backends.postgresql"
    assert (db["HOST"], db["PORT"], db["NAME"], db["USER"]) == (
        "db.internal",
        5433,
        "pariksha",
        "app",
    )
    assert db["CONN_MAX_AGE"] == 600 and db["CONN_HEALTH_CHECKS"] is True
    # Seconds: a dead host fails fast. Statements run five times are prepared, planned once.
    assert db["OPTIONS"] == {"connect_timeout": 5, "server_side_binding": True, "prepare_threshold": 5}


def test_prepared_statements_can_be_turned_off_for_a_transaction_pooler(monkeypatch):
    db = postgres_settings(monkeypatch, DATABASE_PREPARED_STATEMENTS="0")
    assert db["OPTIONS"] == {"connect_timeout": 5}


def test_redis_url_puts_the_cache_and_sessions_in_redis(monkeypatch):
    found = settings_under(monkeypatch, SECRET_KEY="k" * 50, REDIS_URL="redis://127.0.0.1:6379/3")
    assert found["CACHES"]["default"]["BACKEND"] == "django_redis.cache.RedisCache"
    assert found["CACHES"]["default"]["LOCATION"] == "redis://127.0.0.1:6379/3"
    assert found["SESSION_ENGINE"] == "django.contrib.sessions.backends.cached_db"


def test_without_redis_every_process_on_the_machine_shares_a_file_cache(monkeypatch):
    found = settings_under(monkeypatch, SECRET_KEY="k" * 50, CACHE_DIR="/srv/pariksha/cache")
    cache = found["CACHES"]["default"]
    assert cache["BACKEND"] == "django.core.cache.backends.filebased.FileBasedCache"
    assert cache["LOCATION"] == "/srv/pariksha/cache"
    assert found["SESSION_ENGINE"] == "django.contrib.sessions.backends.cached_db"


def test_the_file_cache_size_must_be_a_number(monkeypatch):
    with pytest.raises(ImproperlyConfigured, match="CACHE_MAX_ENTRIES"):
        settings_under(monkeypatch, SECRET_KEY="k" * 50, CACHE_MAX_ENTRIES="lots")


def test_the_query_count_header_is_off_unless_the_benchmark_turns_it_on(monkeypatch):
    off = settings_under(monkeypatch, SECRET_KEY="k" * 50)
    on = settings_under(monkeypatch, SECRET_KEY="k" * 50, BENCH_QUERY_COUNT="1")
    assert "ops.middleware.QueryCountMiddleware" not in off["MIDDLEWARE"]
    assert on["MIDDLEWARE"][0] == "ops.middleware.QueryCountMiddleware"


SQLITE_PROBE = """
import json, sqlite3
import django
django.setup()
from django.db import connection, transaction
with connection.cursor() as cursor:
    cursor.execute("PRAGMA journal_mode")
    journal = cursor.fetchone()[0]
    cursor.execute("PRAGMA busy_timeout")
    busy = cursor.fetchone()[0]
    cursor.execute("CREATE TABLE t (x integer)")
# An IMMEDIATE transaction holds the write lock from its first statement, before it writes:
# a second writer waits (then fails) at BEGIN instead of upgrading a read lock halfway.
with transaction.atomic():
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM t")
    other = sqlite3.connect(connection.settings_dict["NAME"], timeout=0.1, isolation_level=None)
    try:
        other.execute("BEGIN IMMEDIATE")
        second_writer = "got the lock"
    except sqlite3.OperationalError as error:
        second_writer = str(error)
print(json.dumps({"journal": journal, "busy_ms": busy, "second_writer": second_writer}))
"""


def test_sqlite_runs_in_wal_mode_with_immediate_transactions_and_a_busy_timeout(tmp_path):
    done = run_python(
        SQLITE_PROBE, SECRET_KEY="k" * 50, DATABASE_URL=f"sqlite:///{tmp_path / 'probe.sqlite3'}"
    )
    assert done.returncode == 0, done.stderr
    found = json.loads(done.stdout.strip().splitlines()[-1])
    assert found == {"journal": "wal", "busy_ms": 5000, "second_writer": "database is locked"}
    # WAL persists in the file: a later connection (a second worker) reads beside the writer.
    assert (
        sqlite3.connect(tmp_path / "probe.sqlite3").execute("PRAGMA journal_mode").fetchone()[0]
        == "wal"
    )
