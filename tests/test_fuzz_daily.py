"""Property-based: random and malformed query strings, ids and form data sent to the daily
habit's URLs (the catalogue's filters, leaderboards, problem reports, notices, the profile).
No response is a 500, and a refused request writes nothing."""

import pytest
from django.test import Client
from hypothesis import given
from hypothesis import strategies as st

from daily.models import ProblemReport
from tests.factories import TopicFactory
from tests.test_access_matrix import every_row
from tests.test_fuzz_everything import FUZZ, FUZZ_MANY_URLS, htmx_headers, path_id, query, refused_wrote_nothing, text
from tests.test_teaching_support import make_class, make_quiz, take

pytestmark = pytest.mark.django_db
reasons = st.one_of(st.sampled_from([c for c, _ in ProblemReport.Reason.choices]), text, st.just(""))


@pytest.fixture
def daily(teacher, learner, other_learner):
    TopicFactory(name="Polity", slug="polity")
    quiz = make_quiz(2, slug="polity-weekly")
    classroom, _ = make_class(teacher, quiz, [learner, other_learner])
    attempt = take(learner, quiz, ["A", "B"])
    take(other_learner, quiz, ["B", "A"])
    return classroom, quiz, attempt


@pytest.fixture
def asha(learner):
    client = Client()
    client.force_login(learner)
    return client


@FUZZ
@given(
    filters=st.fixed_dictionaries(
        {}, optional={"topic": st.one_of(text, st.just("polity")), "todo": text, "q": st.one_of(text, st.text(min_size=90, max_size=120)), "page": text}
    ),
    extra=query,
    headers=htmx_headers,
)
def test_the_catalogue_with_any_filters_never_500(asha, daily, filters, extra, headers):
    # The first visit reads the learner's finished attempts into their mistakes notebook (the
    # learning app): a write of its own, before the filters are tried.
    asha.get("/")
    before = every_row()
    response = asha.get("/", {**extra, **filters}, **headers)
    assert response.status_code in (200, 400)
    assert every_row() == before


@FUZZ_MANY_URLS
@given(slug=path_id, segment=path_id, params=query, headers=htmx_headers)
def test_leaderboards_and_report_pages_with_random_ids_never_500(asha, daily, slug, segment, params, headers):
    classroom, quiz, attempt = daily
    urls = [
        f"/quizzes/{slug}/leaderboard/",
        f"/quizzes/{quiz.slug}/leaderboard/",
        f"/teach/classes/{segment}/quizzes/{slug}/leaderboard/",
        f"/teach/classes/{classroom.pk}/quizzes/{quiz.slug}/leaderboard/",
        f"/attempts/{segment}/questions/{segment}/report/",
        f"/attempts/{attempt.pk}/questions/{segment}/report/",
        "/profile/",
    ]
    before = every_row()
    for url in urls:
        assert asha.get(url, params, **headers).status_code < 500, url
    assert asha.post(f"/reports/{segment}/dismiss/", params, **headers).status_code < 500
    assert every_row() == before


@FUZZ
@given(number=st.one_of(st.just("1"), st.just("2"), path_id), reason=reasons, note=st.one_of(text, st.text(min_size=990, max_size=1010)), extra=query, headers=htmx_headers)
def test_reporting_a_problem_with_any_data_never_500(asha, daily, number, reason, note, extra, headers):
    _, _, attempt = daily
    ProblemReport.objects.all().delete()  # each example starts with none open
    before = every_row()
    response = asha.post(f"/attempts/{attempt.pk}/questions/{number}/report/", {**extra, "reason": reason, "note": note}, **headers)
    refused_wrote_nothing(response, before)


@FUZZ
@given(name=st.one_of(text, st.text(min_size=35, max_size=60)), extra=query, headers=htmx_headers)
def test_choosing_any_display_name_never_500(asha, daily, name, extra, headers):
    before = every_row()
    response = asha.post("/profile/", {**extra, "display_name": name}, **headers)
    refused_wrote_nothing(response, before)
