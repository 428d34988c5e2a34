"""Every page works under our Content-Security-Policy: no inline script or style is refused
by Chromium, on the learner's, the teacher's and the admin's screens."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import log_in
from tests.factories import QuestionFactory, QuizFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def watch_for_violations(page):
    refused = []
    page.on("console", lambda message: "Content Security Policy" in message.text and refused.append(message.text))
    page.on("pageerror", lambda error: refused.append(str(error)))
    return refused


def test_learner_pages_and_htmx_swaps_run_with_no_policy_violation(page, live_server):
    learner = UserFactory(username="omar")
    quiz = QuizFactory(slug="csp", with_questions=QuestionFactory.create_batch(2))
    refused = watch_for_violations(page)
    log_in(page, live_server, learner.username)
    page.locator('[data-quiz="csp"]').get_by_role("link", name="Start quiz").click()
    page.get_by_role("button", name="Start quiz").click()
    page.locator("label.option").first.click()
    page.get_by_role("button", name="Submit answer").click()
    expect(page.locator(".verdict")).to_be_visible()
    page.get_by_role("link", name="Next question").click()
    expect(page.get_by_role("heading", name="Question 2")).to_be_visible()
    for path in ["/attempts/", f"/sources/{quiz.quiz_questions.first().question.source.slug}/", "/accounts/password_change/"]:
        response = page.goto(live_server.url + path)
        # The page itself, not a log-in page it redirected to.
        assert (response.status, page.url) == (200, live_server.url + path)
    header = page.request.get(live_server.url + "/attempts/").headers["content-security-policy"]
    assert "script-src 'self'" in header and "style-src 'self'" in header and "unsafe-inline" not in header
    assert refused == []
    # The watch does see a refusal: an inline style attribute is blocked and reported.
    page.evaluate("""document.body.insertAdjacentHTML('beforeend', '<p style="color: red">x</p>')""")
    expect(page.locator("p", has_text="x").last).to_be_attached()
    page.wait_for_timeout(200)
    assert refused and "style-src" in refused[0]


def test_admin_pages_run_with_no_policy_violation(page, live_server):
    UserFactory(username="root", is_staff=True, is_superuser=True)
    question = QuestionFactory()
    refused = watch_for_violations(page)
    page.goto(f"{live_server.url}/admin/login/")
    page.get_by_label("Username").fill("root")
    page.get_by_label("Password").fill("correct horse battery staple")
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(f"{live_server.url}/admin/")
    for path in [
        "/admin/",
        "/admin/questions/question/",
        f"/admin/questions/question/{question.pk}/change/",
        "/admin/questions/question/add/",
        "/admin/questions/question/import/",
        "/admin/quiz/quiz/add/",
    ]:
        response = page.goto(live_server.url + path)
        # The admin page itself: a log-out would land on the log-in page, with a 200 too.
        assert (response.status, page.url) == (200, live_server.url + path)
    assert refused == []
