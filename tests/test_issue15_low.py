"""Issue 15's low-severity points: a form in a charset other than UTF-8 (item 7), which
responses browsers and proxies may keep (item 8), and what an editor's 403 writes to the
log (item 14)."""

import pytest
from django.test import Client

from tests.factories import UserFactory

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
