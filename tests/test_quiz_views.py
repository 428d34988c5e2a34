"""Every learner view as a full page and as an htmx fragment, and every bad input: a clear
message, a 4xx, nothing written."""

import re
from datetime import timedelta
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse

from quiz.models import Attempt, Quiz, Response
from tests.factories import AttemptFactory, QuizFactory
from tests.helpers import T0, answer_form, correct_choice, start, wrong_choice

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def clock():
    with time_machine.travel(T0, tick=False) as traveller:
        yield traveller


def play_url(attempt):
    return reverse("quiz:play", args=[attempt.pk])


def answer_url(attempt):
    return reverse("quiz:answer", args=[attempt.pk])


def shown(client, attempt):
    """Open the play page (which starts the clock) and return the question shown."""
    client.get(play_url(attempt))
    return Response.objects.get(attempt=attempt, shown_at__isnull=False, outcome="open")


def snapshot(attempt):
    attempt.refresh_from_db()
    rows = list(attempt.responses.order_by("position").values_list("outcome", "choice_id", "answered_at", "shown_at"))
    return (attempt.score, attempt.answered_count, attempt.finished_at, rows)


# --- pages ----------------------------------------------------------------------------------


def test_quizzes_need_a_logged_in_learner(client, quiz):
    for url in [reverse("quiz:list"), quiz.get_absolute_url(), reverse("quiz:attempts")]:
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_quiz_list_shows_count_time_marking_and_best_score(learner_client, learner, quiz, clock):
    attempt = start(learner, quiz)
    Attempt.objects.filter(pk=attempt.pk).update(finished_at=T0, score=Decimal("3.34"))
    page = learner_client.get(reverse("quiz:list")).content.decode()
    assert quiz.title in page
    assert "<dd>3</dd>" in page  # questions
    assert "19 s each, 57 s in all" in page
    assert "+2 right, −0.66 wrong, 0 blank" in page
    assert "<strong>3.34</strong> / 6" in page


def test_quiz_list_shows_the_learners_own_best_score_and_sitting_never_anothers(
    learner_client, learner, other_learner, quiz, clock
):
    for user, scores in [(learner, ["3.34", "1"]), (other_learner, ["6"])]:
        for score in scores:
            AttemptFactory(user=user, quiz=quiz, finished_at=T0, score=Decimal(score), question_count=3)
    others_sitting = start(other_learner, quiz)
    page = learner_client.get(reverse("quiz:list")).content.decode()
    assert "<strong>3.34</strong> / 6" in page and "Start quiz" in page
    assert play_url(others_sitting) not in page

    own_sitting = start(learner, quiz)
    page = learner_client.get(reverse("quiz:list")).content.decode()
    assert f'<a class="button" href="{play_url(own_sitting)}">Resume</a>' in page
    assert "Your clock is running" in page
    assert "Start quiz" not in page


def test_start_on_the_quiz_list_leads_to_the_quizs_page_and_its_warning_not_the_clock(learner_client, learner, quiz, clock):
    page = learner_client.get(reverse("quiz:list")).content.decode()
    assert f'<a class="button" href="{quiz.get_absolute_url()}">Start quiz</a>' in page
    assert reverse("quiz:start", args=[quiz.slug]) not in page
    detail = learner_client.get(quiz.get_absolute_url()).content.decode()
    assert "The clock of each question starts when it appears" in detail and "clock is running" not in detail
    assert not Attempt.objects.filter(user=learner).exists()
    start(learner, quiz)
    detail = learner_client.get(quiz.get_absolute_url()).content.decode()
    assert "its clock is running" in detail and ">Resume</button>" in detail


def test_quiz_list_pages_20_at_a_time_newest_first(learner_client, clock):
    quizzes = [QuizFactory(title=f"Daily quiz {day:02d}") for day in range(1, 24)]
    for day, quiz in enumerate(quizzes):  # made a day apart; the last the newest
        Quiz.objects.filter(pk=quiz.pk).update(created_at=T0 + timedelta(days=day))
    QuizFactory(title="Daily quiz draft", is_published=False)

    first = learner_client.get(reverse("quiz:list")).content.decode()
    second = learner_client.get(reverse("quiz:list"), {"page": 2}).content.decode()

    titles = re.compile(r"Daily quiz (?:\d\d|draft)")
    assert titles.findall(first) == [f"Daily quiz {day:02d}" for day in range(23, 3, -1)]
    assert titles.findall(second) == ["Daily quiz 03", "Daily quiz 02", "Daily quiz 01"]
    assert "Quizzes 1–20 of 23" in first and '<nav aria-label="Pages of quizzes">' in first


def test_starting_creates_an_attempt_and_a_second_start_resumes_it(learner_client, learner, quiz):
    first = learner_client.post(reverse("quiz:start", args=[quiz.slug]))
    attempt = Attempt.objects.get(user=learner)
    assert first["Location"] == play_url(attempt)
    second = learner_client.post(reverse("quiz:start", args=[quiz.slug]))
    assert second["Location"] == play_url(attempt)
    assert Attempt.objects.filter(user=learner).count() == 1


def test_start_is_post_only(learner_client, quiz):
    assert learner_client.get(reverse("quiz:start", args=[quiz.slug])).status_code == 405


def test_play_page_shows_the_question_with_its_countdown(learner_client, learner, quiz, clock):
    attempt = start(learner, quiz)
    response = learner_client.get(play_url(attempt))
    page = response.content.decode()
    assert response.status_code == 200 and "<html" in page
    current = Response.objects.get(attempt=attempt, position=0)
    assert current.question.stem in page
    assert 'role="timer"' in page and 'data-seconds-left="19.000"' in page
    assert response["Vary"].count("HX-Request") == 1


def test_play_fragment_is_the_question_alone(learner_client, learner, quiz, clock):
    attempt = start(learner, quiz)
    response = learner_client.get(play_url(attempt), **HTMX)
    page = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in page and 'class="question"' in page
    # htmx sends the page's token in a header: the fragment's form carries none of its own.
    assert "csrfmiddlewaretoken" not in page
    assert "csrfmiddlewaretoken" in learner_client.get(play_url(attempt)).content.decode()


def test_reloading_shows_the_time_really_left(learner_client, learner, quiz, clock):
    attempt = start(learner, quiz)
    learner_client.get(play_url(attempt))
    clock.shift(12.5)
    page = learner_client.get(play_url(attempt)).content.decode()
    assert 'data-seconds-left="6.500"' in page and '<span data-timer-seconds>7</span>' in page


def test_answer_key_and_explanation_never_reach_the_browser_before_answering(learner_client, learner, quiz, clock):
    attempt = start(learner, quiz)
    current = Response.objects.select_related("question").get(attempt=attempt, position=0)
    bodies = [
        learner_client.get(play_url(attempt)).content.decode(),
        learner_client.get(play_url(attempt), **HTMX).content.decode(),
        learner_client.get(reverse("quiz:feedback", args=[attempt.pk, 1])).content.decode(),
        learner_client.get(reverse("quiz:feedback", args=[attempt.pk, 1]), **HTMX).content.decode(),
        learner_client.get(reverse("quiz:result", args=[attempt.pk]), follow=True).content.decode(),
        learner_client.get(reverse("quiz:attempts")).content.decode(),
        learner_client.post(answer_url(attempt), {"position": 0}, **HTMX).content.decode(),
        learner_client.post(answer_url(attempt), {"position": 0, "action": "expire"}, **HTMX).content.decode(),
        learner_client.get(reverse("quiz:list")).content.decode(),
        learner_client.get(quiz.get_absolute_url()).content.decode(),
        learner_client.get(current.question.source.get_absolute_url()).content.decode(),
        learner_client.get(reverse("teaching:join")).content.decode(),
    ]
    for body in bodies:
        assert current.question.explanation not in body
        assert "is-correct" not in body and "Right answer" not in body and "is_correct" not in body
    # The right option's text is on the page, but nothing marks it apart from the others.
    page = bodies[0]
    # Each radio sends its place in the order shown (1 to 4), never an option's id.
    assert [page.count(f'name="choice" value="{place}"') for place in range(1, 5)] == [1, 1, 1, 1]


def test_htmx_answer_swaps_in_feedback_with_explanation_and_passage(learner_client, learner, quiz, clock):
    attempt = start(learner, quiz)
    current = shown(learner_client, attempt)
    clock.shift(4)
    response = learner_client.post(answer_url(attempt), answer_form(current, correct_choice(current)), **HTMX)
    page = response.content.decode()
    assert response.status_code == 200 and "<html" not in page
    assert "Right" in page and current.question.explanation in page
    assert current.question.passage.text in page
    assert response["HX-Push-Url"] == reverse("quiz:feedback", args=[attempt.pk, 1])
    current.refresh_from_db()
    assert (current.outcome, current.marks) == ("correct", Decimal("2"))


def test_answer_without_javascript_redirects_to_the_feedback_page(learner_client, learner, quiz, clock):
    attempt = start(learner, quiz)
    current = shown(learner_client, attempt)
    response = learner_client.post(answer_url(attempt), answer_form(current, wrong_choice(current)))
    assert response.status_code == 302
    page = learner_client.get(response["Location"]).content.decode()
    assert "Wrong" in page and "−0.66" in page and "-0.66" not in page and "Right answer" in page and "Your answer" in page
    assert "Next question" in page


def test_next_question_starts_its_clock_only_when_shown(learner_client, learner, quiz, clock):
    attempt = start(learner, quiz)
    current = shown(learner_client, attempt)
    learner_client.post(answer_url(attempt), answer_form(current, correct_choice(current)), **HTMX)
    clock.shift(30)  # reading the explanation
    page = learner_client.get(play_url(attempt), **HTMX).content.decode()
    second = Response.objects.get(attempt=attempt, position=1)
    assert second.shown_at == T0 + timedelta(seconds=30)
    assert 'data-seconds-left="19.000"' in page and second.question.stem in page


def test_exam_mode_answer_swaps_in_the_next_question_and_no_feedback(learner_client, learner, exam_quiz, clock):
    attempt = start(learner, exam_quiz)
    current = shown(learner_client, attempt)
    response = learner_client.post(answer_url(attempt), answer_form(current, correct_choice(current)), **HTMX)
    page = response.content.decode()
    second = Response.objects.get(attempt=attempt, position=1)
    assert second.question.stem in page and current.question.explanation not in page
    assert learner_client.get(reverse("quiz:feedback", args=[attempt.pk, 1])).status_code == 403


def test_exam_mode_time_out_moves_on_to_the_next_question_by_itself(learner_client, learner, exam_quiz, clock):
    attempt = start(learner, exam_quiz)
    for number in (1, 2):
        current = shown(learner_client, attempt)
        clock.shift(19)
        response = learner_client.post(answer_url(attempt), answer_form(current, action="expire"), **HTMX)
        page = response.content.decode()
        following = Response.objects.get(attempt=attempt, position=number)
        assert response.status_code == 200 and following.question.stem in page
        assert 'data-seconds-left="19.000"' in page and following.shown_at == T0 + timedelta(seconds=19 * number)
    current.refresh_from_db()
    assert current.outcome == "timed_out" and current.question.explanation not in page
    clock.shift(19)
    response = learner_client.post(answer_url(attempt), answer_form(following, action="expire"), **HTMX)
    assert response["HX-Redirect"] == reverse("quiz:result", args=[attempt.pk])
    attempt.refresh_from_db()
    assert attempt.is_finished and (attempt.unanswered_count, attempt.score) == (3, 0)


def test_exam_mode_last_answer_redirects_to_the_result(learner_client, learner, exam_quiz, clock):
    attempt = start(learner, exam_quiz)
    for position in range(3):
        current = shown(learner_client, attempt)
        response = learner_client.post(answer_url(attempt), answer_form(current, action="skip"), **HTMX)
    assert response["HX-Redirect"] == reverse("quiz:result", args=[attempt.pk])


def test_result_shows_score_counts_accuracy_lost_marks_and_review(learner_client, learner, quiz, clock):
    attempt = start(learner, quiz)
    picks = [correct_choice, wrong_choice, None]
    for pick in picks:
        current = shown(learner_client, attempt)
        clock.shift(3)
        data = answer_form(current, pick(current)) if pick else answer_form(current, action="skip")
        learner_client.post(answer_url(attempt), data)
    page = learner_client.get(reverse("quiz:result", args=[attempt.pk])).content.decode()
    assert "<strong>1.34</strong> / 6" in page
    assert '<dd data-correct>1</dd>' in page and '<dd data-wrong>1</dd>' in page and '<dd data-unanswered>1</dd>' in page
    assert '<dd data-accuracy>50%</dd>' in page and '<dd data-marks-lost>0.66</dd>' in page
    assert page.count("Answered in 3.0 s") == 2 and page.count("Skipped after 3.0 s") == 1
    assert "answered in" not in page
    for response in attempt.responses.select_related("question"):
        assert response.question.explanation in page


def review_items(page):
    """Each reviewed question's article on the result page, in order."""
    return re.findall(r'<article class="review-item.*?</article>', page, re.S)


def test_result_reviews_each_question_with_its_verdict_signed_marks_and_the_learners_option(
    learner_client, learner, quiz, clock
):
    attempt = start(learner, quiz)
    picks = [correct_choice, wrong_choice, None]
    chosen = []
    for pick in picks:
        current = shown(learner_client, attempt)
        clock.shift(3)
        chosen.append(pick(current) if pick else None)
        data = answer_form(current, chosen[-1]) if pick else answer_form(current, action="skip")
        learner_client.post(answer_url(attempt), data)
    page = learner_client.get(reverse("quiz:result", args=[attempt.pk])).content.decode()
    right, wrong, skipped = review_items(page)
    assert re.search(r'class="verdict"\s*>\s*Right\s*<span class="marks">\+2</span>', right)
    assert re.search(r'class="verdict"\s*>\s*Wrong\s*<span class="marks">−0.66</span>', wrong)
    assert re.search(r'class="verdict"\s*>\s*Skipped\s*<span class="marks">0</span>', skipped)
    assert "You did not answer." in skipped and "You did not answer" not in right + wrong
    # The learner's option is marked theirs, and the right one right, in the wrong answer.
    chosen_li = re.search(r'<li class="[^"]*is-chosen">.*?</li>', wrong, re.S).group(0)
    assert chosen[1].text in chosen_li and "Your answer" in chosen_li and "Right answer" not in chosen_li
    right_li = re.search(r'<li class="is-correct [^"]*">.*?</li>', wrong, re.S).group(0)
    assert correct_choice(attempt.responses.get(position=1)).text in right_li and "Your answer" not in right_li
    assert right.count("Your answer") == 1 and right.count("Right answer") == 1 and "Your answer" not in skipped
    for item, response in zip((right, wrong, skipped), attempt.responses.order_by("position")):
        passage = response.question.passage
        assert f'href="{passage.get_absolute_url()}"' in item and f"paragraph {passage.position}" in item


def test_my_attempts_lists_finished_and_in_progress_attempts(learner_client, learner, quiz, exam_quiz, clock):
    done = start(learner, quiz)
    Attempt.objects.filter(pk=done.pk).update(finished_at=T0, score=Decimal("4"))
    open_attempt = start(learner, exam_quiz)
    page = learner_client.get(reverse("quiz:attempts")).content.decode()
    assert reverse("quiz:result", args=[done.pk]) in page and "Finished · review" in page
    assert play_url(open_attempt) in page and "0 of 3 answered" in page and "In progress · resume" in page
    assert "25 Nov 2026, 20:00 IST" in page  # 14:30 UTC in India Standard Time


@pytest.mark.parametrize("url", ["attempts", "detail"])
def test_an_exam_style_attempt_in_progress_shows_how_many_are_answered_never_the_score(
    learner_client, learner, exam_quiz, clock, url
):
    attempt = start(learner, exam_quiz)
    first = shown(learner_client, attempt)
    learner_client.post(answer_url(attempt), answer_form(first, wrong_choice(first)), **HTMX)
    attempt.refresh_from_db()
    assert attempt.score == Decimal("-0.66")
    address = reverse("quiz:attempts") if url == "attempts" else exam_quiz.get_absolute_url()
    page = learner_client.get(address).content.decode()
    listed = re.search(r'<ul class="attempts">.*?</ul>', page, flags=re.S).group()
    assert "1 of 3 answered" in listed
    assert "0.66" not in listed and "/ 6" not in listed


def finished_attempts(learner, quiz, count):
    """`count` finished attempts, one a day before T0, the newest scoring `count - 1`."""
    return [
        AttemptFactory(
            user=learner, quiz=quiz, started_at=T0 - timedelta(days=count - n), finished_at=T0,
            question_count=3, score=Decimal(n),
        )
        for n in range(count)
    ]


def listed_attempt_links(page):
    return re.findall(r'href="(/attempts/\d+/result/)"', page)


def test_my_attempts_pages_25_at_a_time_newest_first(learner_client, learner, other_learner, quiz):
    attempts = finished_attempts(learner, quiz, 30)
    finished_attempts(other_learner, quiz, 3)
    newest_first = [reverse("quiz:result", args=[a.pk]) for a in reversed(attempts)]

    first = learner_client.get(reverse("quiz:attempts")).content.decode()
    second = learner_client.get(reverse("quiz:attempts") + "?page=2").content.decode()

    assert listed_attempt_links(first) == newest_first[:25]
    assert listed_attempt_links(second) == newest_first[25:]
    assert "Attempts 1–25 of 30" in first and "Attempts 26–30 of 30" in second
    assert 'href="?page=2" rel="next"' in first and 'href="?page=1" rel="prev"' in second
    assert '<nav aria-label="Pages of attempts">' in first


@pytest.mark.parametrize("asked, shown", [("abc", "Attempts 1–25 of 30"), ("99", "Attempts 26–30 of 30"), ("-1", "Attempts 26–30 of 30")])
def test_a_page_number_that_is_not_a_page_shows_the_first_or_last_page(learner_client, learner, quiz, asked, shown):
    finished_attempts(learner, quiz, 30)
    reply = learner_client.get(reverse("quiz:attempts"), {"page": asked})
    assert reply.status_code == 200 and shown in reply.content.decode()


def test_a_short_list_of_attempts_has_no_page_links(learner_client, learner, quiz):
    finished_attempts(learner, quiz, 3)
    page = learner_client.get(reverse("quiz:attempts")).content.decode()
    assert "Attempts 1–3 of 3" in page and "Pages of attempts" not in page


def test_source_page_shows_the_passages_with_anchors(learner_client, questions):
    passage = questions[0].passage
    page = learner_client.get(passage.source.get_absolute_url()).content.decode()
    assert f'id="p{passage.position}"' in page and passage.text in page


def test_an_htmx_request_after_the_session_ended_sends_the_whole_page_to_log_in(client, learner, quiz):
    """Logged out in another tab, the learner answers in this one: the log-in page replaces the
    page (not the question's box), and logging in brings them back to the quiz, not to a
    POST-only URL."""
    attempt = start(learner, quiz)
    on_screen = {"HTTP_HX_REQUEST": "true", "HTTP_HX_CURRENT_URL": f"http://testserver{play_url(attempt)}"}
    back_to_quiz = f"/accounts/login/?next={play_url(attempt)}"
    answered = client.post(answer_url(attempt), {"position": 0, "action": "skip"}, **on_screen)
    next_question = client.get(play_url(attempt), **on_screen)
    for response in (answered, next_question):
        assert (response.status_code, response["HX-Redirect"]) == (200, back_to_quiz)
    assert client.get(play_url(attempt))["Location"] == back_to_quiz  # without htmx, as before
    assert Response.objects.get(attempt=attempt, position=0).is_open


# --- bad input: a message, a 4xx, nothing written -------------------------------------------


def test_another_learners_attempt_is_404_everywhere(client, other_learner, learner, quiz, clock):
    attempt = start(learner, quiz)
    client.force_login(other_learner)
    before = snapshot(attempt)
    urls = [play_url(attempt), reverse("quiz:result", args=[attempt.pk]), reverse("quiz:feedback", args=[attempt.pk, 1])]
    for url in urls:
        assert client.get(url).status_code == 404
    assert client.post(answer_url(attempt), {"position": 0, "action": "skip"}).status_code == 404
    assert snapshot(attempt) == before


@pytest.mark.parametrize(
    ("data", "status", "message"),
    [
        ({}, 400, "did not say which question"),
        ({"position": "first"}, 400, "Enter a whole number"),
        ({"position": 0}, 400, "Pick one of the four options"),
        ({"position": 0, "choice": "abc"}, 400, "not one of this question"),
        ({"position": 0, "choice": 999999}, 400, "not one of this question"),
        ({"position": 0, "choice": "9" * 40}, 400, "Ensure this value is less than or equal to"),
        ({"position": "9" * 40, "action": "skip"}, 400, "Ensure this value is less than or equal to"),
        ({"position": 0, "action": "reveal"}, 400, "Select a valid choice"),
        ({"position": 2, "action": "skip"}, 409, "has not been shown yet"),
    ],
)
@pytest.mark.parametrize("htmx", [False, True])
def test_bad_answers_get_a_message_a_4xx_and_write_nothing(
    learner_client, learner, quiz, clock, data, status, message, htmx
):
    attempt = start(learner, quiz)
    shown(learner_client, attempt)
    before = snapshot(attempt)
    response = learner_client.post(answer_url(attempt), data, **(HTMX if htmx else {}))
    assert response.status_code == status
    page = response.content.decode()
    assert message in page and 'role="alert"' in page
    assert ("<html" in page) is not htmx
    assert snapshot(attempt) == before


def test_a_replayed_answer_is_refused_with_409(learner_client, learner, quiz, clock):
    attempt = start(learner, quiz)
    current = shown(learner_client, attempt)
    data = answer_form(current, correct_choice(current))
    learner_client.post(answer_url(attempt), data, **HTMX)
    before = snapshot(attempt)
    response = learner_client.post(answer_url(attempt), data, **HTMX)
    assert response.status_code == 409 and "already been answered" in response.content.decode()
    assert snapshot(attempt) == before


def test_a_finished_attempt_takes_no_more_answers(learner_client, learner, quiz, clock):
    attempt = start(learner, quiz)
    for _ in range(3):
        current = shown(learner_client, attempt)
        learner_client.post(answer_url(attempt), answer_form(current, action="skip"))
    before = snapshot(attempt)
    response = learner_client.post(answer_url(attempt), {"position": 2, "action": "skip"})
    assert response.status_code == 409 and "This attempt is finished" in response.content.decode()
    assert snapshot(attempt) == before


def test_early_expiry_from_the_browser_shows_the_real_time_left(learner_client, learner, quiz, clock):
    attempt = start(learner, quiz)
    current = shown(learner_client, attempt)
    clock.shift(10)
    response = learner_client.post(answer_url(attempt), answer_form(current, action="expire"), **HTMX)
    assert response.status_code == 409 and 'data-seconds-left="9.000"' in response.content.decode()
    current.refresh_from_db()
    assert current.is_open


def test_malformed_ids_are_404(learner_client):
    assert learner_client.get("/attempts/abc/").status_code == 404
    assert learner_client.get("/attempts/99999/").status_code == 404
    assert learner_client.get("/attempts/99999/questions/x/").status_code == 404
    assert learner_client.get("/attempts/" + "9" * 30 + "/").status_code == 404
    assert learner_client.post("/attempts/" + "9" * 30 + "/answer/", {"position": 0}).status_code == 404
    assert learner_client.get("/quizzes/no-such-quiz/").status_code == 404


def test_unanswered_question_feedback_is_refused(learner_client, learner, quiz, clock):
    attempt = start(learner, quiz)
    shown(learner_client, attempt)
    response = learner_client.get(reverse("quiz:feedback", args=[attempt.pk, 1]))
    assert response.status_code == 409 and "not been answered yet" in response.content.decode()
    assert learner_client.get(reverse("quiz:feedback", args=[attempt.pk, 9])).status_code == 404


def letter_of(response, choice):
    return "abcd"[response.option_order.index(choice.pk)]


@pytest.mark.parametrize("seconds_after_shown", [19, 20, 21])  # at the deadline, within the grace, at its end
def test_when_time_runs_out_the_selected_option_is_submitted_and_the_learner_told(
    learner_client, learner, quiz, clock, settings, seconds_after_shown
):
    settings.ANSWER_GRACE_SECONDS = 2
    attempt = start(learner, quiz)
    current = shown(learner_client, attempt)
    picked = wrong_choice(current)
    clock.shift(seconds_after_shown)
    reply = learner_client.post(answer_url(attempt), answer_form(current, picked, action="expire"), **HTMX)
    page = reply.content.decode()
    assert reply.status_code == 200
    assert f"Time ran out: your selected answer ({letter_of(current, picked)}) was submitted." in page
    assert "Wrong" in page
    current.refresh_from_db()
    assert (current.outcome, current.choice_id, current.marks) == ("wrong", picked.pk, Decimal("-0.66"))
    # The feedback page says the same when it is opened again.
    again = learner_client.get(reverse("quiz:feedback", args=[attempt.pk, 1])).content.decode()
    assert f"Time ran out: your selected answer ({letter_of(current, picked)}) was submitted." in again


def test_a_selected_option_arriving_after_the_grace_is_a_time_out(learner_client, learner, quiz, clock, settings):
    settings.ANSWER_GRACE_SECONDS = 2
    attempt = start(learner, quiz)
    current = shown(learner_client, attempt)
    clock.shift(19 + 2 + 0.001)
    reply = learner_client.post(answer_url(attempt), answer_form(current, correct_choice(current), action="expire"), **HTMX)
    page = reply.content.decode()
    assert reply.status_code == 200 and "Time ran out: your selected" not in page and "Timed out" in page
    current.refresh_from_db()
    assert (current.outcome, current.choice_id, current.marks) == ("timed_out", None, Decimal("0"))


def test_an_answer_in_time_does_not_say_that_time_ran_out(learner_client, learner, quiz, clock):
    attempt = start(learner, quiz)
    current = shown(learner_client, attempt)
    clock.shift(18)
    page = learner_client.post(answer_url(attempt), answer_form(current, correct_choice(current)), **HTMX).content.decode()
    assert "Right" in page and "Time ran out" not in page


def finish_right_wrong_skipped(client, attempt, clock):
    for pick in (correct_choice, wrong_choice, None):
        current = shown(client, attempt)
        clock.shift(3)
        data = answer_form(current, pick(current)) if pick else answer_form(current, action="skip")
        client.post(answer_url(attempt), data)


@pytest.mark.parametrize(
    ("show", "verdicts"),
    [
        ("wrong", ["Wrong"]),
        ("unanswered", ["Skipped"]),
        ("right", ["Right"]),
        ("all", ["Right", "Wrong", "Skipped"]),
        ("nonsense", ["Right", "Wrong", "Skipped"]),  # an unknown filter shows them all
    ],
)
def test_the_review_is_filtered_by_a_query_string(learner_client, learner, quiz, clock, show, verdicts):
    attempt = start(learner, quiz)
    finish_right_wrong_skipped(learner_client, attempt, clock)
    reply = learner_client.get(reverse("quiz:result", args=[attempt.pk]), {"show": show})
    page = reply.content.decode()
    items = review_items(page)
    assert reply.status_code == 200
    assert [re.search(r'class="verdict"[^>]*>\s*(\w+)', item).group(1) for item in items] == verdicts
    assert all("<details open><summary>" in item for item in items)
    current = show if show != "nonsense" else "all"
    assert f'href="?show={current}#review-title" aria-current="page"' in page
    for key, label in [("wrong", "Wrong (1)"), ("unanswered", "Skipped or timed out (1)"), ("right", "Right (1)"), ("all", "All (3)")]:
        assert f'data-filter="{key}">{label}</a>' in page
    # The timeline always lists every question; from a filtered list its links go to the whole review.
    assert page.count('<a href="?show=all#q') == (0 if current == "all" else 3)


def test_the_review_never_says_answered_of_a_skip_or_a_time_out(learner_client, learner, quiz, clock):
    attempt = start(learner, quiz)
    current = shown(learner_client, attempt)
    clock.shift(9.7)
    learner_client.post(answer_url(attempt), answer_form(current, action="skip"))
    current = shown(learner_client, attempt)
    clock.shift(19)
    learner_client.post(answer_url(attempt), answer_form(current, action="expire"))
    current = shown(learner_client, attempt)
    clock.shift(2)
    learner_client.post(answer_url(attempt), answer_form(current, correct_choice(current)))
    items = review_items(learner_client.get(reverse("quiz:result", args=[attempt.pk])).content.decode())
    notes = [re.search(r'<p class="review-number">(.*?)</p>', item).group(1) for item in items]
    assert notes == ["Question 1 · Skipped after 9.7 s", "Question 2 · Time ran out", "Question 3 · Answered in 2.0 s"]
