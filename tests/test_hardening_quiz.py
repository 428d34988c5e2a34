"""Adversarial tests of the quiz: races, half-done writes, hostile text, the clock's edges on
every path that records an answer."""

import threading
from datetime import timedelta
from decimal import Decimal

import pytest
import time_machine
from django.conf import settings
from django.db import OperationalError, connection
from django.test import Client
from django.urls import reverse

from quiz import store
from quiz.models import Attempt, Response
from tests.factories import QuestionFactory, QuizFactory, UserFactory
from tests.helpers import T0, answer_form, correct_choice, place_of, show, start, submit, wrong_choice
from tests.test_regrade import bank, move_key_to_b, sittings, totals  # noqa: F401 (bank, sittings: fixtures)

HTMX = {"HTTP_HX_REQUEST": "true"}
GRACE = 2


@pytest.fixture(autouse=True)
def grace(settings):
    settings.ANSWER_GRACE_SECONDS = GRACE


# --- ten duplicate submissions at once -------------------------------------------------------


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    "postgresql" not in settings.DATABASES["default"]["ENGINE"],
    reason="needs PostgreSQL's row locking (the in-memory SQLite test database locks whole tables); "
    "runs in the PostgreSQL pass of .ci/run",
)
def test_ten_simultaneous_submissions_record_exactly_one_answer():
    learner = UserFactory(username="tanvi")
    quiz = QuizFactory(with_questions=QuestionFactory.create_batch(2))
    attempt = start(learner, quiz, T0)
    current = show(attempt, T0)
    # Half the racers send the right option, half a wrong one: exactly one may land.
    picks = [place_of(current, correct_choice(current).pk), place_of(current, wrong_choice(current).pk)] * 5
    barrier = threading.Barrier(len(picks))
    statuses = []

    def submit(choice_id):
        client = Client()
        client.force_login(learner)
        try:
            barrier.wait(timeout=10)
            with time_machine.travel(T0 + timedelta(seconds=5), tick=False):
                response = client.post(
                    reverse("quiz:answer", args=[attempt.pk]), {"position": 0, "choice": choice_id}, **HTMX
                )
            statuses.append(response.status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=submit, args=(pick,)) for pick in picks]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    attempt.refresh_from_db()
    assert sorted(statuses) == [200] + [409] * 9
    answered = Response.objects.filter(attempt=attempt).exclude(outcome="open")
    assert answered.count() == 1
    assert attempt.answered_count == 1
    assert attempt.score == answered.get().marks and attempt.score in (Decimal("2"), Decimal("-0.66"))


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    "postgresql" not in settings.DATABASES["default"]["ENGINE"],
    reason="needs PostgreSQL's row locking; runs in the PostgreSQL pass of .ci/run",
)
def test_a_double_tap_on_start_makes_one_sitting():
    """A phone on a slow network sends Start twice (or five times): one attempt, and every
    request is sent to it."""
    learner = UserFactory(username="kiran")
    quiz = QuizFactory(with_questions=QuestionFactory.create_batch(2))
    barrier = threading.Barrier(5)
    locations = []

    def tap():
        client = Client()
        client.force_login(learner)
        try:
            barrier.wait(timeout=10)
            locations.append(client.post(reverse("quiz:start", args=[quiz.slug]))["Location"])
        finally:
            connection.close()

    threads = [threading.Thread(target=tap) for _ in range(5)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    attempt = Attempt.objects.get(user=learner, quiz=quiz)
    assert locations == [reverse("quiz:play", args=[attempt.pk])] * 5


# --- a failure halfway writes nothing --------------------------------------------------------


def failing(statement: str, error: str):
    """The real database, except that `statement` fails as a dropped connection or a full disk
    would fail it; every statement sent is kept in `sent`."""
    sent = []

    def wrapper(execute, sql, params, many, context):
        sent.append(sql)
        if sql.startswith(statement):
            raise OperationalError(error)
        return execute(sql, params, many, context)

    return wrapper, sent


# transaction=True: no test transaction around the request, as in production (no
# ATOMIC_REQUESTS), so only record_answer's own transaction can undo the first write.
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    ("feedback", "failing_statement", "writes"),
    [
        # Feedback after each question: the answer, then the attempt's totals.
        ("each", 'UPDATE "quiz_attempt"', ['UPDATE "quiz_response" SET "outcome"', 'UPDATE "quiz_attempt"']),
        # Exam style: the answer, the totals, then the next question's clock.
        ("end", 'UPDATE "quiz_response" SET "shown_at"', [
            'UPDATE "quiz_response" SET "outcome"', 'UPDATE "quiz_attempt"', 'UPDATE "quiz_response" SET "shown_at"',
        ]),
    ],
)
def test_a_failure_after_the_answer_is_written_leaves_nothing_half_written(
    learner, questions, feedback, failing_statement, writes
):
    if connection.vendor == "postgresql":
        # There the answer, the totals and the clock are one statement (store.
        # close_and_advance), which fails whole; test_crash_recovery kills a server halfway
        # through it.
        writes = ['WITH closed AS (UPDATE "quiz_response" SET "outcome"']
        failing_statement = writes[0]
    quiz = QuizFactory(feedback=feedback, with_questions=questions)
    attempt = start(learner, quiz)
    current = show(attempt, T0)
    wrapper, sent = failing(failing_statement, "database went away")
    with connection.execute_wrapper(wrapper), pytest.raises(OperationalError, match="went away"):
        submit(attempt, 0, "answer", correct_choice(current).pk, T0 + timedelta(seconds=3))
    # On SQLite the answer's own row was written before the later write failed.
    updates = [sql for sql in sent if sql.startswith(("UPDATE", "WITH"))]
    assert [sql[: len(write)] for sql, write in zip(updates, writes)] == writes and len(updates) == len(writes)
    current.refresh_from_db()
    attempt.refresh_from_db()
    assert current.is_open and current.answered_at is None
    assert (attempt.score, attempt.answered_count) == (Decimal("0"), 0)
    assert Response.objects.get(attempt=attempt, position=1).shown_at is None


@pytest.mark.django_db
def test_a_failure_while_creating_an_attempt_leaves_no_attempt(learner, quiz):
    wrapper, sent = failing('INSERT INTO "quiz_response"', "disk full")
    with connection.execute_wrapper(wrapper), pytest.raises(OperationalError, match="disk full"):
        start(learner, quiz)
    # The attempt's row was written before its questions failed.
    assert [sql.split(" (")[0] for sql in sent if sql.startswith("INSERT")] == [
        'INSERT INTO "quiz_attempt"',
        'INSERT INTO "quiz_response"',
    ]
    assert not Attempt.objects.exists()
    assert not Response.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_a_failure_halfway_through_a_regrade_keeps_the_old_key_and_every_grade(editor_client, bank, sittings):
    """An editor moves the key of an answered question; the regrade fails as it logs itself,
    after answers and attempts were rewritten. The key, the answers and the scores stay as
    they were: learners never see grades that disagree with the question's key."""
    question = bank[0]

    def grades():
        answers = list(Response.objects.filter(question=question).order_by("pk").values_list("outcome", "marks"))
        return answers, [totals(attempt) for attempt in sittings.values()]

    before = grades()
    wrapper, sent = failing('INSERT INTO "django_admin_log"', "disk full")
    with connection.execute_wrapper(wrapper), pytest.raises(OperationalError, match="disk full"):
        move_key_to_b(editor_client, question)
    assert any(sql.startswith('UPDATE "quiz_attempt"') for sql in sent)  # the totals were rewritten
    assert question.choices.get(is_correct=True).position == 0
    assert grades() == before


# --- hostile text is shown escaped -----------------------------------------------------------

HOSTILE = '<script>alert("x")</script><img src=x onerror=alert(1)>'


@pytest.mark.django_db
def test_html_in_questions_options_and_explanations_is_shown_escaped(learner_client, learner):
    question = QuestionFactory(
        stem=f"Stem {HOSTILE}",
        explanation=f"Because {HOSTILE}",
        choices=[(f"Right {HOSTILE}", True), ("Two", False), ("Three", False), ("Four", False)],
    )
    quiz = QuizFactory(title=f"Quiz {HOSTILE}", description=HOSTILE, with_questions=[question])
    attempt = start(learner, quiz)
    with time_machine.travel(T0, tick=False):
        pages = [
            learner_client.get(reverse("quiz:list")),
            learner_client.get(quiz.get_absolute_url()),
            learner_client.get(reverse("quiz:play", args=[attempt.pk])),
            learner_client.get(reverse("quiz:play", args=[attempt.pk]), **HTMX),
        ]
        current = Response.objects.get(attempt=attempt)
        pages.append(learner_client.post(reverse("quiz:answer", args=[attempt.pk]), answer_form(current, correct_choice(current)), **HTMX))
        pages.append(learner_client.get(reverse("quiz:result", args=[attempt.pk])))
        pages.append(learner_client.get(reverse("quiz:attempts")))
    for page in pages:
        body = page.content.decode()
        assert page.status_code == 200
        assert "<script>alert" not in body and "<img src=x" not in body
        assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in body


# --- the clock's edges on every path that records an answer ----------------------------------

EDGES = [
    (18, "correct"),  # 1 s before the deadline
    (19, "correct"),  # at the deadline
    (19 + GRACE, "correct"),  # at deadline + grace
    (19 + GRACE + 1, "timed_out"),  # 1 s after deadline + grace
]


@pytest.mark.django_db
@pytest.mark.parametrize(("seconds", "outcome"), EDGES)
@pytest.mark.parametrize("htmx", [False, True], ids=["full-page", "htmx"])
def test_submit_counts_until_deadline_plus_grace(learner_client, learner, quiz, seconds, outcome, htmx):
    attempt = start(learner, quiz)
    with time_machine.travel(T0, tick=False) as clock:
        learner_client.get(reverse("quiz:play", args=[attempt.pk]))
        current = Response.objects.get(attempt=attempt, position=0)
        clock.shift(seconds)
        data = answer_form(current, correct_choice(current)) | {"seconds_taken": "1", "score": "100"}
        learner_client.post(reverse("quiz:answer", args=[attempt.pk]), data, **(HTMX if htmx else {}))
    current.refresh_from_db()
    assert current.outcome == outcome
    assert current.marks == (Decimal("2") if outcome == "correct" else Decimal("0"))


@pytest.mark.django_db
@pytest.mark.parametrize(("seconds", "still_open"), [(18, True), (19, True), (19 + GRACE, True), (19 + GRACE + 1, False)])
def test_resuming_times_out_only_after_deadline_plus_grace(learner_client, learner, quiz, seconds, still_open):
    attempt = start(learner, quiz)
    with time_machine.travel(T0, tick=False) as clock:
        learner_client.get(reverse("quiz:play", args=[attempt.pk]))
        clock.shift(seconds)
        learner_client.get(reverse("quiz:play", args=[attempt.pk]))
    first = Response.objects.get(attempt=attempt, position=0)
    assert first.is_open is still_open
    assert first.outcome == ("open" if still_open else "timed_out")


@pytest.mark.django_db
@pytest.mark.parametrize(("seconds", "status", "outcome"), [(18, 409, "open"), (19, 200, "timed_out"), (25, 200, "timed_out")])
def test_browser_timeout_is_accepted_only_from_the_deadline(learner_client, learner, quiz, seconds, status, outcome):
    attempt = start(learner, quiz)
    with time_machine.travel(T0, tick=False) as clock:
        learner_client.get(reverse("quiz:play", args=[attempt.pk]))
        clock.shift(seconds)
        current = Response.objects.get(attempt=attempt, position=0)
        response = learner_client.post(reverse("quiz:answer", args=[attempt.pk]), answer_form(current, action="expire"), **HTMX)
    current.refresh_from_db()
    assert (response.status_code, current.outcome) == (status, outcome)


# --- two requests closing the same overdue question ------------------------------------------


@pytest.mark.django_db
def test_coming_back_while_another_request_times_out_the_same_question_is_not_a_500(
    learner_client, learner, quiz, monkeypatch
):
    """The learner comes back after the deadline in two tabs at once (or as the browser's own
    time-out lands): both read question 1 as open and overdue, and the other request closes
    it first. This one shows question 2, not an error."""
    attempt = start(learner, quiz)
    show(attempt, T0)
    first = Response.objects.get(attempt=attempt, position=0)
    later = T0 + timedelta(minutes=5)
    read = store.read_upcoming

    def read_then_the_other_request_closes_it(attempt_id, user_id):
        stale = read(attempt_id, user_id)
        store.close_and_advance(
            store.Closing(first.pk, "timed_out", None, later, Decimal("0"), attempt.pk, "unanswered_count")
        )
        return stale

    monkeypatch.setattr(store, "read_upcoming", read_then_the_other_request_closes_it)
    with time_machine.travel(later, tick=False):
        page = learner_client.get(reverse("quiz:play", args=[attempt.pk]))
    assert page.status_code == 200 and "Question 2" in page.content.decode()
    first.refresh_from_db()
    attempt.refresh_from_db()
    assert first.outcome == "timed_out"
    assert (attempt.unanswered_count, attempt.answered_count) == (1, 1)  # counted once, not twice
    assert Response.objects.get(attempt=attempt, position=1).shown_at == later
