"""A teacher prints a quiz's paper to PDF in Chromium (headless Chromium's page.pdf() prints
with the print stylesheet) and the PDF is read back page by page: the questions first, the
answer key from a new page, and nothing of the site's navigation. In Hindi, the Devanagari
questions are set in a Devanagari font."""

import io

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from tests.browser.conftest import log_in
from tests.factories import QuestionFactory, QuizFactory
from tests.helpers import make_teacher

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.debug_off_only]

NAVIGATION = ["Skip to content", "Pariksha", "Menu", "Quizzes", "My attempts", "My progress", "Teach", "Profile",
              "Password", "Log out", "हिन्दी", "Print"]


def pages_of(pdf: bytes) -> list[str]:
    return [" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(pdf)).pages]


def fonts_of(pdf: bytes) -> set[str]:
    names = set()
    for page in PdfReader(io.BytesIO(pdf)).pages:
        for font in (page["/Resources"].get("/Font") or {}).values():
            names.add(str(font.get_object().get("/BaseFont", "")))
    return names


@pytest.fixture
def quiz(transactional_db):
    questions = [
        QuestionFactory(
            stem=f"Stem {n}: which committee sets India's policy repo rate under the amended RBI Act?",
            explanation=f"Because {n}: the Monetary Policy Committee, set up in 2016, fixes the repo rate. " * 3,
            choices=[(f"Right {n}", True), (f"Wrong {n} one", False), (f"Wrong {n} two", False), (f"Wrong {n} three", False)],
        )
        for n in range(1, 11)
    ]
    return QuizFactory(slug="daily-rbi", title="Daily quiz: RBI policy", with_questions=questions)


def test_the_printed_paper_puts_the_questions_first_and_the_key_on_new_pages(browser, live_server, quiz):
    make_teacher("meena")
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    context.set_default_timeout(15_000)
    page = context.new_page()
    log_in(page, live_server, "meena")
    page.goto(f"{live_server.url}/teach/quizzes/daily-rbi/print/")
    expect(page.get_by_role("heading", name="Answer key")).to_be_visible()

    pages = pages_of(page.pdf(format="A4", print_background=False))
    context.close()

    assert len(pages) >= 2
    assert "Daily quiz: RBI policy" in pages[0] and "+2 / −0.66 / 0" in pages[0]
    key_starts = next(i for i, text in enumerate(pages) if "Answer key" in text)
    assert key_starts >= 1
    assert pages[key_starts].startswith("Answer key")  # at the top of a new page
    before, after = " ".join(pages[:key_starts]), " ".join(pages[key_starts:])
    for n in range(1, 11):
        assert f"Stem {n}:" in before and f"Stem {n}:" not in after
        assert f"Because {n}:" in after and f"Because {n}:" not in before
    for text in pages:
        for word in NAVIGATION:
            assert word not in text.replace("Daily quiz: RBI policy", ""), (word, text[:120])


def test_a_hindi_paper_is_set_in_a_devanagari_font(browser, live_server, quiz):
    question = quiz.quiz_questions.get(position=0).question
    question.stem_hi = "भारत में नीतिगत रेपो दर कौन तय करता है?"
    question.save()
    make_teacher("meena")
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    context.set_default_timeout(15_000)
    page = context.new_page()
    log_in(page, live_server, "meena")
    page.get_by_role("button", name="हिन्दी").first.click()
    page.goto(f"{live_server.url}/teach/quizzes/daily-rbi/print/")
    expect(page.locator("#q1")).to_have_attribute("lang", "hi")
    expect(page.locator("#q1")).to_contain_text("रेपो दर")

    pdf = page.pdf(format="A4")
    context.close()

    assert any("Devanagari" in name for name in fonts_of(pdf)), fonts_of(pdf)
