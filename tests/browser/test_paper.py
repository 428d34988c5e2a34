"""Sitting a 10-question paper in Chromium, at phone size (360 x 740) and on a desktop: Start,
Save & Next, Mark for review & Next, moving by the palette, a reload that keeps the server's
time, changing an answer, the submit page's count, and the deadline passing with the page open:
the countdown reaches zero and the server closes and marks the paper.

The server's clock is moved with time_machine (the live server runs in this process), never
slept through: the browser's countdown runs only the last few seconds."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone
from playwright.sync_api import expect

from quiz.models import Attempt, Response
from tests.browser.conftest import PHONE, log_in
from tests.factories import QuizFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

DESKTOP = {"viewport": {"width": 1280, "height": 800}}


def states(page) -> list[str]:
    return page.locator(".palette-grid [data-state]").evaluate_all("cells => cells.map(c => c.dataset.state)")


def pick(page, letter: str) -> None:
    page.locator("label.option", has=page.locator(f"input[data-letter='{letter}']")).click()


@pytest.mark.parametrize("size", ["phone", "desktop"])
def test_a_learner_sits_a_ten_question_paper_until_its_deadline_passes(browser, live_server, size):
    UserFactory(username="asha")
    quiz = QuizFactory(slug="mock-paper", timing="paper", feedback="end", seconds_per_question=72, with_questions=10)
    context = browser.new_context(**(PHONE if size == "phone" else DESKTOP))
    context.set_default_timeout(15_000)
    page = context.new_page()
    try:
        with time_machine.travel(timezone.now(), tick=True) as clock:
            log_in(page, live_server, "asha")
            page.goto(f"{live_server.url}/quizzes/{quiz.slug}/")
            page.get_by_role("button", name="Start quiz").click()
            page.wait_for_url(re.compile(r"/paper/1/$"))
            expect(page.get_by_role("heading", name=re.compile("^Question 1"))).to_be_visible()
            assert states(page) == ["not_answered"] + ["not_seen"] * 9
            expect(page.locator("[data-timer-clock]")).to_have_text(re.compile(r"^1[12]:\d\d$"))

            pick(page, "A")  # right
            page.get_by_role("button", name="Save & Next").click()
            page.wait_for_url(re.compile(r"/paper/2/$"))
            pick(page, "B")  # wrong, and unsure
            page.get_by_role("button", name="Mark for review & Next").click()
            page.wait_for_url(re.compile(r"/paper/3/$"))

            # Straight to question 7 by the palette: a plain link.
            page.get_by_role("link", name="Question 7: not yet seen").click()
            page.wait_for_url(re.compile(r"/paper/7/$"))
            pick(page, "A")
            page.get_by_role("button", name="Save & Next").click()
            page.wait_for_url(re.compile(r"/paper/8/$"))

            # Four minutes later, a reload: the same question, the server's time left.
            clock.shift(timedelta(minutes=4))
            page.reload()
            expect(page.get_by_role("heading", name=re.compile("^Question 8"))).to_be_visible()
            expect(page.locator("[data-timer-clock]")).to_have_text(re.compile(r"^[78]:\d\d$"))
            assert states(page)[:8] == ["answered", "marked", "not_answered", "not_seen", "not_seen", "not_seen", "answered", "not_answered"]

            # Back to question 1: the saved answer is checked; change it.
            page.get_by_role("link", name="Question 1: answered").click()
            expect(page.locator("input[data-letter='A']")).to_be_checked()
            pick(page, "B")
            page.get_by_role("button", name="Save & Next").click()
            page.wait_for_url(re.compile(r"/paper/2/$"))

            page.get_by_role("link", name="Submit paper").click()
            expect(page.locator("[data-submit-summary]")).to_have_text(
                "7 questions unanswered and 1 marked for review, of 10."
            )
            page.get_by_role("link", name="Back to the paper").click()
            page.wait_for_url(re.compile(r"/paper/2/$"))

            # The deadline comes with the page open: the countdown's last seconds run for real.
            attempt = Attempt.objects.get()
            clock.move_to(attempt.deadline - timedelta(seconds=3))
            page.reload()
            page.wait_for_url(re.compile(r"/result/$"), timeout=20_000)
            expect(page.locator("body")).to_contain_text("0.68")
        attempt.refresh_from_db()
        assert attempt.finished_at == attempt.deadline
        assert (attempt.correct_count, attempt.wrong_count, attempt.unanswered_count) == (1, 2, 7)
        on_screen = dict(Response.objects.filter(attempt=attempt).values_list("position", "seconds_on_screen"))
        assert on_screen[7] >= 240  # question 8 was on screen through the four minutes
    finally:
        context.close()
