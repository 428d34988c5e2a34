"""axe-core, checked by a machine: every learner, teacher and admin screen, at phone and desktop
sizes, in light and dark themes, has no accessibility violation of serious or critical impact.

axe-core comes from the npm registry (package.json, package-lock.json), installed under
node_modules/ by `make axe`, which `make test` runs. Our Content-Security-Policy refuses the
inline script axe is injected as, so the browser context these tests open bypasses the CSP:
these contexts only, never the ones tests/browser/test_content_security_policy.py checks.
"""

import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from playwright.sync_api import expect

from quiz.models import Attempt
from tests.browser.conftest import PHONE, log_in
from tests.factories import (
    AssignmentFactory,
    ClassroomFactory,
    MembershipFactory,
    QuestionFactory,
    QuizFactory,
    UserFactory,
)
from tests.helpers import T0, correct_choice, make_teacher, show, start, submit, wrong_choice

pytestmark = pytest.mark.django_db(transaction=True)

AXE = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"
SIZES = {"phone": PHONE, "desktop": {"viewport": {"width": 1280, "height": 800}}}
BLOCKING = ("serious", "critical")

RUN_AXE = """async (blocking) => {
  const result = await axe.run(document, {resultTypes: ["violations"]});
  return result.violations
    .filter((v) => blocking.includes(v.impact))
    .map((v) => ({id: v.id, impact: v.impact, targets: v.nodes.map((n) => n.target.join(" "))}));
}"""


def axe_violations(page) -> list[dict]:
    """The serious and critical violations axe finds on the page as it is now."""
    page.wait_for_load_state()
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE))
    return page.evaluate(RUN_AXE, list(BLOCKING))


def describe(found: dict[str, list[dict]]) -> str:
    lines = []
    for name, violations in found.items():
        for v in violations:
            lines.append(f"{name}: {v['id']} ({v['impact']}) on {', '.join(v['targets'][:5])}")
    return "\n".join(lines)


@pytest.fixture
def axe_context(browser, request):
    if not AXE.exists():
        pytest.fail(f"{AXE} is missing: run `make axe` (make test does) to install axe-core from npm.")
    size, theme = request.param
    context = browser.new_context(bypass_csp=True, color_scheme=theme, **SIZES[size])
    context.set_default_timeout(10_000)
    yield context
    context.close()


@pytest.fixture
def school(transactional_db):
    """A teacher's class with two learners and an assigned two-question quiz that one of them,
    Ravi, has finished (so every report has a row); an admin; Asha still to take the quiz."""
    teacher = make_teacher("meena")
    asha = UserFactory(username="asha", first_name="Asha", last_name="Iyer")
    ravi = UserFactory(username="ravi", first_name="Ravi", last_name="Kumar")
    UserFactory(username="root", is_staff=True, is_superuser=True)
    quiz = QuizFactory(slug="daily", title="Daily drill", with_questions=QuestionFactory.create_batch(2))
    classroom = ClassroomFactory(teacher=teacher, name="Prelims 2027")
    for learner in (asha, ravi):
        MembershipFactory(classroom=classroom, learner=learner)
    AssignmentFactory(classroom=classroom, quiz=quiz)
    QuizFactory(slug="mock", title="Mock paper", timing="paper", feedback="end", seconds_per_question=72, with_questions=3)
    attempt = start(ravi, quiz)
    for position in range(2):
        shown = T0 + timedelta(seconds=10 * position)
        response = show(attempt, shown)
        choice = correct_choice(response) if position == 0 else wrong_choice(response)
        submit(attempt, position, "answer", choice.pk, shown + timedelta(seconds=5))
    return {"classroom": classroom, "quiz": quiz, "ravi_attempt": Attempt.objects.get(user=ravi)}


def learner_screens(page, live_server):
    """Yields (name, page) at each learner screen, from the log-in page to "My attempts"."""
    page.goto(f"{live_server.url}/accounts/login/")
    yield "log-in"
    page.goto(f"{live_server.url}/accounts/signup/")
    yield "sign-up"
    log_in(page, live_server, "asha")
    yield "quiz list"
    page.goto(f"{live_server.url}/quizzes/daily/")
    yield "quiz detail"
    page.get_by_role("button", name="Start quiz").click()
    expect(page.get_by_role("heading", name="Question 1")).to_be_visible()
    yield "question"
    page.locator("label.option").first.click()
    page.get_by_role("button", name="Submit answer").click()
    expect(page.locator(".verdict")).to_be_visible()
    yield "feedback"
    page.get_by_role("link", name="Next question").click()
    expect(page.get_by_role("heading", name="Question 2")).to_be_visible()
    page.get_by_role("button", name="Skip (0 marks)").click()
    page.get_by_role("link", name="See your result").click()
    expect(page.locator("[data-score]")).to_be_visible()
    yield "result"
    page.goto(live_server.url + page.locator("a[data-report]").first.get_attribute("href"))
    expect(page.get_by_role("button", name=re.compile("report", re.I))).to_be_visible()
    yield "report a problem"
    page.goto(f"{live_server.url}/attempts/")
    yield "my attempts"
    page.goto(f"{live_server.url}/quizzes/daily/leaderboard/")
    yield "leaderboard"
    page.goto(f"{live_server.url}/progress/")
    yield "my progress"
    page.goto(f"{live_server.url}/revise/")
    yield "mistakes notebook"
    page.goto(f"{live_server.url}/profile/")
    yield "profile"
    page.goto(f"{live_server.url}/classes/join/")
    yield "join a class"
    page.goto(f"{live_server.url}/quizzes/mock/")
    yield "paper detail"
    page.get_by_role("button", name="Start quiz").click()
    expect(page.get_by_role("heading", name=re.compile("^Question 1"))).to_be_visible()
    yield "paper question"
    page.locator("label.option").first.click()
    page.get_by_role("button", name="Mark for review & Next").click()
    expect(page.get_by_role("heading", name=re.compile("^Question 2"))).to_be_visible()
    yield "paper question, palette with marked and answered"
    page.get_by_role("link", name="Submit paper").click()
    expect(page.locator("[data-submit-summary]")).to_be_visible()
    yield "paper submit, confirm"
    page.get_by_role("button", name="Submit paper").click()
    expect(page.locator("[data-score]")).to_be_visible()
    yield "paper result"


def hindi_learner_screens(page, live_server):
    """The learner's screens again in Hindi, chosen with the header's switch before log-in:
    each page says lang="hi", so a screen reader reads it with a Hindi voice."""
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_role("button", name="हिन्दी में पढ़ें (Read in Hindi)").click()
    expect(page.locator("html")).to_have_attribute("lang", "hi")
    yield "log-in, in Hindi"
    page.goto(f"{live_server.url}/accounts/signup/")
    yield "sign-up, in Hindi"
    page.goto(f"{live_server.url}/accounts/login/")
    page.locator("input[name=username]").fill("asha")
    page.locator("input[name=password]").fill("correct horse battery staple")
    page.get_by_role("button", name="लॉग इन करें").click()
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
    yield "quiz list, in Hindi"
    page.goto(f"{live_server.url}/quizzes/daily/")
    yield "quiz detail, in Hindi"
    page.get_by_role("button", name="प्रश्नोत्तरी शुरू करें").click()
    expect(page.get_by_role("heading", name="प्रश्न 1")).to_be_visible()
    yield "question, in Hindi"
    page.locator("label.option").first.click()
    page.get_by_role("button", name="उत्तर जमा करें").click()
    expect(page.locator(".verdict")).to_be_visible()
    yield "feedback, in Hindi"
    page.get_by_role("link", name="अगला प्रश्न").click()
    expect(page.get_by_role("heading", name="प्रश्न 2")).to_be_visible()
    page.get_by_role("button", name="छोड़ें (0 अंक)").click()
    page.get_by_role("link", name="अपना परिणाम देखें").click()
    expect(page.locator("[data-score]")).to_be_visible()
    yield "result, in Hindi"
    for name, path in [("my attempts", "/attempts/"), ("my progress", "/progress/"), ("notebook", "/revise/")]:
        page.goto(live_server.url + path)
        yield f"{name}, in Hindi"
    page.goto(f"{live_server.url}/quizzes/mock/")
    page.get_by_role("button", name="प्रश्नोत्तरी शुरू करें").click()
    expect(page.get_by_role("heading", name=re.compile("^प्रश्न 1"))).to_be_visible()
    yield "paper question, in Hindi"
    page.get_by_role("link", name="प्रश्नपत्र जमा करें").click()
    expect(page.locator("[data-submit-summary]")).to_be_visible()
    yield "paper submit, in Hindi"


def teacher_screens(page, live_server, school):
    classroom, attempt = school["classroom"], school["ravi_attempt"]
    report = f"{live_server.url}/teach/classes/{classroom.pk}/quizzes/daily/"
    log_in(page, live_server, "meena")
    page.goto(f"{live_server.url}/teach/")
    yield "class list"
    page.get_by_role("button", name="Create class").click()
    expect(page.locator(".field-error")).to_be_visible()
    yield "new class, refused"
    page.get_by_label("Class name").fill("Mains 2027")
    page.get_by_role("button", name="Create class").click()
    expect(page.locator(".messages")).to_contain_text("Class created")
    # Read into the status region after the page arrived, so screen readers announce it.
    expect(page.get_by_role("status")).to_have_text(re.compile(r"^Class created\."))
    yield "class created, with a message"
    page.goto(f"{live_server.url}/teach/classes/{classroom.pk}/")
    yield "class detail"
    page.get_by_role("button", name="Assign", exact=True).click()
    expect(page.locator(".field-error")).to_be_visible()
    yield "assign, refused"
    # A link click returns before the next page arrives: wait for it, or axe is injected into a
    # document that is being replaced (null head, "Cannot read properties of null").
    page.get_by_role("link", name="Remove asha from the class").click()
    expect(page.get_by_role("button", name="Remove learner")).to_be_visible()
    yield "remove learner, confirm"
    page.goto(f"{live_server.url}/teach/classes/{classroom.pk}/")
    page.get_by_role("link", name="Unassign Daily drill").click()
    expect(page.get_by_role("button", name="Unassign quiz")).to_be_visible()
    yield "unassign, confirm"
    for kind in ("", "items/", "matrix/"):
        page.goto(report + kind)
        yield f"report {kind or 'scores/'}"
    page.goto(f"{report}attempts/{attempt.pk}/")
    yield "a learner's attempt"
    page.goto(f"{report}leaderboard/")
    yield "class leaderboard"
    page.goto(f"{live_server.url}/teach/quizzes/daily/print/")
    yield "printed paper and key"


def admin_screens(page, live_server, school):
    page.goto(f"{live_server.url}/admin/login/")
    page.get_by_label("Username").fill("root")
    page.get_by_label("Password").fill("correct horse battery staple")
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(f"{live_server.url}/admin/")
    question = school["quiz"].quiz_questions.first().question
    for name, path in [
        ("admin question list", "/admin/questions/question/"),
        ("admin question edit", f"/admin/questions/question/{question.pk}/change/"),
        ("admin import", "/admin/questions/question/import/"),
        ("admin add article from text", "/admin/questions/source/add-from-text/"),
    ]:
        page.goto(live_server.url + path)
        yield name


@pytest.mark.parametrize(
    "axe_context",
    [(size, theme) for size in SIZES for theme in ("light", "dark")],
    ids=lambda p: "-".join(p),
    indirect=True,
)
def test_no_serious_or_critical_axe_violation_on_any_screen(axe_context, live_server, school):
    found = {}
    for role, walk in [
        ("learner", lambda page: learner_screens(page, live_server)),
        ("teacher", lambda page: teacher_screens(page, live_server, school)),
        ("admin", lambda page: admin_screens(page, live_server, school)),
    ]:
        axe_context.clear_cookies()
        page = axe_context.new_page()
        for name in walk(page):
            found[name] = axe_violations(page)
        page.close()
    assert len(found) >= 20, sorted(found)
    found = {name: violations for name, violations in found.items() if violations}
    assert not found, "axe found serious or critical violations:\n" + describe(found)


@pytest.mark.parametrize("axe_context", [("phone", "light")], ids=["phone-light"], indirect=True)
def test_the_check_does_catch_a_violation(axe_context, live_server):
    page = axe_context.new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    page.evaluate("document.querySelector('main').insertAdjacentHTML('beforeend', '<img src=\"/static/favicon.svg\">')")
    found = {"log-in with an unlabelled image": axe_violations(page)}
    assert [(v["id"], v["impact"]) for v in found["log-in with an unlabelled image"]] == [("image-alt", "critical")]
    assert describe(found) == "log-in with an unlabelled image: image-alt (critical) on img"


@pytest.mark.parametrize(
    "axe_context",
    [("phone", "light"), ("phone", "dark"), ("desktop", "light")],
    ids=lambda p: "-".join(p),
    indirect=True,
)
def test_no_serious_or_critical_axe_violation_on_the_hindi_screens(axe_context, live_server, school):
    page = axe_context.new_page()
    found = {}
    for name in hindi_learner_screens(page, live_server):
        assert page.locator("html").get_attribute("lang") == "hi", name
        found[name] = axe_violations(page)
    assert len(found) == 12, sorted(found)
    found = {name: violations for name, violations in found.items() if violations}
    assert not found, "axe found serious or critical violations:\n" + describe(found)
