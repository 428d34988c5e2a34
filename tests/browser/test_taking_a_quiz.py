"""A learner takes quizzes in Chromium: clicking, keys, the countdown, time-outs, reloads,
and the same flow on a 360 x 740 phone screen."""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from quiz.models import Attempt, Response
from tests.browser.conftest import log_in
from tests.factories import QuestionFactory, QuizFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def learner(transactional_db):
    return UserFactory(username="asha")


def make_quiz(count=3, **kwargs):
    return QuizFactory(slug=kwargs.pop("slug", "practice"), with_questions=QuestionFactory.create_batch(count), **kwargs)


def option_texts(page):
    return page.locator(".option-text").all_inner_texts()


def right_text(attempt, number):
    response = Response.objects.get(attempt=attempt, position=number - 1)
    return response.question.choices.get(is_correct=True).text


def start_quiz(page, live_server, quiz):
    page.goto(f"{live_server.url}/")
    page.locator(f'[data-quiz="{quiz.slug}"]').get_by_role("link", name="Start quiz").click()
    expect(page.get_by_text("The clock of each question starts when it appears")).to_be_visible()
    page.get_by_role("button", name="Start quiz").click()
    expect(page.get_by_role("heading", name="Question 1")).to_be_visible()
    return Attempt.objects.get(quiz=quiz)


def test_learner_takes_a_whole_quiz_by_clicking(page, live_server, learner):
    quiz = make_quiz()
    log_in(page, live_server, learner.username)
    attempt = start_quiz(page, live_server, quiz)
    page.evaluate("window.loadedOnce = true")  # gone if the page fully reloads
    for number in (1, 2, 3):
        expect(page.get_by_role("heading", name=f"Question {number}")).to_be_visible()
        pick = right_text(attempt, number) if number != 2 else next(
            t for t in option_texts(page) if t != right_text(attempt, number)
        )
        page.locator("label.option", has_text=pick).click()
        page.get_by_role("button", name="Submit answer").click()
        verdict = page.locator(".verdict")
        expect(verdict).to_contain_text("Wrong" if number == 2 else "Right")
        expect(page.locator(".explanation")).to_be_visible()
        expect(page.locator(".passage blockquote")).to_be_visible()
        assert page.evaluate("window.loadedOnce") is True
        if number < 3:
            page.get_by_role("link", name="Next question").click()
    page.get_by_role("link", name="See your result").click()
    expect(page.locator("[data-score]")).to_have_text("3.34 / 6")
    expect(page.locator("[data-correct]")).to_have_text("2")
    expect(page.locator("[data-wrong]")).to_have_text("1")
    expect(page.locator(".review-item")).to_have_count(3)
    attempt.refresh_from_db()
    assert attempt.is_finished and str(attempt.score) == "3.34"


def test_learner_takes_a_quiz_by_keyboard_and_focus_follows_each_swap(page, live_server, learner):
    quiz = make_quiz(count=2, feedback="end")
    log_in(page, live_server, learner.username)
    attempt = start_quiz(page, live_server, quiz)
    expect(page.locator("#question-title")).to_be_focused()
    page.keyboard.press("1")
    expect(page.locator("input[data-key='1']")).to_be_checked()
    page.keyboard.press("b")
    expect(page.locator("input[data-letter='B']")).to_be_checked()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Question 2")).to_be_visible()
    expect(page.locator("#question-title")).to_be_focused()
    page.keyboard.press("a")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/attempts/\d+/result/$"))
    responses = list(Response.objects.filter(attempt=attempt).order_by("position"))
    assert [r.outcome for r in responses] == [
        "correct" if responses[0].choice.position == 0 else "wrong",
        "correct",
    ]
    assert responses[0].choice_id == responses[0].option_order[1]
    # Exam mode: nothing of question 1's answer reached the page before the end.
    expect(page.locator(".review-item")).to_have_count(2)


def tab_to(page, name):
    """Press Tab until the link or button called `name` has focus, as a keyboard user would."""
    target = page.get_by_role("link", name=name)
    for _ in range(6):
        page.keyboard.press("Tab")
        if target.evaluate("e => e === document.activeElement"):
            return
    raise AssertionError(f"{name!r} cannot be reached with Tab")


def test_keyboard_alone_takes_a_quiz_with_feedback_after_each_question(page, live_server, learner):
    quiz = make_quiz(count=2)
    log_in(page, live_server, learner.username)
    attempt = start_quiz(page, live_server, quiz)
    for number, key in ((1, "d"), (2, "1")):
        expect(page.locator("#question-title")).to_be_focused()
        page.keyboard.press(key)
        page.keyboard.press("Enter")
        expect(page.locator("#feedback-title")).to_be_focused()  # the verdict, read out first
        tab_to(page, "Next question" if number == 1 else "See your result")
        page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/attempts/\d+/result/$"))
    responses = Response.objects.filter(attempt=attempt).order_by("position")
    assert [r.choice_id for r in responses] == [responses[0].option_order[3], responses[1].option_order[0]]


def test_countdown_falls_and_is_announced_at_ten_and_five_seconds(page, live_server, learner):
    quiz = make_quiz(count=1, seconds_per_question=19)
    log_in(page, live_server, learner.username)
    page.clock.install()
    start_quiz(page, live_server, quiz)
    timer = page.get_by_role("timer")
    announcer = page.locator("[data-timer-announce]")
    first = int(page.locator("[data-timer-seconds]").inner_text())
    assert first in (18, 19)
    page.clock.run_for(3000)
    expect(page.locator("[data-timer-seconds]")).to_have_text(str(first - 3))
    expect(announcer).to_have_text("")
    page.clock.run_for((first - 10) * 1000 - 3000 + 100)
    expect(announcer).to_have_text("10 seconds left")
    page.clock.run_for(2000)
    expect(announcer).to_have_text("10 seconds left")
    page.clock.run_for(3000)
    expect(announcer).to_have_text("5 seconds left")
    assert timer.get_attribute("aria-live") == "off"
    bar = float(page.locator("progress.timer-bar").get_attribute("value") or page.evaluate("document.querySelector('progress').value"))
    assert bar <= 5.5


def test_a_question_times_out_in_the_browser_and_the_quiz_moves_on(page, live_server, learner):
    quiz = make_quiz(count=2, seconds_per_question=2)
    log_in(page, live_server, learner.username)
    attempt = start_quiz(page, live_server, quiz)
    expect(page.locator(".verdict")).to_contain_text("Timed out", timeout=8000)
    first = Response.objects.get(attempt=attempt, position=0)
    assert first.outcome == "timed_out" and first.marks == 0
    page.get_by_role("link", name="Next question").click()
    expect(page.get_by_role("heading", name="Question 2")).to_be_visible()


def test_an_exam_moves_on_by_itself_each_time_a_clock_runs_out(page, live_server, learner):
    quiz = make_quiz(count=2, seconds_per_question=2, feedback="end")
    log_in(page, live_server, learner.username)
    attempt = start_quiz(page, live_server, quiz)
    expect(page.get_by_role("heading", name="Question 2")).to_be_visible(timeout=8000)
    expect(page.locator("#question-title")).to_be_focused()
    page.wait_for_url(re.compile(r"/attempts/\d+/result/$"), timeout=8000)
    expect(page.locator("[data-unanswered]")).to_have_text("2")
    assert [r.outcome for r in Response.objects.filter(attempt=attempt)] == ["timed_out", "timed_out"]


def test_reloading_mid_question_keeps_the_clock_running(page, live_server, learner):
    quiz = make_quiz(count=2, seconds_per_question=19)
    log_in(page, live_server, learner.username)
    attempt = start_quiz(page, live_server, quiz)
    stem = page.locator(".stem").inner_text()
    page.wait_for_timeout(2100)
    page.reload()
    expect(page.locator(".stem")).to_have_text(stem)
    left = int(page.locator("[data-timer-seconds]").inner_text())
    assert left <= 17
    shown = Response.objects.get(attempt=attempt, position=0)
    assert shown.is_open and shown.shown_at is not None


def test_whole_quiz_on_a_phone_screen(phone, live_server, learner):
    quiz = make_quiz(count=2)
    log_in(phone, live_server, learner.username)
    attempt = start_quiz(phone, live_server, quiz)
    for number in (1, 2):
        assert phone.evaluate("document.documentElement.scrollWidth") <= 360
        for target in phone.locator("label.option, .answer-bar button").all():
            assert target.bounding_box()["height"] >= 44
        phone.locator("label.option", has_text=right_text(attempt, number)).tap()
        phone.get_by_role("button", name="Submit answer").tap()
        expect(phone.locator(".verdict")).to_contain_text("Right")
        link = "Next question" if number == 1 else "See your result"
        phone.get_by_role("link", name=link).tap()
    expect(phone.locator("[data-score]")).to_have_text("4 / 4")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360


def test_question_page_weighs_under_100_kb_with_htmx(page, live_server, learner):
    quiz = make_quiz(count=1)
    log_in(page, live_server, learner.username)
    start_quiz(page, live_server, quiz)
    page.reload()
    page.wait_for_load_state("load")
    total = page.evaluate(
        """() => {
        const nav = performance.getEntriesByType('navigation')[0];
        const resources = performance.getEntriesByType('resource');
        return [nav, ...resources].reduce((sum, e) => sum + (e.transferSize || e.encodedBodySize), 0);
    }"""
    )
    scripts = page.evaluate("[...document.scripts].map(s => s.src)")
    assert any("htmx-2" in src for src in scripts)
    assert 0 < total < 100 * 1024, f"question page weighs {total} bytes"


def test_the_same_urls_work_as_full_pages_with_javascript_off(browser, live_server, learner):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    try:
        quiz = make_quiz(count=2)
        log_in(page, live_server, learner.username)
        attempt = start_quiz(page, live_server, quiz)
        page.locator("label.option", has_text=right_text(attempt, 1)).click()
        page.get_by_role("button", name="Submit answer").click()
        page.wait_for_url(re.compile(r"/attempts/\d+/questions/1/$"))
        expect(page.locator(".verdict")).to_contain_text("Right")
        page.get_by_role("link", name="Next question").click()
        expect(page.get_by_role("heading", name="Question 2")).to_be_visible()
        page.get_by_role("button", name="Skip (0 marks)").click()
        expect(page.locator(".verdict")).to_contain_text("Skipped")
        page.get_by_role("link", name="See your result").click()
        expect(page.locator("[data-score]")).to_have_text("2 / 4")
    finally:
        context.close()


def test_logged_out_in_another_tab_the_learner_logs_in_and_is_back_on_the_question(context, page, live_server, learner):
    quiz = make_quiz(count=2)
    log_in(page, live_server, learner.username)
    attempt = start_quiz(page, live_server, quiz)
    other_tab = context.new_page()
    other_tab.goto(f"{live_server.url}/attempts/")
    other_tab.get_by_role("button", name="Log out").click()
    other_tab.wait_for_url(re.compile(r"/accounts/login/"))

    page.locator("label.option").first.click()
    page.get_by_role("button", name="Submit answer").click()
    page.wait_for_url(f"{live_server.url}/accounts/login/?next=/attempts/{attempt.pk}/")
    expect(page.locator("#stage")).to_have_count(0)  # the whole page, not a page in the question's box
    page.get_by_label("Username").fill(learner.username)
    page.get_by_label("Password").fill("correct horse battery staple")
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(f"{live_server.url}/attempts/{attempt.pk}/")
    expect(page.get_by_role("heading", name="Question 1")).to_be_visible()
    assert Response.objects.get(attempt=attempt, position=0).is_open


def test_back_button_and_a_second_tab_never_restart_the_clock(context, page, live_server, learner):
    quiz = make_quiz(count=2)
    log_in(page, live_server, learner.username)
    attempt = start_quiz(page, live_server, quiz)
    page.locator("label.option", has_text=right_text(attempt, 1)).click()
    page.get_by_role("button", name="Submit answer").click()
    expect(page.locator(".verdict")).to_contain_text("Right")
    page.get_by_role("link", name="Next question").click()
    expect(page.get_by_role("heading", name="Question 2")).to_be_visible()
    first_shown_at = Response.objects.get(attempt=attempt, position=1).shown_at
    assert first_shown_at is not None
    page.go_back()
    # Back shows question 1 answered, with nothing to answer again.
    expect(page.locator(".verdict")).to_contain_text("Right")
    expect(page.locator("[data-answer-form]")).to_have_count(0)
    other_tab = context.new_page()
    other_tab.goto(f"{live_server.url}/attempts/{attempt.pk}/")
    expect(other_tab.get_by_role("heading", name="Question 2")).to_be_visible()
    # The second tab shows question 2's clock as it stands, not a fresh 19 seconds.
    left = float(other_tab.locator("[data-timer]").get_attribute("data-seconds-left"))
    really_left = 19 - (timezone.now() - first_shown_at).total_seconds()
    assert left < 19 and abs(left - really_left) < 1, (left, really_left)
    page.go_forward()
    expect(page.get_by_role("heading", name="Question 2")).to_be_visible()
    assert Response.objects.get(attempt=attempt, position=1).shown_at == first_shown_at
    assert Response.objects.get(attempt=attempt, position=0).outcome == "correct"


@pytest.mark.parametrize("size", ["desktop", "phone"])
def test_the_option_selected_when_time_runs_out_is_submitted(browser, live_server, learner, size):
    from tests.browser.conftest import PHONE

    context = browser.new_context(**(PHONE if size == "phone" else {"viewport": {"width": 1280, "height": 800}}))
    page = context.new_page()
    try:
        quiz = make_quiz(count=2, seconds_per_question=2)
        log_in(page, live_server, learner.username)
        attempt = start_quiz(page, live_server, quiz)
        page.locator("label.option").nth(1).click()
        expect(page.locator(".ran-out")).to_have_text("Time ran out: your selected answer (b) was submitted.", timeout=8000)
        first = Response.objects.get(attempt=attempt, position=0)
        assert first.choice_id == first.option_order[1] and first.outcome in ("correct", "wrong")
        expect(page.locator(".tag.chosen")).to_be_visible()
    finally:
        context.close()


def test_submit_without_an_option_shows_the_message_in_place(page, live_server, learner, debug_mode):
    """The 400 fragment swaps into the question's box, DEBUG on (django-htmx's debug script
    would put it in place of the whole document) or off."""
    quiz = make_quiz(count=2)
    log_in(page, live_server, learner.username)
    start_quiz(page, live_server, quiz)
    scripts = " ".join(page.evaluate("[...document.scripts].map(s => s.src)"))
    assert ("django-htmx.js" in scripts) is debug_mode
    page.evaluate("window.loadedOnce = true")
    page.get_by_role("button", name="Submit answer").click()
    expect(page.get_by_role("alert")).to_have_text("Pick one of the four options before you submit, or skip the question.")
    expect(page.locator(".site-header")).to_be_visible()
    assert page.title().endswith("· Pariksha") and page.evaluate("window.loadedOnce") is True
    expect(page.get_by_role("heading", name="Question 1")).to_be_visible()
    page.locator("label.option").first.click()
    page.get_by_role("button", name="Submit answer").click()
    expect(page.locator(".verdict")).to_be_visible()


def test_the_countdown_rewrites_its_text_only_when_the_second_changes(page, live_server, learner):
    quiz = make_quiz(count=1)
    log_in(page, live_server, learner.username)
    start_quiz(page, live_server, quiz)
    page.evaluate(
        """() => {
        window.timerWrites = 0;
        new MutationObserver(records => { window.timerWrites += records.length; })
          .observe(document.querySelector('.timer-text'), {childList: true, characterData: true, subtree: true});
    }"""
    )
    before = int(page.locator("[data-timer-seconds]").inner_text())
    # The countdown as the learner watches it: three seconds go by.
    expect(page.locator("[data-timer-seconds]")).to_have_text(str(before - 3), timeout=6000)
    writes = page.evaluate("window.timerWrites")
    # A tick every 100 ms rewrote it about 20 to 30 times in that while; now once a second shown.
    assert writes == 3, f"{writes} writes for 3 seconds"
