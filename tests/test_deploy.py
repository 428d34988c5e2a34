"""`manage.py check --deploy` finds nothing to warn about under production settings: HTTPS
redirect, HSTS, secure cookies, a strong secret key, DEBUG off."""

from tests.django_process import run_manage

PRODUCTION = {
    "SECRET_KEY": "Kq3-hY8vN2pX7rT1mB6wZ4cF9dJ5sL0aG2eU8iO3yR7tQ1nV6kH4xC9zM5bP0jW",
    "ALLOWED_HOSTS": "pariksha.example",
    "CSRF_TRUSTED_ORIGINS": "https://pariksha.example",
    "SECURE_PROXY_SSL_HEADER": "X-Forwarded-Proto: https",
    "DATABASE_URL": "postgres://pariksha@db.internal:5432/pariksha",
    "REDIS_URL": "redis://cache.internal:6379/0",
}


def test_check_deploy_is_clean_under_production_settings():
    done = run_manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "System check identified no issues" in done.stdout


def test_check_deploy_does_complain_about_a_plain_http_setup():
    """The check above can fail: the settings the test relies on are the ones it reports."""
    done = run_manage(
        "check", "--deploy", "--fail-level", "WARNING", **{**PRODUCTION, "HTTPS": "0"}
    )
    assert done.returncode != 0
    for warning in ["security.W004", "security.W008", "security.W012", "security.W016"]:
        assert warning in done.stderr + done.stdout
