"""Log-in, sign-up and reset limits (accounts/throttle.py): lock-outs per account and address,
a daily bound per account that slows and never locks, password checks limited per account and
per address (successful log-ins too), each refusal a 429 with a clear message."""

from datetime import timedelta

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.core.cache import cache

from accounts.models import RateCount
from tests.factories import UserFactory
from tests.helpers import PASSWORD, T0

pytestmark = pytest.mark.django_db
LOCKED = "Too many failed log-ins for this account"
HOME = "203.0.113.7"  # the learner's own address


@pytest.fixture(autouse=True)
def limits(settings):
    settings.LOGIN_FAILURES_PER_ACCOUNT_AND_ADDRESS = 5
    settings.LOGIN_FAILURES_PER_ACCOUNT_PER_DAY = 20
    settings.LOGIN_CHECKS_PER_MINUTE_WHEN_SLOWED = 1
    settings.LOGIN_CHECKS_PER_ACCOUNT_PER_MINUTE = 10
    settings.LOGIN_CHECKS_PER_ADDRESS_PER_MINUTE = 100
    settings.SIGNUPS_PER_ADDRESS_PER_HOUR = 3


@pytest.fixture
def clock():
    with time_machine.travel(T0, tick=False) as traveller:
        yield traveller


def log_in(client, username, password, address=HOME, url="/accounts/login/"):
    response = client.post(url, {"username": username, "password": password}, REMOTE_ADDR=address)
    logged_in = "_auth_user_id" in client.session
    client.logout()
    response.logged_in = logged_in
    return response


def test_five_wrong_passwords_lock_the_account_at_that_address_even_against_the_right_one(client, learner):
    for _ in range(5):
        assert log_in(client, learner.username, "wrong").status_code == 400
    response = log_in(client, learner.username, PASSWORD)
    assert response.status_code == 429 and not response.logged_in
    assert LOCKED in response.content.decode() and "Wait 15 minutes" in response.content.decode()


def test_the_lock_is_per_account_and_ignores_the_letter_case(client, learner, other_learner):
    for _ in range(5):
        log_in(client, learner.username.upper(), "wrong")
    assert log_in(client, learner.username, PASSWORD).status_code == 429
    assert log_in(client, other_learner.username, PASSWORD).status_code == 302


def test_failures_from_other_addresses_never_lock_the_learner_out_at_their_own(client, learner):
    """Issue 15, item 4: five wrong passwords for a victim's username from anywhere used to
    refuse the victim everywhere for 15 minutes."""
    for _ in range(5):
        assert log_in(client, learner.username, "wrong", address="198.51.100.66").status_code == 400
    assert log_in(client, learner.username, PASSWORD, address="198.51.100.66").status_code == 429
    assert log_in(client, learner.username, PASSWORD).logged_in


def test_learners_at_a_shared_address_with_the_right_password_are_never_refused(client, learner, other_learner):
    """A coaching centre: someone there fails 60 log-ins over 12 accounts (5 each, the most
    they get); the learners there who type their own password get in."""
    centre = "100.64.0.1"
    for n in range(12):
        for _ in range(5):
            assert log_in(client, f"guess{n}", "wrong", address=centre).status_code == 400
        assert log_in(client, f"guess{n}", "wrong", address=centre).status_code == 429
    assert log_in(client, learner.username, PASSWORD, address=centre).logged_in
    assert log_in(client, other_learner.username, PASSWORD, address=centre).logged_in


def test_a_successful_log_in_forgets_earlier_failures_at_that_address(client, learner):
    for _ in range(4):
        log_in(client, learner.username, "wrong")
    assert log_in(client, learner.username, PASSWORD).logged_in
    for _ in range(4):
        log_in(client, learner.username, "wrong")
    assert log_in(client, learner.username, PASSWORD).logged_in


def test_failures_from_many_addresses_slow_the_account_after_a_daily_bound_never_lock_it(client, learner, clock):
    """20 failures a day from all addresses together (4 addresses, 5 each); then the account
    takes one password check a minute, from anywhere: a bounded number of guesses a day for an
    attacker with many addresses, and the owner still gets in, after a minute at worst."""
    for n in range(4):
        for _ in range(5):
            assert log_in(client, learner.username, "wrong", address=f"198.51.100.{n}").status_code == 400
        clock.shift(timedelta(minutes=1))  # under the password checks per account per minute
    assert log_in(client, learner.username, "wrong", address="198.51.100.50").status_code == 400
    slowed = log_in(client, learner.username, PASSWORD)
    assert slowed.status_code == 429 and not slowed.logged_in
    assert "takes one try at a time. Try again in a minute" in slowed.content.decode()
    clock.shift(timedelta(seconds=61))
    assert log_in(client, learner.username, PASSWORD).logged_in
    assert log_in(client, learner.username, "wrong", address="198.51.100.51").status_code == 429
    clock.shift(timedelta(days=1))
    assert log_in(client, learner.username, "wrong", address="198.51.100.51").status_code == 400
    assert log_in(client, learner.username, PASSWORD).logged_in


def test_successful_log_ins_are_limited_per_account_so_no_client_occupies_the_workers(client, learner, clock):
    """Issue 15, item 1: sixty connections logging in again and again to the attacker's own
    account, each costing a worker a quarter of a second of hashing, were never limited."""
    assert all(log_in(client, learner.username, PASSWORD).logged_in for _ in range(10))
    refused = log_in(client, learner.username, PASSWORD, address="198.51.100.70")
    assert refused.status_code == 429 and not refused.logged_in
    assert "Too many log-ins to this account just now. Try again in a minute." in refused.content.decode()
    clock.shift(timedelta(seconds=61))
    assert log_in(client, learner.username, PASSWORD).logged_in


def test_password_checks_are_limited_per_address_whatever_the_accounts(client, settings, clock):
    settings.LOGIN_CHECKS_PER_ADDRESS_PER_MINUTE = 12
    users = UserFactory.create_batch(4)
    assert all(log_in(client, user.username, PASSWORD).logged_in for user in users for _ in range(3))
    refused = log_in(client, users[0].username, PASSWORD)
    assert refused.status_code == 429 and "Too many log-ins from your network just now" in refused.content.decode()
    assert log_in(client, users[0].username, PASSWORD, address="198.51.100.71").logged_in
    clock.shift(timedelta(seconds=61))
    assert log_in(client, users[0].username, PASSWORD).logged_in


def test_a_refused_log_in_checks_no_password_and_does_not_stretch_the_lock(client, learner, clock):
    for _ in range(5):
        log_in(client, learner.username, "wrong")
    clock.shift(timedelta(minutes=14))
    assert log_in(client, learner.username, "wrong").status_code == 429
    clock.shift(timedelta(minutes=1, seconds=1))
    assert log_in(client, learner.username, PASSWORD).logged_in


def test_the_limits_are_in_the_database_and_survive_the_cache_being_emptied(client, learner):
    """Issue 15, item 5: Redis came back empty and every lock-out was forgotten."""
    for _ in range(5):
        log_in(client, learner.username, "wrong")
    cache.clear()
    assert log_in(client, learner.username, PASSWORD).status_code == 429
    assert RateCount.objects.filter(key__contains="login-failures").exists()


def test_the_admin_log_in_is_held_by_the_same_lock(client):
    admin = UserFactory(username="root", is_staff=True, is_superuser=True)
    for _ in range(5):
        log_in(client, admin.username, "wrong", url="/admin/login/")
    assert not log_in(client, admin.username, PASSWORD, url="/admin/login/").logged_in
    assert client.get("/admin/").status_code == 302


def test_behind_a_proxy_the_forwarded_address_is_the_one_limited(client, learner, settings):
    settings.TRUSTED_PROXY_COUNT = 1

    def attempt(password, forwarded):
        response = client.post(
            "/accounts/login/", {"username": learner.username, "password": password},
            REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR=forwarded,
        )  # fmt: skip
        client.logout()
        return response.status_code

    # What the client claims (the left entry) changes nothing: the proxy's entry is the address.
    assert [attempt("no", f"1.2.3.{n}, 192.0.2.1") for n in range(5)] == [400] * 5
    assert (attempt(PASSWORD, "192.0.2.1"), attempt(PASSWORD, "192.0.2.2")) == (429, 302)


def test_reset_requests_never_block_the_log_in(client, learner, settings):
    """The issue's attack: five wrong passwords from elsewhere, then three reset requests: the
    victim was refused both for 15 minutes. Now the resets are limited on their own, and the
    victim logs in at home."""
    settings.PASSWORD_RESETS_PER_EMAIL_PER_HOUR = 3
    for _ in range(5):
        log_in(client, learner.username, "wrong", address="198.51.100.80")
    for _ in range(3):
        client.post("/accounts/password_reset/", {"email": learner.email}, REMOTE_ADDR="198.51.100.80")
    assert log_in(client, learner.username, PASSWORD).logged_in


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
    """Someone's five wrong guesses here must not keep the owner out: the lock message offers
    a password reset, and the reset link proves the owner holds the account's email."""
    import re

    from django.core import mail

    for _ in range(5):
        log_in(client, learner.username, "wrong", address="198.51.100.20")
    locked = log_in(client, learner.username, PASSWORD, address="198.51.100.20")
    assert locked.status_code == 429 and "or reset your password" in locked.content.decode()

    client.post("/accounts/password_reset/", {"email": learner.email})
    link = re.search(r"http://testserver(/accounts/reset/\S+/)", mail.outbox[0].body).group(1)
    form_url = client.get(link)["Location"]
    reset = client.post(form_url, {"new_password1": "monsoon-session-2026", "new_password2": "monsoon-session-2026"})
    assert reset["Location"] == "/accounts/reset/done/"
    assert log_in(client, learner.username, "monsoon-session-2026", address="198.51.100.20").logged_in


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


# --- the current password, asked to change it -------------------------------------------------


def test_wrong_current_passwords_are_limited_like_wrong_log_ins(learner_client, learner, clock):
    """Issue 15, item 10: 25 wrong current passwords, then the right one, changed the password.
    Now five, then a 429 that checks nothing, the right one included, for 15 minutes."""

    def change(old):
        data = {"old_password": old, "new_password1": "monsoon-2027-xyz", "new_password2": "monsoon-2027-xyz"}
        return learner_client.post("/accounts/password_change/", data)

    assert [change(f"guess{n}").status_code for n in range(5)] == [400] * 5
    refused = change(PASSWORD)
    assert refused.status_code == 429
    assert "Too many wrong current passwords. Wait 15 minutes" in refused.content.decode()
    learner.refresh_from_db()
    assert learner.check_password(PASSWORD)
    clock.shift(timedelta(minutes=15, seconds=1))
    assert change(PASSWORD)["Location"] == "/accounts/password_change/done/"
    learner.refresh_from_db()
    assert learner.check_password("monsoon-2027-xyz")
