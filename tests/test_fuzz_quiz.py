"""Property-based: random and malformed form data, ids, query strings and htmx headers sent
to every learner endpoint never get a 500, and a rejected request writes nothing."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from django.urls import reverse

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
