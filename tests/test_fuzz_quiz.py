"""Property-based: random and malformed form data, ids, query strings and htmx headers sent
to every learner endpoint never get a 500, and a rejected request writes nothing."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from django.urls import reverse
from django.utils import timezone

from quiz.models import Attempt, Response
from tests.helpers import start

pytestmark = pytest.mark.django_db
FUZZ = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])

text = st.text(max_size=40)
numberish = st.one_of(
    st.integers(min_value=-(2**70), max_value=2**70).map(str), text, st.just(""), st.just("0"), st.just("1")
)
form_data = st.dictionaries(
    st.sampled_from(["position", "choice", "action", "confidence", "csrfmiddlewaretoken", "score", "deadline", "x"]) | text,
    st.one_of(numberish, st.sampled_from(["answer", "skip", "expire", "reveal", "sure", "fifty", "guess"])),
    max_size=6,
)
htmx_headers = st.sampled_from([{}, {"HTTP_HX_REQUEST": "true"}, {"HTTP_HX_REQUEST": "false"}, {"HTTP_HX_REQUEST": "<x>", "HTTP_HX_TARGET": "'\""}])
path_id = st.one_of(st.integers(min_value=0, max_value=10**25).map(str), st.from_regex(r"[0-9a-z%.\-]{1,12}", fullmatch=True))
query = st.dictionaries(text, text, max_size=3)


def database_state():
    return (
        list(Attempt.objects.order_by("pk").values_list("pk", "score", "finished_at", "correct_count", "wrong_count", "unanswered_count")),
        list(Response.objects.order_by("pk").values_list("pk", "outcome", "choice_id", "answered_at", "shown_at", "confidence")),
    )


@pytest.fixture
def attempt(learner, quiz):
    return start(learner, quiz)


@FUZZ
@given(data=form_data, headers=htmx_headers)
def test_random_answer_posts_never_500_and_rejected_ones_write_nothing(learner_client, attempt, data, headers):
    learner_client.get(reverse("quiz:play", args=[attempt.pk]))
    before = database_state()
    response = learner_client.post(reverse("quiz:answer", args=[attempt.pk]), data, **headers)
    assert response.status_code < 500
    if response.status_code >= 400:
        assert database_state() == before


@FUZZ
@given(segment=path_id, number=path_id, params=query, headers=htmx_headers)
def test_random_ids_and_query_strings_never_500(learner_client, attempt, segment, number, params, headers):
    urls = [
        f"/attempts/{segment}/",
        f"/attempts/{segment}/result/",
        f"/attempts/{attempt.pk}/questions/{number}/",
        f"/quizzes/{segment}/",
        f"/sources/{segment}/",
        "/attempts/",
        "/",
    ]
    for url in urls:
        response = learner_client.get(url, params, **headers)
        assert response.status_code < 500, url
    before = database_state()
    for url in [f"/attempts/{segment}/answer/", f"/quizzes/{segment}/start/"]:
        response = learner_client.post(url, params, **headers)
        assert response.status_code < 500, url
        if response.status_code >= 400:
            assert database_state() == before


# --- a paper ----------------------------------------------------------------------------------

paper_form = st.dictionaries(
    st.sampled_from(["choice", "action", "go", "position", "score", "deadline", "x"]) | text,
    st.one_of(numberish, st.sampled_from(["save", "review", "clear", "next", "stay", "submit"])),
    max_size=6,
)


def paper_state():
    return (
        list(Attempt.objects.order_by("pk").values_list("pk", "score", "finished_at", "on_screen_position")),
        list(Response.objects.order_by("pk").values_list("pk", "outcome", "saved_choice_id", "marked_for_review", "shown_at")),
    )


@pytest.fixture
def paper(learner, questions):
    from tests.factories import QuizFactory

    quiz = QuizFactory(slug="mock-paper", timing="paper", feedback="end", seconds_per_question=600, with_questions=questions)
    return start(learner, quiz, now=timezone.now())


@FUZZ
@given(data=paper_form, number=st.one_of(st.sampled_from(["1", "2", "3", "4"]), path_id), headers=htmx_headers)
def test_random_paper_saves_never_500_and_refused_ones_write_nothing(learner_client, paper, data, number, headers):
    learner_client.get(f"/attempts/{paper.pk}/paper/1/")
    before = paper_state()
    response = learner_client.post(f"/attempts/{paper.pk}/paper/{number}/", data, **headers)
    assert response.status_code < 500
    if response.status_code >= 400:
        assert paper_state() == before


@FUZZ
@given(segment=path_id, number=path_id, data=query, headers=htmx_headers)
def test_random_paper_urls_and_submits_never_500(learner_client, other_learner, paper, segment, number, data, headers):
    for url in (f"/attempts/{segment}/paper/", f"/attempts/{segment}/paper/{number}/", f"/attempts/{paper.pk}/paper/{number}/", f"/attempts/{segment}/paper/submit/"):
        assert learner_client.get(url, data, **headers).status_code < 500, url
    # Another learner's submit, whatever it sends, closes nothing.
    from django.test import Client

    outsider = Client()
    outsider.force_login(other_learner)
    before = paper_state()
    assert outsider.post(f"/attempts/{paper.pk}/paper/submit/", data, **headers).status_code == 404
    assert paper_state() == before
