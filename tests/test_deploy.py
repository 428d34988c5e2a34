"""`manage.py check --deploy` finds nothing to warn about under production settings: HTTPS
redirect, HSTS, secure cookies, a strong secret key, DEBUG off."""

import json
import re
import subprocess
import sys

from tests.django_process import ROOT, clean_env, run_manage, run_python

PRODUCTION = {
    "SECRET_KEY": "Kq3-hY8vN2pX7rT1mB6wZ4cF9dJ5sL0aG2eU8iO3yR7tQ1nV6kH4xC9zM5bP0jW",
    "ALLOWED_HOSTS": "pariksha.example",
    "CSRF_TRUSTED_ORIGINS": "https://pariksha.example",
    "SECURE_PROXY_SSL_HEADER": "X-Forwarded-Proto: https",
    "TRUSTED_PROXY_COUNT": "1",
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


def test_check_deploy_warns_when_the_proxy_hides_the_learners_addresses():
    """Behind the proxy that says HTTPS, with TRUSTED_PROXY_COUNT at 0, every learner's address
    is the proxy's: the per-address limits count the whole site as one address, and 50 mistyped
    passwords at 8 pm lock every learner out of logging in."""
    without = {name: value for name, value in PRODUCTION.items() if name != "TRUSTED_PROXY_COUNT"}
    done = run_manage("check", "--deploy", "--fail-level", "WARNING", **without)
    assert done.returncode != 0
    assert "ops.W001" in done.stderr and "TRUSTED_PROXY_COUNT" in done.stderr


# --- the example env file ----------------------------------------------------------------------
# `make serve` and `make migrate` read .env with the shell (the Makefile's LOAD_ENV): an operator
# copies .env.example there and uncomments what they need. Every value must reach the settings
# as written, or a server starts quietly without it.

EXAMPLE = ROOT / ".env.example"
ASSIGNMENT = re.compile(r"^(?:# )?([A-Z][A-Z0-9_]*)=(.*)$")


def meant(raw: str) -> str:
    """The value a reader of the example means: the text, without the quotes around it."""
    if len(raw) >= 2 and raw[0] == raw[-1] and raw[0] in "'\"":
        return raw[1:-1]
    return raw


def example_uncommented() -> tuple[str, dict[str, str]]:
    """.env.example with every commented-out example turned on, and what each variable means."""
    lines, values = [], {}
    for line in EXAMPLE.read_text().splitlines():
        found = ASSIGNMENT.match(line)
        if found:
            line = line.removeprefix("# ")
            values[found.group(1)] = meant(found.group(2))
        lines.append(line)
    return "\n".join(lines) + "\n", values


def load_env_command() -> str:
    found = re.search(r"^LOAD_ENV := (.+)$", (ROOT / "Makefile").read_text(), re.M)
    assert found, "the Makefile's LOAD_ENV line"
    return found.group(1).replace("$$", "$")


def test_every_value_of_the_example_env_file_reaches_make_serve_as_written(tmp_path):
    text, values = example_uncommented()
    (tmp_path / ".env").write_text(text)
    show = "import json, os; print(json.dumps(dict(os.environ)))"
    done = subprocess.run(
        ["/bin/sh", "-c", f"{load_env_command()}; exec {sys.executable} -c '{show}'"],
        cwd=tmp_path,
        env=clean_env(),
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert done.returncode == 0 and done.stderr == "", done.stderr
    environment = json.loads(done.stdout)
    assert {name: environment.get(name) for name in values} == values


def test_the_example_env_file_holds_values_the_settings_accept(tmp_path):
    _, values = example_uncommented()
    probe = (
        "import json, django; django.setup(); from django.conf import settings as s; "
        "print(json.dumps([s.SECURE_PROXY_SSL_HEADER, s.DEFAULT_FROM_EMAIL, s.ALLOWED_HOSTS]))"
    )
    done = run_python(probe, **{**values, "SECRET_KEY": "k" * 50})
    assert done.returncode == 0, done.stderr[-2000:]
    assert json.loads(done.stdout.strip().splitlines()[-1]) == [
        ["HTTP_X_FORWARDED_PROTO", "https"],
        "Pariksha <no-reply@pariksha.example.org>",
        ["pariksha.example.org"],
    ]


def test_the_example_env_file_with_a_secret_key_passes_check_deploy():
    shipped = {}
    for line in EXAMPLE.read_text().splitlines():
        found = ASSIGNMENT.match(line)
        if found and not line.startswith("#"):
            shipped[found.group(1)] = meant(found.group(2))
    shipped["SECRET_KEY"] = PRODUCTION["SECRET_KEY"]
    done = run_manage("check", "--deploy", "--fail-level", "WARNING", **shipped)
    assert done.returncode == 0, done.stdout + done.stderr


def test_the_example_env_file_explains_every_variable_the_settings_read():
    settings_source = (ROOT / "config" / "settings.py").read_text()
    read = set(re.findall(r'env_\w+\(\s*"([A-Z][A-Z0-9_]*)"', settings_source))
    _, documented = example_uncommented()
    assert read and read <= set(documented), sorted(read - set(documented))
