"""The daily habit on a 360 px phone, in Chromium: the catalogue filtered by htmx without a
page load, a quiz's leaderboard, and reporting a problem with a question from the review."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from daily.models import ProblemReport, Profile
from tests.browser.conftest import log_in
from tests.factories import AttemptFactory, QuestionFactory, QuizFactory, TopicFactory, UserFactory
from tests.helpers import correct_choice, show, start, submit

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def learner(transactional_db):
    return UserFactory(username="asha")


def fits_the_phone(phone) -> None:
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360


def test_the_catalogue_filters_in_place_on_a_phone(phone, live_server, learner):
    now = timezone.now()
    polity = TopicFactory(name="Polity", slug="polity")
    # A topic name as long as the article bank's: the filter's select must still fit the phone.
    TopicFactory(name="Defence technology and industry (DTTI, iDEX, ISA) and the foundational agreements")
    QuizFactory(slug="today-polity", title="Polity daily", publish_at=now - timedelta(minutes=5),
                with_questions=[QuestionFactory(topic=polity)])
    QuizFactory(slug="yesterday-economy", title="Economy daily", publish_at=now - timedelta(days=1), with_questions=1)
    QuizFactory(slug="tomorrow", title="Tomorrow's quiz", publish_at=now + timedelta(days=1), with_questions=1)

    log_in(phone, live_server, learner.username)
    expect(phone.locator(".day-label")).to_have_text(["Today", "Yesterday"])
    expect(phone.locator("[data-quiz]")).to_have_count(2)  # tomorrow's is not out yet
    fits_the_phone(phone)
    phone.evaluate("window.stillTheSamePage = true")
    # The filters are folded, so that the first screen shows the quizzes.
    expect(phone.get_by_label("Search titles")).to_be_hidden()
    assert phone.locator('[data-quiz="today-polity"]').bounding_box()["y"] < 740
    phone.get_by_text("Search and filter").click()

    phone.get_by_label("Search titles").fill("economy")
    expect(phone.locator("[data-quiz]")).to_have_count(1)
    expect(phone.locator('[data-quiz="yesterday-economy"]')).to_be_visible()
    assert "q=economy" in phone.url
    phone.get_by_label("Search titles").fill("")
    phone.get_by_label("Topic").select_option(label="Polity")
    expect(phone.locator("[data-quiz]")).to_have_count(1)
    expect(phone.locator('[data-quiz="today-polity"]')).to_contain_text("Polity")
    assert phone.evaluate("window.stillTheSamePage") is True  # htmx swapped the list only
    fits_the_phone(phone)


def test_the_leaderboard_on_a_phone(phone, live_server, learner):
    quiz = QuizFactory(slug="polity-daily", title="Polity daily", with_questions=3)
    now = timezone.now()

    def finish(user, score, seconds):
        AttemptFactory(quiz=quiz, user=user, started_at=now - timedelta(minutes=10),
                       finished_at=now - timedelta(minutes=10) + timedelta(seconds=seconds),
                       score=Decimal(score), question_count=3)

    for n in range(7):
        rival = UserFactory(username=f"rival{n}")
        Profile.objects.create(user=rival, display_name=f"A rather long display name number {n}")
        finish(rival, "6", 30 + n)
    finish(UserFactory(username="quiet"), "4", 40)
    finish(learner, "2", 50)

    log_in(phone, live_server, learner.username)
    phone.goto(f"{live_server.url}/quizzes/polity-daily/leaderboard/")
    expect(phone.locator("[data-my-rank]")).to_contain_text("ranked 9 of 9")
    expect(phone.locator("[data-top-percent]")).to_have_text("top 100%")
    expect(phone.locator("tr[data-rank]")).to_have_count(9)
    expect(phone.locator('tr[data-rank="8"]')).to_contain_text("Aspirant")
    expect(phone.locator("tr.you")).to_contain_text("(you)")
    fits_the_phone(phone)


def test_a_learner_reports_a_problem_from_the_review_on_a_phone(phone, live_server, learner):
    quiz = QuizFactory(slug="polity-daily", title="Polity daily", with_questions=2)
    attempt = start(learner, quiz, timezone.now())
    for _ in range(2):
        now = timezone.now()
        response = show(attempt, now)
        submit(attempt, response.position, "answer", correct_choice(response).pk, now)

    log_in(phone, live_server, learner.username)
    phone.goto(f"{live_server.url}/attempts/{attempt.pk}/result/")
    phone.locator("#q2 [data-report]").click()
    expect(phone.get_by_role("heading", name="Report a problem")).to_be_visible()
    fits_the_phone(phone)
    phone.get_by_label("A fact is wrong or out of date").check()
    phone.get_by_label("Details (optional)").fill("The scheme was renamed in <2025>.")
    phone.get_by_role("button", name="Send report").click()

    expect(phone.locator(".message.success")).to_contain_text("your report is with the editors")
    assert phone.url.endswith(f"/attempts/{attempt.pk}/result/#q2")
    report = ProblemReport.objects.get()
    assert (report.reason, report.note, report.status) == ("factual", "The scheme was renamed in <2025>.", "open")
