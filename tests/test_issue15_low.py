"""Issue 15's low-severity points: a form in a charset other than UTF-8 (item 7), which
responses browsers and proxies may keep (item 8), and what an editor's 403 writes to the
log (item 14)."""

import pytest
from django.test import Client

from tests.factories import UserFactory
from tests.test_teaching_views import report_setup  # noqa: F401 - a fixture

pytestmark = pytest.mark.django_db
UTF16_FORM = "application/x-www-form-urlencoded; charset=utf-16"


@pytest.mark.parametrize("url", ["/accounts/login/", "/accounts/signup/", "/", "/classes/join/", "/quizzes/x/start/"])
@pytest.mark.parametrize("logged_in", [False, True])
def test_a_form_declared_in_utf16_is_a_400_with_a_message_never_a_500(url, logged_in):
    client = Client(enforce_csrf_checks=True, raise_request_exception=False)
    if logged_in:
        client.force_login(UserFactory(username="meera"))
    client.get("/accounts/login/")  # the CSRF cookie, as a browser holds it
    users = list(UserFactory._meta.model.objects.values_list("username", flat=True))
    response = client.post(url, data="username=a&password=b", content_type=UTF16_FORM)
    assert response.status_code == 400
    assert "forms here are sent as UTF-8" in response.content.decode()
    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert list(UserFactory._meta.model.objects.values_list("username", flat=True)) == users


# --- item 8: what no cache may keep ----------------------------------------------------------


def never_kept(response) -> bool:
    directives = {d.strip() for d in response.get("Cache-Control", "").split(",")}
    return {"private", "no-store"} <= directives


def test_a_teachers_reviews_reports_and_exports_are_never_kept_by_a_cache(client, report_setup, teacher):
    classroom, urls = report_setup
    client.force_login(teacher)
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200 and never_kept(response), url


def test_a_learners_result_feedback_and_lists_are_never_kept_by_a_cache(client, learner, quiz):
    from django.urls import reverse

    from tests.helpers import T0, correct_choice, show, start, submit

    attempt = start(learner, quiz)
    for position in range(3):
        submit(attempt, position, "answer", correct_choice(show(attempt)).pk, T0)
    client.force_login(learner)
    urls = [
        reverse("quiz:result", args=[attempt.pk]),
        reverse("quiz:feedback", args=[attempt.pk, 1]),
        reverse("quiz:attempts"),
        reverse("quiz:list"),
        quiz.get_absolute_url(),
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200 and never_kept(response), url
    htmx = client.get(urls[1], HTTP_HX_REQUEST="true")
    assert never_kept(htmx)


# --- item 14: an editor's 403 in the log -------------------------------------------------------


def test_an_editors_403_writes_one_line_to_the_log_not_a_traceback(editor_client, caplog):
    with caplog.at_level("WARNING", logger="django.request"):
        response = editor_client.get("/admin/auth/user/")
    assert response.status_code == 403
    forbidden = [r for r in caplog.records if r.name == "django.request"]
    assert [r.getMessage() for r in forbidden] == ["Forbidden (Permission denied): /admin/auth/user/"]
    assert "Traceback" not in caplog.text and len(caplog.text.strip().splitlines()) == 1


def test_the_liveness_probe_of_a_logged_in_browser_asks_nothing_of_the_database(client, learner, django_assert_num_queries):
    """Marking a logged-in person's pages private must not load the user on requests that
    never needed one: each /livez probe paid an SQL query, and the benchmark's ceiling fell by
    a third to a half."""
    client.force_login(learner)
    client.get("/livez")  # the session, read once into the cache
    with django_assert_num_queries(0):
        response = client.get("/livez", HTTP_HOST="testserver")
    assert response.status_code == 200 and never_kept(response)
