"""Starting an attempt, the server's clock, and recording answers: what the database holds."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import transaction

from questions.models import Question
from quiz import services, store
from quiz.models import Attempt, Quiz, Response
from tests.factories import QuestionFactory, QuizFactory, TopicFactory
from tests.helpers import T0, correct_choice, show, start, submit, submit_place, wrong_choice

pytestmark = pytest.mark.django_db
GRACE = 2


@pytest.fixture(autouse=True)
def grace(settings):
    settings.ANSWER_GRACE_SECONDS = GRACE


def first_shown(attempt, now=T0):
    return show(attempt, now)


def test_starting_fixes_question_and_option_order_for_the_whole_attempt(learner, questions):
    quiz = QuizFactory(with_questions=questions, shuffle_questions=True, shuffle_options=True)
    attempt = start(learner, quiz)
    stored = list(attempt.responses.order_by("position").values_list("question_id", "option_order"))
    assert sorted(q for q, _ in stored) == sorted(q.pk for q in questions)
    for question_id, order in stored:
        assert sorted(order) == sorted(questions[[q.pk for q in questions].index(question_id)].choices.values_list("id", flat=True))
    # Showing, answering and reloading never reorder anything.
    response = first_shown(attempt)
    submit(attempt, response.position, "skip", None, T0)
    assert list(attempt.responses.order_by("position").values_list("question_id", "option_order")) == stored


def test_attempt_copies_the_quiz_rules_so_later_edits_do_not_change_it(learner, quiz):
    attempt = start(learner, quiz)
    quiz.marks_wrong = Decimal("1")
    quiz.seconds_per_question = 60
    quiz.save()
    attempt.refresh_from_db()
    assert (attempt.marks_wrong, attempt.seconds_per_question, attempt.question_count) == (Decimal("0.66"), 19, 3)


def test_a_random_draw_takes_n_published_questions_of_its_topic(learner):
    topic = TopicFactory(slug="isa")
    on_topic = QuestionFactory.create_batch(6, topic=topic)
    QuestionFactory.create_batch(3)  # another topic
    QuestionFactory(topic=topic, status="draft")
    quiz = QuizFactory(selection="random", draw_count=4, draw_topic=topic)
    attempt = start(learner, quiz)
    drawn = set(attempt.responses.values_list("question_id", flat=True))
    assert len(drawn) == 4 and drawn <= {q.pk for q in on_topic}


def test_a_quiz_without_published_questions_cannot_start(learner):
    quiz = QuizFactory(with_questions=[QuestionFactory(status="draft")])
    with pytest.raises(services.QuizError, match="no published questions"):
        start(learner, quiz)
    assert not Attempt.objects.exists()


def test_first_showing_starts_the_clock_and_later_showings_keep_it(learner, quiz):
    attempt = start(learner, quiz)
    response = first_shown(attempt, T0)
    assert response.deadline == T0 + timedelta(seconds=19)
    again = first_shown(attempt, T0 + timedelta(seconds=12))
    assert (again.pk, again.shown_at, again.deadline) == (response.pk, T0, T0 + timedelta(seconds=19))
    assert again.seconds_left(T0 + timedelta(seconds=12)) == 7


@pytest.mark.parametrize(
    ("seconds_after_shown", "outcome", "score"),
    [
        (18, "correct", Decimal("2")),  # 1 s before the deadline
        (19, "correct", Decimal("2")),  # at the deadline
        (19 + GRACE, "correct", Decimal("2")),  # at deadline + grace: still network delay
        (19 + GRACE + 1, "timed_out", Decimal("0")),  # 1 s after deadline + grace
    ],
)
def test_a_right_answer_counts_until_deadline_plus_grace(learner, quiz, seconds_after_shown, outcome, score):
    attempt = start(learner, quiz)
    response = first_shown(attempt)
    submit(attempt, 0, "answer", correct_choice(response).pk, T0 + timedelta(seconds=seconds_after_shown))
    response.refresh_from_db()
    attempt.refresh_from_db()
    assert (response.outcome, response.marks, attempt.score) == (outcome, score, score)
    assert response.choice_id == (correct_choice(response).pk if outcome == "correct" else None)


def test_a_wrong_answer_costs_a_third_of_the_marks(learner, quiz):
    attempt = start(learner, quiz)
    response = first_shown(attempt)
    submit(attempt, 0, "answer", wrong_choice(response).pk, T0 + timedelta(seconds=5))
    attempt.refresh_from_db()
    assert (attempt.score, attempt.wrong_count, attempt.marks_lost) == (Decimal("-0.66"), 1, Decimal("0.66"))


def test_the_browser_cannot_time_out_a_question_before_its_deadline(learner, quiz):
    attempt = start(learner, quiz)
    first_shown(attempt)
    with pytest.raises(services.ClockStillRunning):
        submit(attempt, 0, "expire", None, T0 + timedelta(seconds=18))
    assert Response.objects.get(attempt=attempt, position=0).is_open
    submit(attempt, 0, "expire", None, T0 + timedelta(seconds=19))
    assert Response.objects.get(attempt=attempt, position=0).outcome == "timed_out"


def test_a_question_left_open_past_its_deadline_is_timed_out_on_return(learner, quiz):
    attempt = start(learner, quiz)
    first_shown(attempt, T0)
    later = T0 + timedelta(minutes=10)
    shown = first_shown(attempt, later)
    assert shown.position == 1 and shown.shown_at == later
    assert Response.objects.get(attempt=attempt, position=0).outcome == "timed_out"
    attempt.refresh_from_db()
    assert attempt.unanswered_count == 1


def test_a_second_submission_for_the_same_question_records_nothing(learner, quiz):
    attempt = start(learner, quiz)
    response = first_shown(attempt)
    submit(attempt, 0, "answer", correct_choice(response).pk, T0 + timedelta(seconds=3))
    with pytest.raises(services.NotCurrentQuestion, match="already been answered"):
        submit(attempt, 0, "answer", wrong_choice(response).pk, T0 + timedelta(seconds=4))
    attempt.refresh_from_db()
    assert (attempt.score, attempt.correct_count, attempt.wrong_count) == (Decimal("2"), 1, 0)


def test_the_conditional_update_refuses_a_racing_second_answer(learner, quiz, monkeypatch):
    """Two requests that both read the question as open: only the first write lands."""
    attempt = start(learner, quiz)
    response = first_shown(attempt)
    stale = store.read_upcoming(attempt.pk, learner.pk)
    submit(attempt, 0, "answer", correct_choice(response).pk, T0 + timedelta(seconds=3))
    monkeypatch.setattr(store, "read_upcoming", lambda attempt_id, user_id: stale)
    with pytest.raises(services.NotCurrentQuestion, match="already been answered"), transaction.atomic():
        submit(attempt, 0, "answer", wrong_choice(response).pk, T0 + timedelta(seconds=3))
    attempt.refresh_from_db()
    assert (attempt.score, attempt.answered_count) == (Decimal("2"), 1)


@pytest.mark.parametrize("place", [0, 5, 2**31])
def test_a_place_past_the_questions_options_is_refused(learner, quiz, place):
    attempt = start(learner, quiz)
    first_shown(attempt)
    with pytest.raises(services.InvalidChoice, match="not one of this question"):
        submit_place(attempt, 0, "answer", place, T0 + timedelta(seconds=2))
    assert Response.objects.get(attempt=attempt, position=0).is_open


def test_the_option_is_the_one_at_its_place_in_the_learners_order(learner, quiz):
    quiz.shuffle_options = True
    quiz.save()
    attempt = start(learner, quiz)
    response = first_shown(attempt)
    last = response.option_order[-1]
    submit_place(attempt, 0, "answer", len(response.option_order), T0 + timedelta(seconds=2))
    assert Response.objects.get(attempt=attempt, position=0).choice_id == last


def test_answering_the_last_question_finishes_the_attempt_with_totals(learner, quiz):
    attempt = start(learner, quiz)
    steps = [("answer", correct_choice), ("answer", wrong_choice), ("skip", None)]
    for position, (action, pick) in enumerate(steps):
        response = first_shown(attempt, T0 + timedelta(minutes=position))
        choice_id = pick(response).pk if pick else None
        submit(attempt, position, action, choice_id, T0 + timedelta(minutes=position, seconds=4))
    attempt.refresh_from_db()
    assert attempt.finished_at == T0 + timedelta(minutes=2, seconds=4)
    assert (attempt.score, attempt.correct_count, attempt.wrong_count, attempt.unanswered_count) == (
        Decimal("1.34"), 1, 1, 1,
    )
    with pytest.raises(services.AttemptFinished):
        submit(attempt, 2, "skip", None, T0 + timedelta(minutes=3))


def test_exam_mode_starts_the_next_clock_with_the_answer(learner, exam_quiz):
    attempt = start(learner, exam_quiz)
    response = first_shown(attempt)
    answered = submit(attempt, 0, "answer", correct_choice(response).pk, T0 + timedelta(seconds=7))
    assert answered.question.position == 1
    assert answered.question.deadline == T0 + timedelta(seconds=26)


def test_feedback_mode_waits_to_start_the_next_clock_until_it_is_shown(learner, quiz):
    attempt = start(learner, quiz)
    response = first_shown(attempt)
    answered = submit(attempt, 0, "answer", correct_choice(response).pk, T0 + timedelta(seconds=7))
    assert answered.question is None
    assert Response.objects.get(attempt=attempt, position=1).shown_at is None


def test_a_new_quiz_has_upsc_defaults():
    quiz = Quiz()
    assert (quiz.seconds_per_question, quiz.marks_correct, quiz.marks_wrong) == (19, Decimal("2"), Decimal("0.66"))


def test_the_two_shipped_quizzes_draw_the_whole_bank_and_a_ten_question_exam(learner):
    """`make run` loads these: the whole article bank with its answers after each question,
    and ten questions drawn at random with the answers at the end, both with UPSC marking."""
    call_command("loaddata", "article_source", "article_bank", "article_quizzes", verbosity=0)
    bank = set(Question.objects.published().values_list("pk", flat=True))
    whole = start(learner, Quiz.objects.published().get(slug="india-us-2plus2-whole-bank"))
    exam = start(learner, Quiz.objects.published().get(slug="india-us-defence-exam-10"))
    # The whole bank but one question of each giveaway group (pks 11 and 50 give each other away).
    assert len(bank) >= 40 and whole.question_count == len(bank) - 1
    assert bank - set(whole.responses.values_list("question_id", flat=True)) in ({11}, {50})
    drawn = set(exam.responses.values_list("question_id", flat=True))
    assert len(drawn) == exam.question_count == 10 and drawn <= bank
    assert (whole.feedback, exam.feedback) == ("each", "end")
    for attempt in (whole, exam):
        rules = (attempt.seconds_per_question, attempt.marks_correct, attempt.marks_wrong)
        assert rules == (19, Decimal("2"), Decimal("0.66"))


@pytest.mark.parametrize(
    ("seconds_after_shown", "outcome", "score"),
    [
        (18, "correct", Decimal("2")),  # the browser's clock ran fast: an answer in time all the same
        (19, "correct", Decimal("2")),  # at the deadline
        (19 + GRACE, "correct", Decimal("2")),  # at deadline + grace: still network delay
        (19 + GRACE + 1, "timed_out", Decimal("0")),  # 1 s after deadline + grace: too late, as any answer
    ],
)
def test_the_option_selected_when_time_ran_out_counts_as_any_answer(learner, quiz, seconds_after_shown, outcome, score):
    attempt = start(learner, quiz)
    response = first_shown(attempt)
    submit(attempt, 0, "expire", correct_choice(response).pk, T0 + timedelta(seconds=seconds_after_shown))
    response.refresh_from_db()
    attempt.refresh_from_db()
    assert (response.outcome, response.marks, attempt.score) == (outcome, score, score)
    assert response.choice_id == (correct_choice(response).pk if outcome == "correct" else None)


def test_a_time_out_with_a_selected_option_past_the_questions_options_is_refused(learner, quiz):
    attempt = start(learner, quiz)
    first_shown(attempt)
    with pytest.raises(services.InvalidChoice):
        submit_place(attempt, 0, "expire", 5, T0 + timedelta(seconds=19))
    assert Response.objects.get(attempt=attempt, position=0).is_open
