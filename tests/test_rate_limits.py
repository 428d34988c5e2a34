"""Log-in and sign-up are rate-limited per account and per address, with a clear message."""

import pytest
from django.contrib.auth import get_user_model

from tests.factories import UserFactory
from tests.helpers import PASSWORD

pytestmark = pytest.mark.django_db
LOCKED = "Too many failed log-ins for this account"


@pytest.fixture(autouse=True)
def limits(settings):
    settings.LOGIN_FAILURES_PER_ACCOUNT = 5
    settings.LOGIN_FAILURES_PER_ADDRESS = 8
    settings.SIGNUPS_PER_ADDRESS_PER_HOUR = 3


def log_in(client, username, password, address="203.0.113.7", url="/accounts/login/"):
    return client.post(url, {"username": username, "password": password}, REMOTE_ADDR=address)


def test_five_wrong_passwords_lock_the_account_even_against_the_right_one(client, learner):
    for _ in range(5):
        assert log_in(client, learner.username, "wrong").status_code == 400
    response = log_in(client, learner.username, PASSWORD)
    assert response.status_code == 429
    assert LOCKED in response.content.decode() and "Wait 15 minutes" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_the_lock_is_per_account_and_ignores_the_letter_case(client, learner, other_learner):
    for _ in range(5):
        log_in(client, learner.username.upper(), "wrong")
    assert log_in(client, learner.username, PASSWORD).status_code == 429
    assert log_in(client, other_learner.username, PASSWORD).status_code == 302


def test_a_successful_log_in_forgets_earlier_failures(client, learner):
    for _ in range(4):
        log_in(client, learner.username, "wrong")
    assert log_in(client, learner.username, PASSWORD).status_code == 302
    client.logout()
    for _ in range(4):  # from another address, to stay under the per-address limit
        log_in(client, learner.username, "wrong", address="203.0.113.8")
    assert log_in(client, learner.username, PASSWORD, address="203.0.113.8").status_code == 302


def test_many_failures_from_one_address_lock_that_address_only(client, learner):
    for n in range(8):
        log_in(client, f"guess{n}", "wrong", address="198.51.100.9")
    response = log_in(client, learner.username, PASSWORD, address="198.51.100.9")
    assert response.status_code == 429 and "Too many failed log-ins for your network" in response.content.decode()
    assert "reset your password" not in response.content.decode()  # a new password would not help
    assert log_in(client, learner.username, PASSWORD, address="198.51.100.10").status_code == 302


def test_the_admin_log_in_is_held_by_the_same_lock(client):
    admin = UserFactory(username="root", is_staff=True, is_superuser=True)
    for _ in range(5):
        log_in(client, admin.username, "wrong", url="/admin/login/")
    log_in(client, admin.username, PASSWORD, url="/admin/login/")
    assert "_auth_user_id" not in client.session
    assert client.get("/admin/").status_code == 302


def test_behind_a_proxy_the_forwarded_address_is_the_one_limited(client, learner, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    for n in range(8):
        client.post("/accounts/login/", {"username": f"x{n}", "password": "no"}, REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="1.2.3.4, 192.0.2.1")
    blocked = client.post("/accounts/login/", {"username": learner.username, "password": PASSWORD}, REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="192.0.2.1")
    allowed = client.post("/accounts/login/", {"username": learner.username, "password": PASSWORD}, REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="192.0.2.2")
    assert (blocked.status_code, allowed.status_code) == (429, 302)


def test_sign_ups_are_limited_per_address(client):
    def sign_up(name):
        data = {"username": name, "email": f"{name}@example.com", "password1": "monsoon-2026-x", "password2": "monsoon-2026-x"}
        response = client.post("/accounts/signup/", data, REMOTE_ADDR="203.0.113.50")
        client.logout()
        return response

    assert [sign_up(f"aspirant{n}").status_code for n in range(3)] == [302, 302, 302]
    refused = sign_up("aspirant3")
    assert refused.status_code == 429 and "Too many sign-ups from your network" in refused.content.decode()
    assert not get_user_model().objects.filter(username="aspirant3").exists()


def test_resetting_the_password_lifts_the_accounts_lock_as_the_message_says(client, learner):
    """Someone else's five wrong guesses must not keep the owner out: the lock message offers
    a password reset, and the reset link proves the owner holds the account's email."""
    import re

    from django.core import mail

    for _ in range(5):
        log_in(client, learner.username, "wrong", address="198.51.100.20")
    locked = log_in(client, learner.username, PASSWORD)
    assert locked.status_code == 429 and "or reset your password" in locked.content.decode()

    client.post("/accounts/password_reset/", {"email": learner.email})
    link = re.search(r"http://testserver(/accounts/reset/\S+/)", mail.outbox[0].body).group(1)
    form_url = client.get(link)["Location"]
    reset = client.post(form_url, {"new_password1": "monsoon-session-2026", "new_password2": "monsoon-session-2026"})
    assert reset["Location"] == "/accounts/reset/done/"
    assert log_in(client, learner.username, "monsoon-session-2026").status_code == 302


# --- password-reset emails ----------------------------------------------------------------------


def ask_for_reset(client, email, address="203.0.113.7"):
    return client.post("/accounts/password_reset/", {"email": email}, REMOTE_ADDR=address)


def test_a_few_reset_links_an_hour_reach_one_inbox_then_a_clear_429(client, learner, settings, mailoutbox):
    settings.PASSWORD_RESETS_PER_EMAIL_PER_HOUR = 3
    for n in range(3):
        assert ask_for_reset(client, learner.email, address=f"198.51.100.{n}").status_code == 302
    response = ask_for_reset(client, learner.email.upper(), address="198.51.100.9")
    assert response.status_code == 429
    assert "Too many reset links were asked for this email address" in response.content.decode()
    assert len(mailoutbox) == 3 and {m.to[0] for m in mailoutbox} == {learner.email}


def test_one_network_cannot_ask_for_reset_links_without_end(client, settings, mailoutbox):
    settings.PASSWORD_RESETS_PER_ADDRESS_PER_HOUR = 4
    accounts = UserFactory.create_batch(5)
    answers = [ask_for_reset(client, user.email).status_code for user in accounts]
    assert answers == [302, 302, 302, 302, 429]
    assert len(mailoutbox) == 4


def test_asking_for_an_unknown_address_counts_the_same_and_sends_nothing(client, settings, mailoutbox):
    """The answer must not tell who has an account: unknown addresses are counted and refused
    alike, with no email sent."""
    settings.PASSWORD_RESETS_PER_EMAIL_PER_HOUR = 1
    assert ask_for_reset(client, "nobody@example.com").status_code == 302
    assert ask_for_reset(client, "nobody@example.com").status_code == 429
    assert mailoutbox == []
