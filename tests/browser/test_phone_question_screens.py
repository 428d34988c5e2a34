"""The learner's question and feedback screens over the whole article bank, at 360 x 740 (a
common Android phone: touch, device scale 2) and at 1280 x 800: the clock and Submit always in
view, the options reachable with little or no scrolling and never under the bottom bar, and
after each answer the verdict, the marks and "Next question" on the first screen."""

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from tests.browser.conftest import PHONE, log_in
from tests.factories import QuestionFactory, QuizFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

DESKTOP = {"viewport": {"width": 1280, "height": 800}}
SIZES = {"phone": PHONE, "desktop": DESKTOP}
WHOLE_BANK = "india-us-2plus2-whole-bank"

# Where things are on screen, in CSS px from the viewport's top: plain numbers, since
# Playwright does not carry DOMRect objects across.
QUESTION_GEOMETRY = """() => {
  const box = el => { const r = el.getBoundingClientRect(); return {top: r.top, bottom: r.bottom}; };
  const options = document.querySelectorAll('label.option');
  return {
    viewport: innerHeight,
    timer: box(document.querySelector('[data-timer]')),
    submit: box(document.querySelector('button[value=answer]')),
    bar: box(document.querySelector('.answer-bar')),
    lastOption: box(options[options.length - 1]),
  };
}"""

FEEDBACK_GEOMETRY = """() => {
  const box = el => { const r = el.getBoundingClientRect(); return {top: r.top, bottom: r.bottom}; };
  return {
    viewport: innerHeight,
    verdict: box(document.querySelector('.feedback .verdict')),
    marks: box(document.querySelector('.feedback .marks')),
    next: box(document.querySelector('[data-next]')),
    explanation: box(document.querySelector('.feedback .explanation')),
  };
}"""


def in_view(box, viewport):
    return box["top"] >= 0 and box["bottom"] <= viewport


@pytest.fixture
def article_bank(transactional_db):
    call_command("loaddata", "article_source", "article_bank", "article_quizzes", verbosity=0)


def check_question(page, number):
    """The question on screen, from the top and scrolled to its end. True if the learner must
    scroll to reach its last option."""
    page.evaluate("window.scrollTo(0, 0)")
    top = page.evaluate(QUESTION_GEOMETRY)
    assert in_view(top["timer"], top["viewport"]), f"question {number}: the timer is out of view"
    assert in_view(top["submit"], top["viewport"]), f"question {number}: Submit is out of view"
    must_scroll = top["lastOption"]["bottom"] > top["bar"]["top"]
    page.evaluate("window.scrollTo(0, document.documentElement.scrollHeight)")
    end = page.evaluate(QUESTION_GEOMETRY)
    assert in_view(end["timer"], end["viewport"]), f"question {number}: the timer scrolled out of view"
    assert in_view(end["submit"], end["viewport"]), f"question {number}: Submit scrolled out of view"
    # Scrolled to the end, the bar covers no part of the last option.
    assert end["lastOption"]["bottom"] <= end["bar"]["top"], f"question {number}: the bar covers the last option"
    return must_scroll


def check_feedback(page, number):
    page.evaluate("window.scrollTo(0, 0)")
    shown = page.evaluate(FEEDBACK_GEOMETRY)
    for part in ("verdict", "marks", "next"):
        assert in_view(shown[part], shown["viewport"]), f"feedback {number}: {part} needs scrolling"
    # The explanation (and the passage) follow the verdict and the way on.
    assert shown["explanation"]["top"] > shown["verdict"]["bottom"]


# 100 screens at each size: once, as production runs; the other tests run with DEBUG on too.
@pytest.mark.debug_off_only
@pytest.mark.parametrize("size", SIZES)
def test_every_question_of_the_article_bank_fits_the_screen(browser, live_server, article_bank, size):
    UserFactory(username="meera")
    context = browser.new_context(**SIZES[size])
    context.set_default_timeout(10_000)
    page = context.new_page()
    try:
        log_in(page, live_server, "meera")
        page.goto(f"{live_server.url}/quizzes/{WHOLE_BANK}/")
        page.get_by_role("button", name="Start quiz").click()
        total = 0
        scrolled = []
        while True:
            expect(page.locator("[data-question], [data-feedback]").first).to_be_visible()
            heading = page.locator("#question-title")
            number = int(page.locator("[data-question]").get_attribute("data-question"))
            total = int(page.locator(".question-count").inner_text().split()[-1])
            expect(heading).to_be_focused()
            if check_question(page, number):
                scrolled.append(number)
            page.get_by_role("button", name="Skip (0 marks)").click()
            expect(page.locator(f'[data-feedback="{number}"]')).to_be_visible()
            check_feedback(page, number)
            if number == total:
                break
            page.get_by_role("link", name="Next question").click()
            expect(page.locator(f'[data-question="{number + 1}"]')).to_be_visible()
        assert total >= 40
        print(f"{size}: {len(scrolled)} of {total} questions need scrolling to reach the last option: {scrolled}")
        assert len(scrolled) <= total // 10, f"{len(scrolled)} of {total} need scrolling: {scrolled}"
    finally:
        context.close()


def test_the_header_is_one_row_on_a_phone_with_a_menu_that_needs_no_javascript(browser, live_server):
    UserFactory(username="meera")
    context = browser.new_context(java_script_enabled=False, **PHONE)
    page = context.new_page()
    try:
        log_in(page, live_server, "meera")
        header = page.locator(".site-header").bounding_box()
        assert header["height"] <= 48, f"the header is {header['height']} px high"
        attempts = page.locator(".site-header").get_by_role("link", name="My attempts")
        expect(attempts).to_be_hidden()
        menu = page.locator(".site-menu summary")
        assert menu.bounding_box()["height"] >= 44 and menu.bounding_box()["width"] >= 44
        menu.tap()
        expect(attempts).to_be_visible()
        attempts.tap()
        page.wait_for_url(f"{live_server.url}/attempts/")
    finally:
        context.close()


def test_on_a_desktop_the_header_shows_its_links_without_a_menu(browser, live_server):
    UserFactory(username="meera")
    context = browser.new_context(**DESKTOP)
    page = context.new_page()
    try:
        log_in(page, live_server, "meera")
        expect(page.locator(".site-menu summary")).to_be_hidden()
        for name in ("Quizzes", "My attempts", "Join a class", "Password"):
            expect(page.locator(".site-header").get_by_role("link", name=name)).to_be_visible()
        expect(page.get_by_role("button", name="Log out")).to_be_visible()
        assert page.locator(".site-header").bounding_box()["height"] <= 48
    finally:
        context.close()


def test_n_or_enter_on_the_feedback_goes_to_the_next_question(page, live_server):
    UserFactory(username="meera")
    QuizFactory(slug="keys", with_questions=QuestionFactory.create_batch(3))
    log_in(page, live_server, "meera")
    page.goto(f"{live_server.url}/quizzes/keys/")
    page.get_by_role("button", name="Start quiz").click()
    page.evaluate("window.loadedOnce = true")  # gone if a key reloaded the whole page
    for number, key in ((1, "n"), (2, "Enter")):
        expect(page.get_by_role("heading", name=f"Question {number}")).to_be_focused()
        page.keyboard.press("b")
        page.keyboard.press("Enter")
        expect(page.locator(f'[data-feedback="{number}"] .verdict')).to_be_focused()
        expect(page.locator(".feedback .keys-hint")).to_be_visible()
        page.keyboard.press(key)
        expect(page.get_by_role("heading", name=f"Question {number + 1}")).to_be_visible()
    assert page.evaluate("window.loadedOnce") is True


def test_a_touch_only_phone_shows_no_keyboard_hints(phone, live_server):
    UserFactory(username="meera")
    QuizFactory(slug="touch", with_questions=QuestionFactory.create_batch(2))
    log_in(phone, live_server, "meera")
    phone.goto(f"{live_server.url}/quizzes/touch/")
    phone.get_by_role("button", name="Start quiz").tap()
    expect(phone.get_by_role("heading", name="Question 1")).to_be_visible()
    expect(phone.locator(".keys-hint")).to_be_hidden()
    phone.get_by_role("button", name="Skip (0 marks)").tap()
    expect(phone.locator(".feedback .verdict")).to_be_visible()
    expect(phone.locator(".keys-hint")).to_be_hidden()


def finished_attempt(user, count=12):
    """An attempt with every outcome, its questions closed by the services a second apart."""
    from datetime import timedelta

    from django.utils import timezone

    from tests.helpers import correct_choice, show, start, submit, wrong_choice

    quiz = QuizFactory(slug="review", with_questions=QuestionFactory.create_batch(count))
    now = timezone.now() - timedelta(hours=1)
    attempt = start(user, quiz, now)
    for position in range(count):
        current = show(attempt, now)
        kind = position % 4
        if kind == 3:  # a time-out, found when the learner came back
            now += timedelta(seconds=40)
            continue
        now += timedelta(seconds=9.7)
        choice = {0: correct_choice, 1: wrong_choice}.get(kind)
        submit(attempt, position, "answer" if choice else "skip", choice(current).pk if choice else None, now)
    show(attempt, now)
    return attempt


# Each cell on one line: its parts share one middle and none spills out of the cell.
TIMELINE_CELLS = """() => [...document.querySelectorAll('.timeline li')].map(li => {
  const middle = el => { const r = el.getBoundingClientRect(); return (r.top + r.bottom) / 2; };
  const texts = li.querySelectorAll('span');
  return {
    oneLine: [...texts].every(t => t.getClientRects().length === 1 && Math.abs(middle(t) - middle(li)) < 4),
    fits: li.scrollWidth <= li.clientWidth,
    width: li.scrollWidth,
  };
})"""


@pytest.mark.parametrize("size", SIZES)
def test_the_result_page_filters_and_collapses_the_review_without_javascript(browser, live_server, size):
    learner = UserFactory(username="meera")
    attempt = finished_attempt(learner)
    context = browser.new_context(java_script_enabled=False, **SIZES[size])
    page = context.new_page()
    try:
        log_in(page, live_server, "meera")
        page.goto(f"{live_server.url}/attempts/{attempt.pk}/result/")
        cells = page.evaluate(TIMELINE_CELLS)
        assert len(cells) == 12 and all(c["oneLine"] and c["fits"] for c in cells), cells
        assert page.evaluate("document.documentElement.scrollWidth") <= SIZES[size]["viewport"]["width"]
        expect(page.locator(".review-item")).to_have_count(12)
        page.get_by_role("link", name="Wrong (3)").click()
        expect(page.locator(".review-item")).to_have_count(3)
        expect(page.locator(".review-item .verdict")).to_contain_text(["Wrong"] * 3)
        page.get_by_role("link", name="Skipped or timed out (6)").click()
        expect(page.locator(".review-item")).to_have_count(6)
        first = page.locator(".review-item").first
        expect(first.locator(".explanation")).to_be_visible()
        first.locator("summary").click()
        expect(first.locator(".explanation")).to_be_hidden()
        page.get_by_role("link", name="All (12)").click()
        expect(page.locator(".review-item")).to_have_count(12)
    finally:
        context.close()
