"""An editor adds tomorrow's article in one step in Chromium at 1280 x 800: pastes its text in
admin, previews the passages, saves them, and finds a paragraph in the question form's
searchable passage picker."""

import pytest
from playwright.sync_api import expect

from questions.models import Source
from tests.factories import UserFactory
from tests.helpers import editors_group

pytestmark = pytest.mark.django_db(transaction=True)

ARTICLE = """# Monetary policy

The RBI kept the repo rate at 6.5 per cent. Its committee voted five to one.

The standing deposit facility stays at 6.25 per cent.

Inflation outlook

Retail inflation is projected at 4.5 per cent for the year.
"""


def test_an_editor_pastes_an_article_previews_saves_and_picks_a_passage(browser, live_server):
    editor = UserFactory(username="farhan", is_staff=True)
    editor.groups.add(editors_group())
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    context.set_default_timeout(10_000)
    page = context.new_page()
    page.goto(f"{live_server.url}/admin/login/")
    page.get_by_label("Username").fill("farhan")
    page.get_by_label("Password").fill("correct horse battery staple")
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(f"{live_server.url}/admin/")

    page.goto(f"{live_server.url}/admin/questions/source/")
    page.get_by_role("link", name="Add article from text").click()
    page.get_by_label("Slug").fill("rbi-policy-dec")
    page.get_by_label("Title").fill("RBI policy, December")
    page.get_by_label("Published on").fill("2026-12-05")
    page.get_by_label("Text").fill(ARTICLE)
    page.get_by_role("button", name="Preview").click()

    expect(page.locator("[data-article-summary]")).to_contain_text("splits into 3 passages under 2 headings")
    expect(page.locator("[data-heading]")).to_have_text(["§ Monetary policy", "§ Inflation outlook"])
    expect(page.locator("[data-passage='3']")).to_contain_text("Retail inflation is projected")
    assert not Source.objects.exists()
    page.get_by_role("button", name="Save article").click()

    expect(page.locator(".messagelist")).to_contain_text("Created “RBI policy, December” with 3 passages.")
    assert Source.objects.get().passages.count() == 3

    # The question form's passage picker finds the paragraph by its words.
    page.goto(f"{live_server.url}/admin/questions/question/add/")
    page.locator("#id_passage + .select2").click()
    page.locator(".select2-search__field").fill("retail inflation")
    expect(page.locator(".select2-results__option")).to_have_text(
        ["rbi-policy-dec ¶3: Retail inflation is projected at 4.5 per cent for the year."]
    )
    page.locator(".select2-results__option").click()
    expect(page.locator("#select2-id_passage-container")).to_contain_text("Retail inflation is projected")
    context.close()
