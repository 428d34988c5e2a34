"""A quiz taken in Hindi on a phone (issue 19, part 3, point 8): at 360 x 740 a learner
switches to हिन्दी, takes a quiz of the article bank reading its stems, options and interface in
Hindi, switches to English in the middle with the header's switch (the server's deadline for
the open question does not move), finishes, and finds the language of each answer in the
review; the teacher finds it in the class's report and in the learner's attempt."""

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from questions.models import Question
from quiz.models import Attempt, Response
from tests.browser.conftest import log_in
from tests.factories import AssignmentFactory, ClassroomFactory, MembershipFactory, QuizFactory, UserFactory
from tests.helpers import make_teacher

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.debug_off_only]


@pytest.fixture
def hindi_drill(transactional_db):
    """Three of the article bank's questions, all with their Hindi, as a quiz assigned to a class
    that Asha is in."""
    call_command("load_article_bank", verbosity=0)
    questions = list(Question.objects.exclude(stem_hi="").exclude(stem_hi__isnull=True).order_by("pk")[:3])
    quiz = QuizFactory(slug="hindi-drill", title="India–US drill", with_questions=questions)
    quiz.title_hi = "भारत–अमेरिका अभ्यास"
    quiz.save()
    asha = UserFactory(username="asha")
    classroom = ClassroomFactory(teacher=make_teacher("meena"), name="Prelims 2027")
    MembershipFactory(classroom=classroom, learner=asha)
    AssignmentFactory(classroom=classroom, quiz=quiz)
    return {"quiz": quiz, "questions": questions, "classroom": classroom}


def open_question(attempt: Attempt) -> Response:
    return Response.objects.get(attempt=attempt, answered_at__isnull=True, shown_at__isnull=False)


def test_a_quiz_in_hindi_on_a_phone_switching_to_english_midway(phone, live_server, hindi_drill):
    page, questions = phone, hindi_drill["questions"]
    log_in(page, live_server, "asha")
    page.get_by_role("button", name="हिन्दी में पढ़ें (Read in Hindi)").click()
    expect(page.locator("html")).to_have_attribute("lang", "hi")

    page.goto(f"{live_server.url}/quizzes/hindi-drill/")
    expect(page.get_by_role("heading", name="भारत–अमेरिका अभ्यास")).to_be_visible()
    page.get_by_role("button", name="प्रश्नोत्तरी शुरू करें").click()
    expect(page.get_by_role("heading", name="प्रश्न 1")).to_be_visible()
    attempt = Attempt.objects.get(user__username="asha")
    first = open_question(attempt)
    shown = first.question
    expect(page.locator(".stem")).to_have_attribute("lang", "hi")
    expect(page.locator(".stem")).to_contain_text(shown.stem_hi.splitlines()[0])
    choices = {c.pk: c for c in shown.choices.all()}
    first_option = choices[first.option_order[0]]
    expect(page.locator("label.option .option-text").first).to_have_text(first_option.text_hi)
    expect(page.get_by_role("button", name="उत्तर जमा करें")).to_be_visible()
    expect(page.get_by_role("button", name="छोड़ें (0 अंक)")).to_be_visible()
    expect(page.locator(".timer-text")).to_contain_text("शेष समय")
    for english in ("Submit answer", "Skip (0 marks)", "s left", "Question 1"):
        expect(page.locator("main")).not_to_contain_text(english)

    # Answer in Hindi, then open the second question and switch to English while it is open.
    page.locator("label.option").first.click()
    page.get_by_role("button", name="उत्तर जमा करें").click()
    expect(page.get_by_text("सही उत्तर").first).to_be_visible()
    page.get_by_role("link", name="अगला प्रश्न").click()
    expect(page.get_by_role("heading", name="प्रश्न 2")).to_be_visible()
    second = open_question(attempt)
    deadline_before, shown_before = second.deadline, second.shown_at

    page.get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", name="Question 2")).to_be_visible()
    expect(page.locator(".stem")).to_have_attribute("lang", "en")
    expect(page.get_by_role("button", name="Submit answer")).to_be_visible()
    second.refresh_from_db()
    assert (second.deadline, second.shown_at) == (deadline_before, shown_before)
    assert second.answered_at is None

    page.get_by_role("button", name="Skip (0 marks)").click()
    page.get_by_role("link", name="Next question").click()
    expect(page.get_by_role("heading", name="Question 3")).to_be_visible()
    page.locator("label.option").first.click()
    page.get_by_role("button", name="Submit answer").click()
    page.get_by_role("link", name="See your result").click()
    expect(page.locator("[data-score]")).to_be_visible()

    assert list(Response.objects.filter(attempt=attempt).order_by("position").values_list("language", flat=True)) == [
        "hi",
        "en",
        "en",
    ]
    # The review says which answer was read in Hindi, in Hindi's own name.
    expect(page.locator("#q1 .review-number")).to_contain_text("read in हिन्दी")
    expect(page.locator("#q2 .review-number")).not_to_contain_text("read in")

    # The teacher's matrix marks the cell, and the learner's attempt says it too.
    page.context.clear_cookies()
    log_in(page, live_server, "meena")
    report = f"{live_server.url}/teach/classes/{hindi_drill['classroom'].pk}/quizzes/hindi-drill/"
    page.goto(report + "matrix/")
    row = page.locator("tr[data-learner=asha]")
    expect(row.locator("td.cell").nth(0)).to_contain_text("(hi)")
    expect(row.locator("td.cell").nth(1)).not_to_contain_text("(hi)")
    page.goto(f"{report}attempts/{attempt.pk}/")
    expect(page.locator("#q1 .review-number")).to_contain_text("read in हिन्दी")
