"""A quiz as a printed paper: the questions and options numbered in a fixed print order, with
the quiz's title, date, marking and time allowed, then the answer key with explanations. It
holds the key: editors and admins print any quiz, teachers the quizzes they may assign, and
for learners it does not exist."""

from datetime import datetime, timedelta, timezone as dt_timezone
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from questions.models import Choice
from tests.factories import (
    AssignmentFactory,
    AttemptFactory,
    ClassroomFactory,
    QuestionFactory,
    QuizFactory,
    UserFactory,
)


def print_url(quiz) -> str:
    return reverse("teaching:print_paper", args=[quiz.slug])


@pytest.fixture
def daily_quiz(db):
    questions = [
        QuestionFactory(
            stem=f"Stem {n}: which body sets the repo rate?",
            explanation=f"Because {n}: the Monetary Policy Committee does.",
            choices=[(f"Wrong {n} one", False), (f"Right {n}", True), (f"Wrong {n} two", False), (f"Wrong {n} three", False)],
        )
        for n in (1, 2, 3)
    ]
    # 20:00 IST on 5 December 2026 is 14:30 UTC.
    return QuizFactory(
        slug="daily-2026-12-05", title="Daily quiz: RBI policy", with_questions=questions,
        publish_at=datetime(2026, 12, 5, 14, 30, tzinfo=dt_timezone.utc),
    )


@pytest.fixture
def teacher_client(client, teacher):
    client.force_login(teacher)
    return client


def sections(page: str) -> tuple[str, str]:
    questions, key = page.split("data-answer-key", 1)
    return questions.split("data-paper-questions", 1)[1], key


def test_an_editor_prints_the_questions_then_the_key_with_explanations(editor_client, daily_quiz):
    response = editor_client.get(print_url(daily_quiz))

    assert response.status_code == 200
    page = response.content.decode()
    assert "Daily quiz: RBI policy" in page
    assert "5 December 2026" in page  # the quiz's date, in IST
    assert "+2 / −0.66 / 0" in page
    assert "57 s" in page  # 3 questions × 19 s
    questions, key = sections(page)
    assert [questions.index(f"Stem {n}:") for n in (1, 2, 3)] == sorted(questions.index(f"Stem {n}:") for n in (1, 2, 3))
    assert '<span class="paper-number">2.</span> Stem 2:' in questions
    assert "(b)</span> Right 2" in questions
    assert "Because" not in questions and "Answer key" not in questions  # no key among the questions
    assert '<span class="paper-number">2.</span> <strong>(b)</strong> Right 2' in key
    assert "Because 2: the Monetary Policy Committee does." in key


def test_shuffled_options_print_in_one_fixed_order_and_the_key_follows_it(editor_client, daily_quiz):
    daily_quiz.shuffle_options = daily_quiz.shuffle_questions = True
    daily_quiz.save()

    first, again = editor_client.get(print_url(daily_quiz)), editor_client.get(print_url(daily_quiz))

    paper = first.context["paper"]
    assert paper == again.context["paper"]  # every print is the same paper
    orders = [[o.text for o in item.options] for item in paper.questions]
    assert any(not order[1].startswith("Right") for order in orders)  # shuffled, not as stored
    for item in paper.questions:
        right = next(o for o in item.options if o.text.startswith("Right"))
        assert item.key == right
        assert f"<strong>({right.letter.lower()})</strong> {right.text}" in first.content.decode()


def test_only_published_questions_are_printed(editor_client, daily_quiz):
    draft = QuestionFactory(stem="A draft stem nobody may see", status="draft")
    daily_quiz.quiz_questions.create(question=draft, position=9)
    page = editor_client.get(print_url(daily_quiz)).content.decode()
    assert "A draft stem nobody may see" not in page


def test_a_quiz_without_published_questions_says_so(editor_client, db):
    quiz = QuizFactory(slug="empty")
    response = editor_client.get(print_url(quiz))
    assert response.status_code == 200
    assert "This quiz has no published questions yet." in response.content.decode()


def test_hindi_questions_print_in_devanagari_marked_as_hindi(client, editor, daily_quiz):
    question = daily_quiz.quiz_questions.get(position=0).question
    question.stem_hi = "रेपो दर कौन तय करता है?"
    question.explanation_hi = "मौद्रिक नीति समिति।"
    question.save()
    client.force_login(editor)
    client.post(reverse("switch_language"), {"language": "hi", "next": "/"})
    page = client.get(print_url(daily_quiz)).content.decode()
    assert '<div class="paper-question" id="q1" lang="hi">' in page
    assert "रेपो दर कौन तय करता है?" in page and "मौद्रिक नीति समिति।" in page
    assert '<div class="paper-question" id="q2" lang="en">' in page  # untranslated: English, said so


def test_a_teacher_prints_a_published_quiz_they_may_assign(teacher_client, daily_quiz):
    assert teacher_client.get(print_url(daily_quiz)).status_code == 200


@pytest.mark.parametrize("change", [{"is_published": False}, {"publish_at": "future"}])
def test_a_teacher_cannot_print_a_draft_or_a_quiz_before_its_publish_time(teacher_client, editor, daily_quiz, change):
    editor_client = Client()
    editor_client.force_login(editor)
    if change.get("publish_at") == "future":
        change = {"publish_at": timezone.now() + timedelta(hours=1)}
    for field, value in change.items():
        setattr(daily_quiz, field, value)
    daily_quiz.save()
    assert teacher_client.get(print_url(daily_quiz)).status_code == 404
    assert editor_client.get(print_url(daily_quiz)).status_code == 200  # editors preview it


def test_a_learner_gets_a_404_before_during_and_after_taking_the_quiz(learner_client, learner, daily_quiz):
    assert learner_client.get(print_url(daily_quiz)).status_code == 404
    AttemptFactory(user=learner, quiz=daily_quiz, finished_at=timezone.now())
    response = learner_client.get(print_url(daily_quiz))
    assert response.status_code == 404
    assert "Right 1" not in response.content.decode()


def test_staff_without_the_editors_permissions_get_a_404(client, daily_quiz):
    client.force_login(UserFactory(username="clerk", is_staff=True))
    assert client.get(print_url(daily_quiz)).status_code == 404


def test_an_anonymous_visitor_is_sent_to_log_in(client, daily_quiz):
    response = client.get(print_url(daily_quiz))
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_a_post_is_refused(editor_client, daily_quiz):
    assert editor_client.post(print_url(daily_quiz)).status_code == 405


def test_the_page_is_not_kept_by_any_cache(editor_client, daily_quiz):
    cache_control = editor_client.get(print_url(daily_quiz))["Cache-Control"]
    assert "no-store" in cache_control and "private" in cache_control


def test_the_quiz_admin_and_the_teachers_pages_link_to_it(editor_client, client, teacher, daily_quiz):
    assert print_url(daily_quiz) in editor_client.get(f"/admin/quiz/quiz/{daily_quiz.pk}/change/").content.decode()
    classroom = ClassroomFactory(teacher=teacher)
    AssignmentFactory(classroom=classroom, quiz=daily_quiz)
    client.force_login(teacher)
    assert print_url(daily_quiz) in client.get(classroom.get_absolute_url()).content.decode()
    scores = reverse("teaching:scores", args=[classroom.pk, daily_quiz.slug])
    assert print_url(daily_quiz) in client.get(scores).content.decode()


def paper_queries(client, quiz) -> list[str]:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(print_url(quiz)).status_code == 200
    return [q["sql"] for q in captured.captured_queries]


def test_the_paper_reads_the_same_queries_for_3_questions_as_for_30(editor_client, db):
    small = QuizFactory(slug="small", with_questions=3)
    large = QuizFactory(slug="large", with_questions=30)
    editor_client.get(print_url(small))  # the session and permissions, read once

    three, thirty = paper_queries(editor_client, small), paper_queries(editor_client, large)

    assert len(three) == len(thirty)
    # The user (the session is in the cache), the editor's permissions (the user's and the
    # groups'), the quiz, its question ids, their options' order, the questions with their
    # sources and passages, and the options.
    assert len(thirty) == 8, "\n".join(thirty)
