"""Issue 15, item 2: answer keys harvested from another quiz.

The whole-bank practice quiz (feedback after each question) shares questions with an exam-style
drill a teacher assigns. While the learner has an exam-style attempt in progress, or an
exam-style quiz assigned to one of their classes that they have not finished and whose due date
has not passed, no other quiz shows them the key or the explanation of those questions
(quiz/key_holds.py). Time is frozen at the edges.
"""

import html
import re
from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse

from quiz import key_holds
from quiz.models import Attempt, Response
from teaching import services as teaching
from teaching.reports import score_rows
from tests.factories import QuestionFactory, QuizFactory
from tests.helpers import T0, correct_choice, show, start, submit
from tests.test_teaching_support import make_class

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}
DUE = T0 + timedelta(days=2)


@pytest.fixture
def bank(db):
    return QuestionFactory.create_batch(6)


@pytest.fixture
def practice(bank):
    """The whole bank, feedback after each question."""
    return QuizFactory(slug="whole-bank", title="Whole-bank practice", feedback="each", with_questions=bank)


@pytest.fixture
def exam(bank):
    """Four of the bank's questions, exam style."""
    return QuizFactory(slug="exam-drill", title="Exam drill", feedback="end", with_questions=bank[:4])


def at(moment):
    return time_machine.travel(moment, tick=False)


def answer_page(client, attempt, action="skip", choice=None):
    """Show the current question, then answer it through the page as the learner does (htmx):
    the page the answer returns."""
    client.get(reverse("quiz:play", args=[attempt.pk]), **HTMX)
    response = Response.objects.get(attempt=attempt, outcome="open", shown_at__isnull=False)
    data = {"position": response.position, "action": action}
    if choice is not None:
        data["choice"] = response.option_order.index(choice.pk) + 1
    reply = client.post(reverse("quiz:answer", args=[attempt.pk]), data, **HTMX)
    assert reply.status_code == 200
    return response, reply.content.decode()


def shows_key(page: str, response: Response) -> bool:
    question = response.question
    return html.escape(question.explanation) in page or "Right answer" in page or "is-correct" in page


def held(user, questions, moment, shown_in=None):
    return set(key_holds.keys_held_back(user, moment, [q.pk for q in questions], shown_in))


def test_skipping_every_practice_question_while_the_exam_is_assigned_shows_no_key(
    learner_client, learner, teacher, bank, practice, exam
):
    """The issue's attack, through the pages: skip every practice question and read each
    feedback, the feedback pages and the result. No key, no explanation, no verdict; each
    feedback says why and links to the exam."""
    make_class(teacher, exam, [learner], due_at=DUE)
    with at(T0):
        learner_client.post(reverse("quiz:start", args=[practice.slug]))
        attempt = Attempt.objects.get(quiz=practice)
        pages = []
        for _ in bank:
            response, page = answer_page(learner_client, attempt)
            pages.append((response, page))
            feedback = learner_client.get(reverse("quiz:feedback", args=[attempt.pk, response.number]))
            pages.append((response, feedback.content.decode()))
        result = learner_client.get(reverse("quiz:result", args=[attempt.pk])).content.decode()
        attempts = learner_client.get(reverse("quiz:attempts")).content.decode()
    exam_ids = {q.pk for q in bank[:4]}
    for response, page in pages:
        if response.question_id in exam_ids:
            assert not shows_key(page, response), page
            assert "held back until you finish that quiz or it is due" in page
            assert f'href="{reverse("quiz:detail", args=[exam.slug])}" data-hold-link' in page
            assert "score " not in page.split("data-feedback")[1].split("</div>")[0]  # no running score
        else:
            assert shows_key(page, response)  # the practice questions the exam does not hold
    for response in Response.objects.filter(attempt=attempt).select_related("question"):
        in_exam = response.question_id in exam_ids
        assert (html.escape(response.question.explanation) in result) is not in_exam
    assert result.count("data-key-held") == 4 and "data-totals-held" in result and "data-score" not in result
    assert "—" in re.search(r'attempt-score">([^<]*)<', attempts).group(1)
    assert Response.objects.filter(attempt=attempt, key_held=True).count() == 4


def test_with_no_assignment_and_no_exam_in_progress_every_key_is_shown(learner_client, learner, bank, practice, exam):
    with at(T0):
        attempt = start(learner, practice, T0)
        response, page = answer_page(learner_client, attempt)
    assert shows_key(page, response) and "held back" not in page
    assert held(learner, bank, T0) == set()


def test_the_hold_ends_when_the_due_date_passes(learner, teacher, bank, exam):
    make_class(teacher, exam, [learner], due_at=DUE)
    assert held(learner, bank, DUE - timedelta(seconds=1)) == {q.pk for q in bank[:4]}
    assert held(learner, bank, DUE) == {q.pk for q in bank[:4]}
    assert held(learner, bank, DUE + timedelta(seconds=1)) == set()


def test_an_assignment_without_a_due_date_holds_until_the_exam_is_finished(learner, teacher, bank, exam):
    make_class(teacher, exam, [learner], due_at=None)
    assert held(learner, bank, T0 + timedelta(days=400)) == {q.pk for q in bank[:4]}


def test_the_hold_ends_when_the_learner_finishes_the_exam(learner, teacher, bank, exam):
    make_class(teacher, exam, [learner], due_at=DUE)
    attempt = start(learner, exam, T0)
    # In progress: held, by the attempt as by the assignment.
    assert held(learner, bank, T0) == {q.pk for q in bank[:4]}
    moment = T0
    show(attempt, moment)
    for position in range(4):
        moment += timedelta(seconds=5)
        response = Response.objects.get(attempt=attempt, position=position)
        submit(attempt, position, "answer", correct_choice(response).pk, moment)
    attempt.refresh_from_db()
    assert attempt.is_finished
    assert held(learner, bank, moment) == set()


def test_leaving_the_class_ends_the_hold(learner, teacher, bank, exam):
    classroom, _ = make_class(teacher, exam, [learner], due_at=DUE)
    assert held(learner, bank, T0) == {q.pk for q in bank[:4]}
    teaching.remove_learner(classroom, learner.pk)
    assert held(learner, bank, T0) == set()


def test_an_exam_in_progress_holds_its_questions_without_any_assignment(learner, bank, exam):
    start(learner, exam, T0)
    assert held(learner, bank, T0) == {q.pk for q in bank[:4]}
    # The exam's own pages are not "another quiz": its result shows its keys once finished.
    assert held(learner, bank, T0, shown_in=exam) == set()


def test_a_quiz_with_feedback_after_each_holds_nothing_when_assigned(learner, teacher, bank, practice):
    make_class(teacher, practice, [learner], due_at=DUE)
    assert held(learner, bank, T0) == set()


def test_another_learners_assignment_holds_nothing_for_this_one(learner, other_learner, teacher, bank, exam):
    make_class(teacher, exam, [other_learner], due_at=DUE)
    assert held(learner, bank, T0) == set()


def test_a_practice_question_on_screen_when_the_exam_starts_in_another_tab_shows_no_key(
    learner_client, learner, bank, practice, exam
):
    with at(T0):
        attempt = start(learner, practice, T0)
        learner_client.get(reverse("quiz:play", args=[attempt.pk]), **HTMX)  # bank[0] on screen, no hold yet
        assert not Response.objects.get(attempt=attempt, position=0).key_held
        learner_client.post(reverse("quiz:start", args=[exam.slug]))  # the other tab
        reply = learner_client.post(reverse("quiz:answer", args=[attempt.pk]), {"position": 0, "action": "skip"}, **HTMX)
    page = reply.content.decode()
    response = Response.objects.select_related("question").get(attempt=attempt, position=0)
    assert not shows_key(page, response) and "held back until you finish that quiz." in page


def test_joining_a_class_or_an_assignment_made_while_a_question_is_on_screen_holds_its_key(
    learner_client, learner, teacher, bank, practice, exam
):
    from tests.factories import ClassroomFactory

    classroom = ClassroomFactory(teacher=teacher, join_code="JOIN234")
    with at(T0):
        attempt = start(learner, practice, T0)
        learner_client.get(reverse("quiz:play", args=[attempt.pk]), **HTMX)
        teaching.assign_quiz(classroom, exam, DUE)
        teaching.join_class(learner, "JOIN234")
        reply = learner_client.post(reverse("quiz:answer", args=[attempt.pk]), {"position": 0, "action": "skip"}, **HTMX)
    response = Response.objects.select_related("question").get(attempt=attempt, position=0)
    assert response.key_held and not shows_key(reply.content.decode(), response)


def test_a_held_key_is_shown_on_the_feedback_page_once_the_hold_has_ended(
    learner_client, learner, teacher, bank, practice, exam
):
    make_class(teacher, exam, [learner], due_at=DUE)
    with at(T0):
        attempt = start(learner, practice, T0)
        response, page = answer_page(learner_client, attempt)
    assert not shows_key(page, response)
    with at(DUE + timedelta(seconds=1)):
        later = learner_client.get(reverse("quiz:feedback", args=[attempt.pk, 1])).content.decode()
    assert shows_key(later, response)


def test_the_teachers_report_marks_a_first_attempt_taken_after_seeing_keys_elsewhere(
    learner_client, learner, other_learner, teacher, bank, practice, exam
):
    """Practice with feedback before the exam was assigned: the keys were shown, and the first
    attempt's row says how many of its questions. A learner whose keys were held is not marked."""
    before = T0 - timedelta(days=1)
    with at(before):
        attempt = start(learner, practice, before)
        for _ in range(3):  # the first three questions, all in the exam
            response, page = answer_page(learner_client, attempt)
            assert shows_key(page, response)
    make_class(teacher, exam, [learner, other_learner], due_at=DUE)
    from django.test import Client

    other = Client()
    other.force_login(other_learner)
    with at(T0):
        held_attempt = start(other_learner, practice, T0)
        for _ in range(3):
            answer_page(other, held_attempt)
    for user in (learner, other_learner):
        sitting = start(user, exam, T0 + timedelta(hours=1))
        moment = T0 + timedelta(hours=1)
        show(sitting, moment)
        for position in range(4):
            moment += timedelta(seconds=5)
            submit(sitting, position, "skip", None, moment)
    assignment = exam.assignments.get()
    rows = {row.learner.pk: row for row in score_rows(assignment)}
    assert rows[learner.pk].keys_seen_before == 3
    assert rows[other_learner.pk].keys_seen_before == 0
    from django.test import Client as TeacherClient

    client = TeacherClient()
    client.force_login(teacher)
    page = client.get(reverse("teaching:scores", args=[assignment.classroom_id, exam.slug])).content.decode()
    assert page.count("data-keys-seen=") == 1 and "3 keys seen before" in page
