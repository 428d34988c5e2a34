"""A quiz timed per paper: one deadline for the whole attempt, a palette, free navigation with
plain links, Save & Next, mark for review, answers changed until the paper is closed; closed
and marked on submit or at the deadline, whichever first, and at the latest by whatever reads
it next. Time is frozen at the edges (time_machine), never slept through."""

from datetime import timedelta
from decimal import Decimal

import html

import pytest
import time_machine
from django.conf import settings
from django.urls import reverse

from quiz import papers
from quiz.models import Attempt, Response, TimeAllowance
from tests.factories import QuizFactory
from tests.helpers import T0, place_of, start
from tests.test_teaching_support import make_class

pytestmark = pytest.mark.django_db
Outcome = Response.Outcome
GRACE = settings.ANSWER_GRACE_SECONDS


@pytest.fixture
def paper_quiz(db):
    """Ten questions at 72 s each: a 12-minute paper, as UPSC prelims pace."""
    return QuizFactory(slug="mock-paper", timing="paper", feedback="end", seconds_per_question=72, with_questions=10)


@pytest.fixture
def paper(learner, paper_quiz):
    return start(learner, paper_quiz, T0)


def at(seconds: float):
    return time_machine.travel(T0 + timedelta(seconds=seconds), tick=False)


def question_url(attempt, number):
    return reverse("quiz:paper_question", args=[attempt.pk, number])


def option(attempt, number, right=True):
    response = Response.objects.get(attempt=attempt, position=number - 1)
    return response.question.choices.get(is_correct=True) if right else response.question.choices.filter(is_correct=False).first()


def place(attempt, number, choice):
    """Where the learner was shown `choice` in question `number` (1 for a): what its radio sends."""
    return place_of(Response.objects.get(attempt=attempt, position=number - 1), choice.pk)


def save(client, attempt, number, choice=None, action="save"):
    data = {"action": action}
    if choice is not None:
        data["choice"] = place(attempt, number, choice)
    return client.post(question_url(attempt, number), data)


def states(page: str) -> list[str]:
    import re

    return re.findall(r'data-state="([a-z_]+)"', page)


def test_a_paper_has_one_deadline_for_the_whole_attempt_with_the_learners_factor(learner, paper_quiz):
    attempt = start(learner, paper_quiz, T0)
    assert attempt.is_paper and attempt.feedback == "end"
    assert attempt.deadline == T0 + timedelta(seconds=720)
    Attempt.objects.all().delete()
    TimeAllowance.objects.create(user=learner, factor=Decimal("1.5"))
    attempt = start(learner, paper_quiz, T0)
    assert (attempt.time_factor, attempt.deadline) == (Decimal("1.5"), T0 + timedelta(seconds=1080))


def test_starting_a_paper_opens_it_on_question_one_with_the_palette(learner_client, paper_quiz):
    with at(0):
        reply = learner_client.post(reverse("quiz:start", args=[paper_quiz.slug]), follow=True)
    page = reply.content.decode()
    attempt = Attempt.objects.get()
    assert reply.redirect_chain[-1][0] == question_url(attempt, 1)
    assert "Question 1 <span" in page and "12:00</span> left" in page
    assert states(page) == ["not_answered"] + ["not_seen"] * 9
    # Links that work without JavaScript to every question, and to the next.
    for number in range(1, 11):
        assert f'href="{question_url(attempt, number)}"' in page
    assert 'rel="next"' in page


def test_save_and_next_mark_for_review_and_free_navigation(learner_client, paper):
    with at(5):
        learner_client.get(question_url(paper, 1))
        reply = save(learner_client, paper, 1, option(paper, 1))
        assert reply.status_code == 302 and reply["Location"] == question_url(paper, 2)
    with at(10):
        learner_client.get(question_url(paper, 2))
        reply = save(learner_client, paper, 2, option(paper, 2, right=False), action="review")
        assert reply["Location"] == question_url(paper, 3)
    with at(20):
        page = learner_client.get(question_url(paper, 7)).content.decode()  # straight to 7
    assert states(page)[:8] == ["answered", "marked", "not_seen", "not_seen", "not_seen", "not_seen", "not_answered", "not_seen"]
    assert '<dd data-count="answered">1</dd>' in page and '<dd data-count="marked">1</dd>' in page
    saved = Response.objects.get(attempt=paper, position=1)
    assert (saved.saved_choice, saved.marked_for_review, saved.outcome) == (option(paper, 2, right=False), True, Outcome.OPEN)


def test_an_answer_changes_until_the_paper_is_closed_and_stays_one_per_question(learner_client, paper):
    with at(5):
        save(learner_client, paper, 1, option(paper, 1, right=False))
        save(learner_client, paper, 1, option(paper, 1))
        page = learner_client.get(question_url(paper, 1)).content.decode()
    assert f'value="{place(paper, 1, option(paper, 1))}" checked' in page and page.count(" checked") == 1
    assert Response.objects.filter(attempt=paper, position=0).count() == 1
    assert Response.objects.get(attempt=paper, position=0).saved_choice == option(paper, 1)
    with at(6):
        reply = save(learner_client, paper, 1, action="clear")
    assert reply["Location"] == question_url(paper, 1)
    assert Response.objects.get(attempt=paper, position=0).saved_choice is None


def test_a_reload_or_a_second_tab_shows_the_time_really_left(learner_client, client, learner, paper):
    with at(100):
        page = learner_client.get(question_url(paper, 1)).content.decode()
    assert "10:20</span> left" in page and 'data-seconds-left="620.000"' in page
    client.force_login(learner)  # a second tab, later
    with at(700):
        page = client.get(question_url(paper, 4)).content.decode()
    assert "0:20</span> left" in page


@pytest.mark.parametrize(
    ("after", "counts"),
    [(719, True), (720, True), (720 + GRACE, True), (720 + GRACE + 1, False)],
    ids=["1 s before the deadline", "at it", "at deadline + grace", "1 s after the grace"],
)
def test_an_answer_saved_by_the_deadline_plus_grace_counts(learner_client, paper, after, counts):
    with at(after):
        reply = save(learner_client, paper, 3, option(paper, 3))
    paper.refresh_from_db()
    if counts:
        assert reply["Location"] == question_url(paper, 4)
        assert Response.objects.get(attempt=paper, position=2).saved_choice == option(paper, 3)
    else:
        # Too late: nothing saved, and the paper is closed and marked at its deadline.
        assert reply["Location"] == reverse("quiz:result", args=[paper.pk])
        assert paper.finished_at == paper.deadline
        assert Response.objects.get(attempt=paper, position=2).outcome == Outcome.SKIPPED


def test_submit_asks_first_saying_what_is_unanswered_or_marked_then_marks_the_paper(learner_client, paper):
    with at(10):
        save(learner_client, paper, 1, option(paper, 1))
        save(learner_client, paper, 2, option(paper, 2, right=False))
        save(learner_client, paper, 3, option(paper, 3), action="review")
        save(learner_client, paper, 4, action="review")
        page = learner_client.get(reverse("quiz:paper_submit", args=[paper.pk])).content.decode()
    assert "7 questions unanswered and 2 marked for review, of 10." in page
    paper.refresh_from_db()
    assert not paper.is_finished  # asking changed nothing
    with at(60):
        reply = learner_client.post(reverse("quiz:paper_submit", args=[paper.pk]))
    assert reply["Location"] == reverse("quiz:result", args=[paper.pk])
    paper.refresh_from_db()
    assert paper.finished_at == T0 + timedelta(seconds=60)
    # Right 1 and 3 (marked for review, its answer counts), wrong 2, seven blank.
    assert (paper.correct_count, paper.wrong_count, paper.unanswered_count) == (2, 1, 7)
    assert paper.score == Decimal("3.34")
    outcomes = list(Response.objects.filter(attempt=paper).values_list("outcome", flat=True))
    assert outcomes == [Outcome.CORRECT, Outcome.WRONG, Outcome.CORRECT] + [Outcome.SKIPPED] * 7
    with at(61):
        result = learner_client.get(reply["Location"]).content.decode()
    assert "3.34" in result


def test_a_second_submit_changes_nothing(learner_client, paper):
    with at(10):
        learner_client.post(reverse("quiz:paper_submit", args=[paper.pk]))
    with at(20):
        reply = learner_client.post(reverse("quiz:paper_submit", args=[paper.pk]))
        late = save(learner_client, paper, 1, option(paper, 1))
    assert reply["Location"] == late["Location"] == reverse("quiz:result", args=[paper.pk])
    paper.refresh_from_db()
    assert paper.finished_at == T0 + timedelta(seconds=10) and paper.score == 0
    assert Response.objects.get(attempt=paper, position=0).saved_choice is None


def test_no_key_explanation_or_score_before_the_paper_is_closed(learner_client, paper):
    first = Response.objects.select_related("question").get(attempt=paper, position=0)
    with at(5):
        save(learner_client, paper, 1, option(paper, 1))
        page = learner_client.get(question_url(paper, 1)).content.decode()
        feedback = learner_client.get(reverse("quiz:feedback", args=[paper.pk, 1]))
        result = learner_client.get(reverse("quiz:result", args=[paper.pk]), follow=True)
    assert first.question.explanation not in page and "is-correct" not in page and "score" not in page.lower()
    assert feedback.status_code == 403 and first.question.explanation not in feedback.content.decode()
    assert result.redirect_chain[-1][0] == question_url(paper, 1)
    assert first.question.explanation not in result.content.decode()


def test_the_per_question_pages_refuse_a_paper(learner_client, paper):
    with at(5):
        play = learner_client.get(reverse("quiz:play", args=[paper.pk]))
        answer = learner_client.post(reverse("quiz:answer", args=[paper.pk]), {"position": 0, "choice": place(paper, 1, option(paper, 1))})
    assert play["Location"] == reverse("quiz:paper", args=[paper.pk])
    assert answer.status_code == 409
    assert Response.objects.get(attempt=paper, position=0).outcome == Outcome.OPEN


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"choice": "5"}, "That option is not one of this question's options."),  # past the fourth
        ({"choice": "0"}, "That option is not one of this question's options."),
        ({"choice": "-1"}, "That option is not one of this question's options."),
        ({"choice": str(2**40)}, "That option is not one of this question's options."),
        ({"choice": "abc"}, "That option is not one of this question's options."),
        ({"choice": "1", "action": "submit-all"}, "Save, mark for review or clear the answer."),
    ],
)
def test_a_bad_save_is_refused_with_a_message_and_nothing_written(learner_client, paper, data, message):
    with at(5):
        reply = learner_client.post(question_url(paper, 1), data)
    assert reply.status_code == 400 and html.escape(message) in reply.content.decode()
    assert not Response.objects.filter(attempt=paper, saved_choice__isnull=False).exists()


def test_an_outsider_or_a_question_outside_the_paper_is_404(client, other_learner, learner_client, paper):
    with at(5):
        assert learner_client.get(question_url(paper, 11)).status_code == 302  # after the last: submit page
        assert learner_client.get(question_url(paper, 12)).status_code == 404
        assert learner_client.post(question_url(paper, 12), {"choice": ""}).status_code == 404
        client.force_login(other_learner)
        assert client.get(question_url(paper, 1)).status_code == 404
        assert client.post(question_url(paper, 1), {"choice": place(paper, 1, option(paper, 1))}).status_code == 404
        assert client.post(reverse("quiz:paper_submit", args=[paper.pk])).status_code == 404
    assert not Response.objects.filter(attempt=paper, saved_choice__isnull=False).exists()
    paper.refresh_from_db()
    assert not paper.is_finished


def test_time_on_screen_is_recorded_for_each_question_all_visits_added(learner_client, paper):
    with at(0):
        learner_client.get(question_url(paper, 1))
    with at(30):
        learner_client.get(question_url(paper, 2))
    with at(45):
        learner_client.get(question_url(paper, 1))
    with at(50):
        learner_client.post(reverse("quiz:paper_submit", args=[paper.pk]))
    seconds = dict(Response.objects.filter(attempt=paper).values_list("position", "seconds_on_screen"))
    assert seconds[0] == 35.0 and seconds[1] == 15.0 and seconds[2] == 0.0


# --- closed the next time anything reads it ------------------------------------------------


@pytest.mark.parametrize("page", ["attempts", "list", "detail", "result", "paper"])
def test_a_paper_whose_time_ran_out_while_away_is_closed_by_the_next_page_that_reads_it(
    learner_client, paper, paper_quiz, page
):
    with at(5):
        save(learner_client, paper, 1, option(paper, 1))
    url = {
        "attempts": reverse("quiz:attempts"),
        "list": reverse("quiz:list"),
        "detail": paper_quiz.get_absolute_url(),
        "result": reverse("quiz:result", args=[paper.pk]),
        "paper": reverse("quiz:paper", args=[paper.pk]),
    }[page]
    with at(3600):
        learner_client.get(url, follow=True)
    paper.refresh_from_db()
    assert paper.finished_at == paper.deadline
    assert (paper.correct_count, paper.unanswered_count, paper.score) == (1, 9, Decimal("2"))


def test_a_teachers_report_closes_the_class_papers_whose_time_ran_out(client, teacher, learner, paper, paper_quiz):
    classroom, _ = make_class(teacher, paper_quiz, [learner])
    client.force_login(teacher)
    with at(3600):
        page = client.get(reverse("teaching:scores", args=[classroom.pk, paper_quiz.slug])).content.decode()
    paper.refresh_from_db()
    assert paper.is_finished
    assert "Submitted" in page


def test_close_overdue_reads_one_query_when_nothing_is_overdue(learner, paper, django_assert_num_queries):
    from django.utils import timezone

    with django_assert_num_queries(1):
        assert papers.close_overdue(T0 + timedelta(seconds=60), user=learner) == 0
    assert papers.close_overdue(timezone.now(), user=learner) == 1


# --- reports --------------------------------------------------------------------------------


def test_reports_and_exports_show_a_papers_time_on_screen(client, teacher, learner, paper, paper_quiz):
    classroom, _ = make_class(teacher, paper_quiz, [learner])
    learner_client = client.__class__()
    learner_client.force_login(learner)
    with at(0):
        learner_client.get(question_url(paper, 1))
    with at(12):
        save(learner_client, paper, 1, option(paper, 1))
        learner_client.get(question_url(paper, 2))
    with at(20):
        save(learner_client, paper, 2, option(paper, 2, right=False))
        learner_client.post(reverse("quiz:paper_submit", args=[paper.pk]))
    client.force_login(teacher)
    matrix = client.get(reverse("teaching:export", args=[classroom.pk, paper_quiz.slug, "matrix", "csv"]))
    lines = b"".join(matrix.streaming_content).decode("utf-8-sig").splitlines()
    assert lines[1].startswith("asha,asha,Submitted,1.34,Right 12.0 s,Wrong 8.0 s,Skipped,Skipped")
    items = client.get(reverse("teaching:export", args=[classroom.pk, paper_quiz.slug, "items", "csv"]))
    rows = b"".join(items.streaming_content).decode("utf-8-sig").splitlines()
    # Mean time to answer: the time each question was on screen.
    assert rows[1].split(",")[7] == "12" and rows[2].split(",")[7] == "8"
    scores = client.get(reverse("teaching:scores", args=[classroom.pk, paper_quiz.slug])).content.decode()
    assert '<td class="num" data-first-score>1.34</td>' in scores
    review = learner_client.get(reverse("quiz:result", args=[paper.pk])).content.decode()
    assert "On screen for 12.0 s" in review and "On screen for 8.0 s" in review


# --- races ------------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    "postgresql" not in settings.DATABASES["default"]["ENGINE"],
    reason="needs PostgreSQL's row locking (the in-memory SQLite test database locks whole tables); "
    "runs in the PostgreSQL pass of .ci/run",
)
def test_saves_from_ten_tabs_racing_the_submit_leave_one_answer_marked_as_saved():
    import threading

    from django.db import connection
    from django.test import Client

    from tests.factories import UserFactory

    learner = UserFactory(username="tanvi")
    quiz = QuizFactory(slug="race-paper", timing="paper", feedback="end", seconds_per_question=72, with_questions=3)
    attempt = start(learner, quiz, T0)
    right, wrong = option(attempt, 1), option(attempt, 1, right=False)
    jobs = [("save", place(attempt, 1, right)), ("save", place(attempt, 1, wrong))] * 5 + [("submit", None)]
    barrier = threading.Barrier(len(jobs))
    statuses = []

    def run(kind, shown_place):
        client = Client()
        client.force_login(learner)
        try:
            barrier.wait(timeout=10)
            with time_machine.travel(T0 + timedelta(seconds=5), tick=False):
                if kind == "save":
                    reply = client.post(question_url(attempt, 1), {"choice": shown_place, "action": "save"})
                else:
                    reply = client.post(reverse("quiz:paper_submit", args=[attempt.pk]))
            statuses.append(reply.status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=job) for job in jobs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert statuses == [302] * len(jobs)  # every save went through or was sent to the result
    attempt.refresh_from_db()
    first = Response.objects.get(attempt=attempt, position=0)
    assert Response.objects.filter(attempt=attempt, question=first.question).count() == 1
    assert attempt.is_finished
    # The answer marked is the one saved when the paper closed; a save that lost the race to
    # the close wrote nothing.
    assert first.saved_choice_id == first.choice_id
    assert first.outcome == (Outcome.SKIPPED if first.choice_id is None else Outcome.CORRECT if first.choice_id == right.pk else Outcome.WRONG)
    assert attempt.score == first.marks


def test_my_attempts_lists_an_open_paper_without_a_score_and_resumes_it(learner_client, paper):
    with at(5):
        page = learner_client.get(reverse("quiz:attempts")).content.decode()
        resumed = learner_client.get(reverse("quiz:play", args=[paper.pk]), follow=True)
    assert "Paper in progress · resume" in page and '<span class="attempt-score">—</span>' in page and "/ 20" not in page
    assert resumed.redirect_chain[-1][0] == question_url(paper, 1)


def test_the_paper_page_before_starting_gives_the_papers_time_and_the_learners_extra_time(learner_client, learner, paper_quiz):
    page = learner_client.get(paper_quiz.get_absolute_url()).content.decode()
    assert "12 min for the whole paper (72 s a question), questions in any order" in page
    TimeAllowance.objects.create(user=learner, factor=Decimal("1.5"))
    page = learner_client.get(paper_quiz.get_absolute_url()).content.decode()
    assert "You have 1.5× time: 18 min for the paper instead of 12 min." in page


def test_the_matrix_page_says_a_papers_time_is_time_on_screen(client, teacher, learner, paper_quiz):
    classroom, _ = make_class(teacher, paper_quiz, [learner])
    client.force_login(teacher)
    page = client.get(reverse("teaching:matrix", args=[classroom.pk, paper_quiz.slug])).content.decode()
    assert "Time is how long each question was on the learner's screen, all visits added up" in page
