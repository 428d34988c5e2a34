"""A teacher creates a class and assigns a quiz; a learner joins with the code and takes it;
the teacher reads the score and downloads the CSV; a teacher pages through the learner x
question matrix. All in Chromium."""

import re

import pytest
from playwright.sync_api import expect

from quiz.models import Attempt, Response
from teaching import views
from teaching.models import Assignment, Classroom, Membership
from tests.browser.conftest import log_in
from tests.factories import (
    AssignmentFactory,
    ClassroomFactory,
    MembershipFactory,
    QuestionFactory,
    QuizFactory,
    UserFactory,
)
from tests.helpers import make_teacher

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def teacher(transactional_db):
    return make_teacher("meena")


@pytest.fixture
def learner(transactional_db):
    return UserFactory(username="asha", first_name="Asha", last_name="Iyer")


def test_teacher_creates_a_class_a_learner_joins_and_takes_the_quiz_and_the_teacher_exports_it(
    browser, page, live_server, teacher, learner
):
    quiz = QuizFactory(slug="polity-weekly", title="Polity weekly", with_questions=QuestionFactory.create_batch(3))

    # The teacher creates a class and assigns the quiz with a due date.
    log_in(page, live_server, teacher.username)
    page.get_by_role("link", name="Teach").click()
    page.get_by_label("Class name").fill("Prelims 2027 weekend")
    page.get_by_role("button", name="Create class").click()
    expect(page.get_by_role("heading", name="Prelims 2027 weekend", level=1)).to_be_visible()
    code = page.locator("[data-join-code]").inner_text()
    assert code == Classroom.objects.get().join_code
    page.get_by_label("Quiz:", exact=True).select_option(label="Polity weekly")
    page.get_by_label("Due (IST, optional)").fill("2026-12-01T18:00")
    page.get_by_role("button", name="Assign").click()
    expect(page.locator('[data-assignment="polity-weekly"]')).to_contain_text("Due 1 Dec 2026, 18:00 IST")

    # The learner joins with the code and finds the quiz on their list.
    learner_context = browser.new_context()
    learner_context.set_default_timeout(10_000)
    learner_page = learner_context.new_page()
    log_in(learner_page, live_server, learner.username)
    learner_page.get_by_role("link", name="Join a class").click()
    learner_page.get_by_label("Class code").fill(code.lower())
    learner_page.get_by_role("button", name="Join class").click()
    learner_page.wait_for_url(f"{live_server.url}/")
    expect(learner_page.locator(".messages")).to_contain_text("You joined Prelims 2027 weekend.")
    assigned = learner_page.locator('[data-assigned="polity-weekly"]')
    expect(assigned).to_contain_text("Polity weekly")
    expect(assigned).to_contain_text("Due 1 Dec 2026, 18:00 IST")
    assert Membership.objects.filter(learner=learner).count() == 1

    # ... and takes it: right, wrong, right.
    assigned.get_by_role("link").click()
    learner_page.get_by_role("button", name="Start quiz").click()
    attempt = Attempt.objects.get(user=learner)
    for number in (1, 2, 3):
        expect(learner_page.get_by_role("heading", name=f"Question {number}")).to_be_visible()
        choices = Response.objects.get(attempt=attempt, position=number - 1).question.choices
        pick = choices.get(is_correct=True) if number != 2 else choices.filter(is_correct=False).first()
        learner_page.locator("label.option", has_text=pick.text).click()
        learner_page.get_by_role("button", name="Submit answer").click()
        expect(learner_page.locator(".verdict")).to_contain_text("Wrong" if number == 2 else "Right")
        learner_page.get_by_role("link", name="Next question" if number < 3 else "See your result").click()
    expect(learner_page.locator("[data-score]")).to_have_text("3.34 / 6")
    learner_context.close()

    # The teacher reads the score and downloads the CSV.
    page.goto(f"{live_server.url}/teach/")
    page.get_by_role("link", name="Prelims 2027 weekend").click()
    page.locator('[data-assignment="polity-weekly"]').get_by_role("link", name="Scores").click()
    row = page.locator('tr[data-learner="asha"]')
    expect(row.locator("[data-first-score]")).to_have_text("3.34")
    expect(row.locator("[data-status]")).to_have_text("Submitted")
    expect(page.locator("[data-submitted]")).to_have_text("1 of 1")
    with page.expect_download() as info:
        page.get_by_role("link", name="Download CSV").click()
    download = info.value
    assert download.suggested_filename == f"{code}-polity-weekly-scores.csv"
    text = open(download.path(), encoding="utf-8-sig", newline="").read()
    lines = text.split("\r\n")
    assert lines[0].startswith("Learner,Username,Status,First score,Best score,Correct,Wrong,Unanswered")
    assert re.fullmatch(r"Asha Iyer,asha,Submitted,3\.34,3\.34,2,1,0,0\.66,\d+,\d{4}-\d\d-\d\d \d\d:\d\d,1,1×,Topic \d+,0,", lines[1])  # weakest topic; no guesses
    assert lines[2:] == [""]
    assert Assignment.objects.get().quiz == quiz


def test_teacher_pages_through_the_learner_by_question_matrix(page, live_server, teacher, monkeypatch):
    monkeypatch.setattr(views, "MATRIX_PAGE_SIZE", 2)
    quiz = QuizFactory(slug="polity-weekly", with_questions=QuestionFactory.create_batch(2))
    classroom = ClassroomFactory(teacher=teacher, name="Prelims 2027")
    for name in ("anu", "bala", "chitra", "dev", "elango"):
        MembershipFactory(classroom=classroom, learner=UserFactory(username=name))
    AssignmentFactory(classroom=classroom, quiz=quiz)

    log_in(page, live_server, teacher.username)
    page.goto(f"{live_server.url}/teach/classes/{classroom.pk}/quizzes/polity-weekly/matrix/")
    # The caption names the table; the page links are a named navigation landmark.
    expect(page.get_by_role("table", name="Learners 1–2 of 5")).to_be_visible()
    pages = page.get_by_role("navigation", name="Pages of learners").first
    expect(pages.get_by_role("link", name="1", exact=True)).to_have_attribute("aria-current", "page")
    next_link = pages.get_by_role("link", name="Next")
    assert next_link.bounding_box()["height"] >= 44

    next_link.click()
    page.wait_for_url("**/matrix/?page=2")
    table = page.get_by_role("table", name="Learners 3–4 of 5")
    expect(table.locator("tbody tr")).to_have_count(2)
    expect(table.locator("tbody tr").first).to_have_attribute("data-learner", "chitra")
    expect(pages.get_by_role("link", name="2", exact=True)).to_have_attribute("aria-current", "page")

    pages.get_by_role("link", name="3", exact=True).click()
    expect(page.get_by_role("table", name="Learners 5–5 of 5").locator("tbody tr")).to_have_count(1)
    expect(pages.get_by_role("link", name="Next")).to_have_count(0)
    pages.get_by_role("link", name="Previous").click()
    expect(page.get_by_role("table", name="Learners 3–4 of 5")).to_be_visible()


def test_a_report_prints_from_its_button_with_only_the_report_on_the_page(page, live_server, teacher):
    """The Print button runs under the site's Content-Security-Policy (script-src 'self', so
    an inline onclick never runs), and the print stylesheet leaves the report alone, each
    block of ten questions whole on A4 landscape: nothing hides behind a scroll bar."""
    quiz = QuizFactory(slug="polity-weekly", title="Polity weekly", with_questions=QuestionFactory.create_batch(12))
    classroom = ClassroomFactory(teacher=teacher, name="Prelims 2027")
    MembershipFactory(classroom=classroom, learner=UserFactory(username="anu", first_name="Anuradha", last_name="Venkataraman"))
    AssignmentFactory(classroom=classroom, quiz=quiz)
    # The browser's print dialog would stop the test: count the calls instead.
    page.add_init_script("window.print = () => { window.printed = (window.printed || 0) + 1; };")
    errors = []
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    log_in(page, live_server, teacher.username)
    page.goto(f"{live_server.url}/teach/classes/{classroom.pk}/quizzes/polity-weekly/matrix/")

    page.get_by_role("button", name="Print").click()
    page.wait_for_timeout(300)
    assert (page.evaluate("window.printed"), errors) == (1, [])

    page.emulate_media(media="print")
    # A4 landscape inside the stylesheet's 12 mm margins: 273 mm at 96 px an inch.
    page.set_viewport_size({"width": 1031, "height": 730})
    for chrome in (".site-header", ".crumbs", ".report-tabs", ".report-actions"):
        assert page.locator(chrome).count() == 1
        expect(page.locator(chrome)).to_be_hidden()
    expect(page.get_by_role("heading", name="Polity weekly", exact=False)).to_be_visible()
    assert page.locator(".matrix-table").count() == 2  # questions 1-10, then 11-12
    scroll = page.eval_on_selector_all(".table-scroll", "els => els.map(e => getComputedStyle(e).overflowX)")
    assert set(scroll) == {"visible"}
    rights = page.eval_on_selector_all(".matrix-table", "els => els.map(e => e.getBoundingClientRect().right)")
    assert max(rights) <= 1031, rights


@pytest.mark.parametrize("report", ["", "items/", "matrix/"])
def test_each_report_fits_a_phone_and_its_table_scrolls_by_keyboard(phone, live_server, teacher, learner, report):
    """The table scrolls inside its box, not the page; the box takes focus from the keyboard
    (arrow keys then scroll it) and says what it holds."""
    quiz = QuizFactory(slug="polity-weekly", with_questions=QuestionFactory.create_batch(12))
    classroom = ClassroomFactory(teacher=teacher, name="Prelims 2027")
    MembershipFactory(classroom=classroom, learner=learner)
    AssignmentFactory(classroom=classroom, quiz=quiz)
    log_in(phone, live_server, teacher.username)
    phone.goto(f"{live_server.url}/teach/classes/{classroom.pk}/quizzes/polity-weekly/{report}")

    # The hidden "(right answer)" notes in the items table once widened the page to 1,139 px.
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    box = phone.locator(".table-scroll").first
    assert box.evaluate("e => e.scrollWidth > e.clientWidth"), "the table should be wider than a phone"
    expect(box).to_have_attribute("tabindex", "0")
    expect(box).to_have_attribute("role", "region")
    assert box.get_attribute("aria-label") or box.get_attribute("aria-labelledby")
    box.focus()
    phone.keyboard.press("ArrowRight")
    phone.keyboard.press("ArrowRight")
    expect(box).not_to_have_js_property("scrollLeft", 0)


def assert_targets_at_least_44_px(page, selector, name):
    targets = page.locator(selector).all()
    assert targets, f"{name}: nothing matches {selector}"
    for target in targets:
        box = target.bounding_box()
        assert box["width"] >= 44 and box["height"] >= 44, f"{name}: {target.inner_text()!r} is {box['width']:.0f}×{box['height']:.0f} px"


def test_small_links_are_44_px_touch_targets_on_a_phone(phone, live_server, teacher):
    """The log-in page's links under the form, report breadcrumbs and learner-name links."""
    quiz = QuizFactory(slug="polity-weekly", with_questions=QuestionFactory.create_batch(2))
    classroom = ClassroomFactory(teacher=teacher, name="Prelims 2027")
    learner = UserFactory(username="al", first_name="Al", last_name="")
    MembershipFactory(classroom=classroom, learner=learner)
    AssignmentFactory(classroom=classroom, quiz=quiz)
    from tests.helpers import T0, show, start, submit

    attempt = start(learner, quiz)
    for position in range(2):
        show(attempt, T0)
        submit(attempt, position, "skip", None, T0)

    phone.goto(f"{live_server.url}/accounts/login/")
    assert_targets_at_least_44_px(phone, ".form-page > p a", "log-in")
    log_in(phone, live_server, teacher.username)
    report = f"{live_server.url}/teach/classes/{classroom.pk}/quizzes/polity-weekly/"
    for path in ("", "items/", "matrix/", f"attempts/{attempt.pk}/"):
        phone.goto(report + path)
        assert_targets_at_least_44_px(phone, ".crumbs a", f"report {path}")
    for path in ("", "matrix/"):
        phone.goto(report + path)
        assert_targets_at_least_44_px(phone, ".report-table th[scope=row] a", f"learner names {path}")


def test_the_class_page_fits_a_phone_whatever_the_quiz_titles(phone, live_server, teacher, learner):
    """A select is as wide as its longest option: one long quiz title in "Assign a quiz" once
    widened the whole class page past a phone's width."""
    QuizFactory(slug="long", title="India-US 2+2 ministerial dialogues and defence cooperation: the whole bank, every question")
    classroom = ClassroomFactory(teacher=teacher, name="Prelims 2027")
    MembershipFactory(classroom=classroom, learner=learner)
    log_in(phone, live_server, teacher.username)
    phone.goto(f"{live_server.url}/teach/classes/{classroom.pk}/")
    expect(phone.get_by_label("Quiz:", exact=True)).to_be_visible()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
