"""/healthz says whether this server can answer a learner: its database, and Redis when it is
configured. 200 when both answer, 503 naming what is down. /livez only says the process runs."""

import json

import pytest
from django.conf import settings
from django.test import override_settings

from tests.django_process import run_python
from tests.test_settings_env import settings_under

pytestmark = pytest.mark.django_db


def test_healthz_is_200_when_the_database_answers(client):
    reply = client.get("/healthz")
    assert reply.status_code == 200
    body = reply.json()
    assert body["status"] == "ok" and body["database"] == "ok"
    assert ("redis" in body) == bool(settings.REDIS_URL)
    assert "no-cache" in reply["Cache-Control"]


def test_healthz_checks_redis_when_it_is_configured(client):
    if not settings.REDIS_URL:
        pytest.skip("No REDIS_URL here; CI's PostgreSQL pass sets one")
    assert client.get("/healthz").json()["redis"] == "ok"


def test_healthz_is_503_when_redis_is_down(client):
    dead = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    caches = {"default": {"BACKEND": "django_redis.cache.RedisCache", "LOCATION": dead}}
    with override_settings(REDIS_URL=dead, CACHES=caches):
        reply = client.get("/healthz")
    assert reply.status_code == 503
    assert reply.json() == {
        "status": "unavailable",
        "database": "ok",
        "redis": "error: ConnectionError",
    }


PROBE = """
import django
django.setup()
from django.test import Client
reply = Client().get("/healthz")
print(reply.status_code, reply.content.decode())
"""


def test_healthz_is_503_when_the_database_is_down():
    done = run_python(
        PROBE,
        SECRET_KEY="k" * 50,
        HTTPS="0",
        ALLOWED_HOSTS="testserver",
        DATABASE_URL="postgres://postgres@127.0.0.1:1/pariksha",  # nothing listens on port 1
    )
    assert done.returncode == 0, done.stderr
    status, body = done.stdout.strip().splitlines()[-1].split(" ", 1)
    assert status == "503"
    assert json.loads(body) == {"status": "unavailable", "database": "error: OperationalError"}


def test_healthz_and_livez_answer_a_load_balancers_plain_http_probe(client, monkeypatch):
    # The HTTPS settings exactly as production's environment makes them (tests run HTTPS=0).
    production = settings_under(
        monkeypatch, SECRET_KEY="k" * 50, SECURE_PROXY_SSL_HEADER="X-Forwarded-Proto: https"
    )
    with override_settings(
        SECURE_SSL_REDIRECT=production["SECURE_SSL_REDIRECT"],
        SECURE_REDIRECT_EXEMPT=production["SECURE_REDIRECT_EXEMPT"],
    ):
        assert client.get("/healthz").status_code == 200
        assert client.get("/livez").status_code == 200
        assert client.get("/accounts/login/").status_code == 301  # everything else goes to HTTPS


def test_livez_needs_no_database(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        reply = client.get("/livez")
    assert reply.status_code == 200 and reply.json() == {"status": "ok"}


def test_healthz_only_answers_get(client):
    assert client.post("/healthz").status_code == 405


def test_a_load_balancer_probing_a_server_at_its_own_address_gets_an_answer(client, monkeypatch):
    """A load balancer probes each app server at the server's address (Host: 10.0.3.17:8000),
    which ALLOWED_HOSTS does not list: refused with a 400, every server would look down. The
    probes answer whatever the Host; every other page still refuses a host not listed."""
    production = settings_under(
        monkeypatch, SECRET_KEY="k" * 50, SECURE_PROXY_SSL_HEADER="X-Forwarded-Proto: https"
    )
    probe = {"HTTP_HOST": "10.0.3.17:8000"}
    with override_settings(
        SECURE_SSL_REDIRECT=production["SECURE_SSL_REDIRECT"],
        SECURE_REDIRECT_EXEMPT=production["SECURE_REDIRECT_EXEMPT"],
    ):
        healthz = client.get("/healthz", **probe)
        assert healthz.status_code == 200 and healthz.json()["database"] == "ok"
        assert "no-cache" in healthz["Cache-Control"]
        assert client.get("/livez", **probe).json() == {"status": "ok"}
        assert client.post("/healthz", **probe).status_code == 405
        assert client.get("/accounts/login/", **probe).status_code == 400
        assert client.get("/healthz/", **probe).status_code == 400


def test_a_probe_at_the_servers_address_still_says_when_redis_is_down(client):
    dead = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    caches = {"default": {"BACKEND": "django_redis.cache.RedisCache", "LOCATION": dead}}
    with override_settings(REDIS_URL=dead, CACHES=caches):
        reply = client.get("/healthz", HTTP_HOST="10.0.3.17:8000")
    assert reply.status_code == 503 and reply.json()["redis"] == "error: ConnectionError"


def test_healthz_is_503_until_this_release_is_migrated(client):
    """A server of a new release, started before `make migrate`, is kept out of service."""
    from django.db.migrations.recorder import MigrationRecorder

    assert client.get("/healthz").status_code == 200
    newest_quiz_migration = MigrationRecorder.Migration.objects.filter(app="quiz").latest("applied", "id")
    newest_quiz_migration.delete()  # what the server's release has and the database lacks

    reply = client.get("/healthz")

    assert reply.status_code == 503
    assert reply.json()["database"] == "error: migrations not applied (make migrate)"


def test_healthz_is_503_on_a_database_never_migrated(tmp_path):
    done = run_python(
        PROBE,
        SECRET_KEY="k" * 50,
        HTTPS="0",
        ALLOWED_HOSTS="testserver",
        CACHE_DIR=str(tmp_path / "cache"),
        DATABASE_URL=f"sqlite:///{tmp_path / 'empty.sqlite3'}",
    )
    assert done.returncode == 0, done.stderr
    status, body = done.stdout.strip().splitlines()[-1].split(" ", 1)
    assert (status, json.loads(body)["database"]) == ("503", "error: migrations not applied (make migrate)")
