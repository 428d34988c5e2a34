"""Issue 19: an editor edits a question's English and Hindi in language tabs, in Chromium at
1280 x 800 and on a 360 x 740 phone, under our Content-Security-Policy (no jQuery UI from a CDN:
static/admin/js/translation_tabs.js)."""

import pytest
from playwright.sync_api import expect

from accounts.models import Profile
from questions.models import Question
from tests.browser.conftest import PHONE
from tests.browser.test_content_security_policy import watch_for_violations
from tests.factories import QuestionFactory, UserFactory
from tests.helpers import PASSWORD, editors_group

pytestmark = pytest.mark.django_db(transaction=True)

SCREENS = {
    "desktop": {"viewport": {"width": 1280, "height": 800}},
    "phone": PHONE,
}


def log_in_to_admin(page, live_server):
    page.goto(f"{live_server.url}/admin/login/")
    page.get_by_label("Username").fill("farhan")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(f"{live_server.url}/admin/")


@pytest.fixture
def editor():
    editor = UserFactory(username="farhan", is_staff=True)
    editor.groups.add(editors_group())
    return editor


@pytest.fixture(params=list(SCREENS))
def editor_page(request, browser, live_server, editor):
    context = browser.new_context(**SCREENS[request.param])
    context.set_default_timeout(10_000)
    page = context.new_page()
    log_in_to_admin(page, live_server)
    yield page
    context.close()


def field_tabs(page, field_id):
    """The tab list of one translated field, found by its English input."""
    return page.locator(".ui-tabs", has=page.locator(f"#{field_id}_en")).get_by_role("tab")


def test_the_stem_has_a_tab_per_language_and_the_hindi_tab_saves_the_hindi(editor_page, live_server):
    page = editor_page
    question = QuestionFactory(stem="Which agreement was signed in 2020?")
    refused = watch_for_violations(page)
    page.goto(f"{live_server.url}/admin/questions/question/{question.pk}/change/")

    stem = field_tabs(page, "id_stem")
    expect(stem).to_have_text(["en", "hi"])
    expect(stem.first).to_have_attribute("aria-selected", "true")
    expect(page.locator("#id_stem_en")).to_be_visible()
    expect(page.locator("#id_stem_hi")).to_be_hidden()

    stem.last.click()
    expect(stem.last).to_have_attribute("aria-selected", "true")
    expect(page.locator("#id_stem_hi")).to_be_visible()
    expect(page.locator("#id_stem_en")).to_be_hidden()
    # The explanation's tabs are its own: still on English.
    expect(page.locator("#id_explanation_en")).to_be_visible()

    # The arrow keys move between a field's languages, as ARIA tabs do.
    stem.last.press("ArrowLeft")
    expect(stem.first).to_be_focused()
    expect(page.locator("#id_stem_en")).to_be_visible()

    # The switch by the page's heading turns every field, options included, to Hindi.
    page.locator("#modeltranslation-main-switch").select_option(label="hi")
    selected = page.locator("[role=tab][aria-selected=true]")
    expect(selected.first).to_be_visible()
    assert set(selected.all_text_contents()) == {"hi"}
    expect(page.locator("#id_explanation_hi")).to_be_visible()
    expect(page.locator("#id_choices-0-text_hi")).to_be_visible()
    expect(page.locator("#id_choices-0-text_en")).to_be_hidden()

    page.locator("#id_stem_hi").fill("2020 में किस समझौते पर हस्ताक्षर हुए?")
    page.get_by_role("button", name="Save and continue editing").click()

    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")
    question.refresh_from_db()
    assert (question.stem_en, question.stem_hi) == (
        "Which agreement was signed in 2020?", "2020 में किस समझौते पर हस्ताक्षर हुए?"
    )
    assert refused == []


def test_an_editor_who_reads_hindi_starts_on_the_hindi_tabs(page, live_server, editor):
    Profile.objects.create(user=editor, language="hi")  # restored into the session at log-in
    question = QuestionFactory()
    refused = watch_for_violations(page)
    log_in_to_admin(page, live_server)
    page.goto(f"{live_server.url}/admin/questions/question/{question.pk}/change/")

    expect(page.locator("html")).to_have_attribute("lang", "hi")
    expect(field_tabs(page, "id_stem").last).to_have_attribute("aria-selected", "true")
    expect(page.locator("#id_stem_hi")).to_be_visible()
    expect(page.locator("#id_stem_en")).to_be_hidden()
    expect(page.get_by_label("इस पृष्ठ के सभी पाठों की भाषा")).to_have_value("1")
    assert refused == []
