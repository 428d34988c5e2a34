"""What the question page weighs on a phone's network, in production settings: `make serve`'s
gunicorn with DEBUG off and whitenoise serving the collected, compressed static files. Chromium
counts the bytes of every response as they came over the wire (CDP's encodedDataLength):
a cold first load of the question page under 100 KB, one answer round trip under 5 KB."""

import json

import pytest

from tests.app_servers import gunicorn_servers
from tests.browser.conftest import PHONE
from tests.django_process import run_manage, run_python

PASSWORD = "every byte costs a learner on a prepaid plan"
FIRST_LOAD_BUDGET = 100 * 1024
ROUND_TRIP_BUDGET = 5 * 1024

SETUP = """
import django, json
django.setup()
from django.core.management import call_command
call_command("migrate", verbosity=0)
call_command("loaddata", "article_source", "article_bank", "article_quizzes", verbosity=0)
from tests.factories import UserFactory
UserFactory(username="frugal", password={password!r})
print(json.dumps({{"ok": True}}))
"""


@pytest.fixture
def production_server(tmp_path):
    env = {
        "SECRET_KEY": "weight-test-key",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'weight.sqlite3'}",
        "CACHE_DIR": str(tmp_path / "cache"),
        "STATIC_COLLECTED": "1",
        "STATIC_ROOT": str(tmp_path / "staticfiles"),  # not the checkout's: a test leaves no files there
    }
    done = run_python(SETUP.format(password=PASSWORD), **env)
    assert done.returncode == 0, done.stderr[-3000:]
    collected = run_manage("collectstatic", "--no-input", "-v0", timeout=120, DEBUG="0", HTTPS="0", **env)
    assert collected.returncode == 0, collected.stderr[-3000:]
    with gunicorn_servers(env, tmp_path) as start:
        [server] = start()
        yield f"http://127.0.0.1:{server.port}"


class Wire:
    """Bytes received per response, as Chromium's network stack counted them."""

    def __init__(self, context, page):
        self.cdp = context.new_cdp_session(page)
        self.cdp.send("Network.enable")
        self.urls: dict[str, str] = {}
        self.sizes: dict[str, int] = {}
        self.cdp.on("Network.responseReceived", lambda e: self.urls.__setitem__(e["requestId"], e["response"]["url"]))
        self.cdp.on("Network.loadingFinished", lambda e: self.sizes.__setitem__(e["requestId"], e["encodedDataLength"]))

    def cold(self):
        self.cdp.send("Network.clearBrowserCache")
        self.reset()

    def reset(self):
        self.urls.clear()
        self.sizes.clear()

    def total(self) -> int:
        return sum(self.sizes.values())

    def report(self) -> str:
        return json.dumps({self.urls.get(k, k): v for k, v in self.sizes.items()}, indent=1)


def test_the_question_page_and_an_answer_weigh_little_in_production(browser, production_server):
    context = browser.new_context(**PHONE)
    page = context.new_page()
    try:
        wire = Wire(context, page)
        page.goto(f"{production_server}/accounts/login/")
        page.get_by_label("Username").fill("frugal")
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Log in").click()
        page.wait_for_url(f"{production_server}/")
        page.goto(f"{production_server}/quizzes/india-us-2plus2-whole-bank/")
        page.get_by_role("button", name="Start quiz").click()
        page.wait_for_selector("[data-question='1']")
        assert "htmx" in " ".join(page.evaluate("[...document.scripts].map(s => s.src)"))

        wire.cold()
        page.reload(wait_until="load")
        page.wait_for_timeout(300)  # loadingFinished of the last response may trail the load event
        first_load = wire.total()
        assert len(wire.sizes) >= 4, wire.report()  # the page, its stylesheet and its two scripts

        wire.reset()
        page.locator("label.option").nth(1).click()
        page.get_by_role("button", name="Submit answer").click()
        page.wait_for_selector("[data-feedback='1']")
        page.wait_for_timeout(300)
        round_trip = wire.total()
        assert any(url.endswith("/answer/") for url in wire.urls.values()), wire.report()

        print(f"question page first load: {first_load} bytes; one answer round trip: {round_trip} bytes")
        assert first_load < FIRST_LOAD_BUDGET, wire.report()
        assert round_trip < ROUND_TRIP_BUDGET, wire.report()
    finally:
        context.close()
