"""The learning loop in Chromium at phone size (360 x 740) and on a desktop: a learner answers with confidence
marks (keys and taps), sees the mistakes notebook fill, comes back the next day (the server's
clock moved on and frozen there: the live server runs in this process, so time_machine moves
its clock too) to revise the due cards in the timed engine, and sees the progress page change."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone
from playwright.sync_api import expect

from learning.models import Card
from quiz.models import Attempt, Response
from tests.browser.conftest import PHONE, log_in
from tests.factories import QuestionFactory, QuizFactory

pytestmark = pytest.mark.django_db(transaction=True)
SIZES = {"phone": PHONE, "desktop": {"viewport": {"width": 1280, "height": 800}}}


@pytest.fixture(params=list(SIZES))
def phone(request, browser):
    """The page, at phone size (360 x 740, touch) and on a desktop screen."""
    context = browser.new_context(**SIZES[request.param])
    context.set_default_timeout(10_000)
    yield context.new_page()
    context.close()


def answer(phone, number, letter, confidence_key=None, confidence_tap=None):
    """Pick an option by its letter key, say how sure by key or by tapping, submit, go on."""
    expect(phone.get_by_role("heading", name=f"Question {number}")).to_be_visible()
    phone.keyboard.press(letter)
    if confidence_key:
        phone.keyboard.press(confidence_key)
    if confidence_tap:
        phone.get_by_label(confidence_tap).check()
    phone.get_by_role("button", name="Submit answer").click()


def test_confidence_marks_fill_the_notebook_and_a_due_card_is_revised_the_next_day(phone, live_server, learner):
    questions = QuestionFactory.create_batch(3)  # option (a) is right
    QuizFactory(slug="daily", title="Daily current affairs", with_questions=questions)
    log_in(phone, live_server, learner.username)

    phone.goto(f"{live_server.url}/quizzes/daily/")
    phone.get_by_role("button", name=re.compile("Start")).click()
    answer(phone, 1, "B", confidence_key="G")  # wrong, a guess
    expect(phone.locator(".feedback [data-confidence]")).to_have_text("You said: Guess")
    phone.keyboard.press("N")
    answer(phone, 2, "A", confidence_tap="Sure")  # right and sure
    expect(phone.locator(".feedback [data-confidence]")).to_have_text("You said: Sure")
    phone.keyboard.press("N")
    answer(phone, 3, "C")  # wrong, no mark
    phone.get_by_role("link", name="See your result").click()
    expect(phone.get_by_role("button", name="Retake only the questions I got wrong")).to_be_visible()
    attempt = Attempt.objects.get(user=learner)
    assert list(attempt.responses.order_by("position").values_list("confidence", flat=True)) == ["guess", "sure", ""]

    # The notebook fills with the two mistakes, due tomorrow.
    assert phone.locator('nav a[href="/progress/"]').count() == 1  # "My progress" in the header
    phone.goto(f"{live_server.url}/progress/")
    expect(phone.locator("[data-progress-due]")).to_have_text("0 due")
    expect(phone.locator("[data-progress-deck]")).to_contain_text("of 2")
    assert Card.objects.filter(user=learner).count() == 2
    # Each question is on a topic of its own: one dot a topic, and a sentence saying what it shows.
    trends = phone.locator("[data-topic-trend]")
    expect(trends).to_have_count(3)
    expect(phone.locator("[data-topic-trend] svg.sparkline circle")).to_have_count(3)
    summaries = phone.locator("[data-topic-trend-summary]")
    expect(summaries.filter(has_text="0% right (0 of 1) on 1 day with answers.")).to_have_count(2)
    expect(summaries.filter(has_text="100% right (1 of 1) on 1 day with answers.")).to_have_count(1)
    assert phone.evaluate("document.documentElement.scrollWidth <= innerWidth")

    with time_machine.travel(timezone.now() + timedelta(days=1, hours=1), tick=False):
        phone.goto(f"{live_server.url}/progress/")
        expect(phone.locator("[data-progress-due]")).to_have_text("2 due")
        phone.goto(f"{live_server.url}/")
        phone.get_by_role("button", name="Revise: 2 due").click()
        for number in (1, 2):
            # A revision shuffles the options: tap the right one (the factory's option A) by its text.
            expect(phone.get_by_role("heading", name=f"Question {number}")).to_be_visible()
            phone.locator(".option-text").filter(has_text=re.compile(r"^Q\d+ option A$")).click()
            phone.keyboard.press("S")
            phone.get_by_role("button", name="Submit answer").click()
            expect(phone.locator(".feedback .verdict")).to_contain_text("Right")
            phone.locator("[data-next]").click()
        expect(phone.get_by_text("A revision session")).to_be_visible()
        phone.goto(f"{live_server.url}/progress/")
        expect(phone.locator("[data-progress-due]")).to_have_text("0 due")
        # The revision, right and sure twice, leaves the topics' figures as they were.
        expect(phone.locator("[data-topic-trend-summary]").filter(has_text="100% right")).to_have_count(1)

    revision = Attempt.objects.get(user=learner, is_revision=True)
    assert set(Response.objects.filter(attempt=revision).values_list("confidence", flat=True)) == {"sure"}
    # The quiz's own score is untouched by the revision.
    attempt.refresh_from_db()
    assert attempt.correct_count == 1 and attempt.wrong_count == 2
    assert all(card.reviews == 2 for card in Card.objects.filter(user=learner))
