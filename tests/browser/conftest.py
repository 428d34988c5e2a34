"""Playwright driving Debian's Chromium against pytest-django's live server.

All browser tests share one browser (one per xdist worker; they are grouped onto one worker).
Without Chromium they are skipped with a message saying how to install it, except where
REQUIRE_BROWSER=1 (CI), where a missing browser is a failure.
"""

import os
import shutil

import pytest

# Playwright's sync API runs an event loop in this thread; Django's ORM calls in the test
# body are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
INSTALL_HINT = "Chromium is not installed: run `sudo apt-get install -y chromium` (or `make browser-deps`)."
PHONE = {"viewport": {"width": 360, "height": 740}, "is_mobile": True, "has_touch": True, "device_scale_factor": 2}


@pytest.hookimpl(tryfirst=True)  # before xdist reads the group marks
def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.path).replace(os.sep, "/"):
            item.add_marker(pytest.mark.browser)
            item.add_marker(pytest.mark.xdist_group("browser"))


def pytest_generate_tests(metafunc):
    """Each browser test against the live server runs twice: as production runs (DEBUG off) and
    as `make run` does (DEBUG on, where django-htmx adds its debug script)."""
    if "live_server" in metafunc.fixturenames and not metafunc.definition.get_closest_marker("debug_off_only"):
        if "debug_mode" not in metafunc.fixturenames:
            metafunc.fixturenames.append("debug_mode")
        metafunc.parametrize("debug_mode", ["debug-off", "debug-on"], indirect=True)


@pytest.fixture
def debug_mode(request, settings):
    settings.DEBUG = request.param == "debug-on"
    return settings.DEBUG


@pytest.fixture(scope="session")
def browser():
    if not os.path.exists(CHROMIUM):
        if os.environ.get("REQUIRE_BROWSER") == "1":
            pytest.fail(INSTALL_HINT + " REQUIRE_BROWSER=1 makes this a failure.")
        pytest.skip(INSTALL_HINT)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield chromium
        chromium.close()


@pytest.fixture
def context(browser):
    context = browser.new_context()
    context.set_default_timeout(10_000)
    yield context
    context.close()


@pytest.fixture
def phone_context(browser):
    context = browser.new_context(**PHONE)
    context.set_default_timeout(10_000)
    yield context
    context.close()


@pytest.fixture
def page(context):
    return context.new_page()


@pytest.fixture
def phone(phone_context):
    return phone_context.new_page()


def log_in(page, live_server, username, password="correct horse battery staple"):
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    # Learners land on their quizzes, teachers on their classes.
    page.wait_for_url(lambda url: url.startswith(live_server.url) and "/accounts/login/" not in url)
