"""Issue 15, item 11: `аlice` (Cyrillic а) signed up beside `alice`. A username confusable with
an existing one (NFKC, case, and Unicode's confusables as in TR39: accounts/lookalikes.py) is
refused with a clear message at sign-up and in admin; distinct names are not."""

import html

import pytest
from django.contrib.auth import get_user_model

from accounts.lookalikes import LOOKALIKE_MESSAGE, skeleton
from accounts.models import UsernameSkeleton
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
User = get_user_model()
PASSWORD = "monsoon-session-2026"
MESSAGE = html.escape(str(LOOKALIKE_MESSAGE))


def sign_up(client, username):
    data = {"username": username, "email": "someone@example.com", "password1": PASSWORD, "password2": PASSWORD}
    return client.post("/accounts/signup/", data)


@pytest.fixture
def alice(db):
    return UserFactory(username="alice")


@pytest.mark.parametrize(
    "username",
    [
        "\u0430lice",  # Cyrillic а
        "alic\u0435",  # Cyrillic е
        "\u0410lice",  # Cyrillic capital А
        "\u03b1lice",  # Greek alpha
        "a1ice",  # the digit one for l
        "aIice",  # a capital I for l
    ],
)
def test_a_lookalike_of_an_existing_username_is_refused_at_sign_up(client, alice, username):
    reply = sign_up(client, username)
    assert reply.status_code == 400
    assert MESSAGE in reply.content.decode()
    assert list(User.objects.values_list("username", flat=True)) == ["alice"]


@pytest.mark.parametrize("username", ["ALICE", "Alice", "\uff41\uff4c\uff49\uff43\uff45", "\U0001d41a\U0001d425\U0001d422\U0001d41c\U0001d41e"])
def test_the_same_name_in_capitals_fullwidth_or_mathematical_letters_is_refused(client, alice, username):
    reply = sign_up(client, username)
    assert reply.status_code == 400
    page = reply.content.decode()
    # Django refuses these itself (NFKC, then case); either way the learner is told why.
    assert MESSAGE in page or "A user with that username already exists." in page
    assert User.objects.count() == 1


@pytest.mark.parametrize("username", ["alicia", "alice2", "bob", "malice", "priya", "rahul", "ravi.kumar"])
def test_ordinary_distinct_names_are_accepted(client, alice, username):
    reply = sign_up(client, username)
    assert reply.status_code == 302, reply.content.decode()[-2000:]
    assert User.objects.filter(username=username).exists()


def test_the_skeletons_of_lookalikes_agree_and_of_distinct_names_do_not():
    assert skeleton("alice") == skeleton("\u0430lice") == skeleton("ALICE") == skeleton("\uff41\uff4c\uff49\uff43\uff45")
    assert skeleton("mary") == skeleton("rnary")
    assert len({skeleton(name) for name in ["alice", "alicia", "alice2", "bob", "ian", "lan"]}) == 6


def test_every_saved_username_has_its_skeleton_stored_and_a_rename_updates_it(alice):
    key = UsernameSkeleton.objects.get(user=alice).key
    alice.username = "alice_r"
    alice.save()
    assert UsernameSkeleton.objects.get(user=alice).key != key
    alice.last_login = None
    alice.save(update_fields=["last_login"])  # the log-in's save: nothing to do
    assert UsernameSkeleton.objects.count() == 1


INLINE = {"time_allowance-TOTAL_FORMS": "0", "time_allowance-INITIAL_FORMS": "0", "time_allowance-MIN_NUM_FORMS": "0", "time_allowance-MAX_NUM_FORMS": "1"}


def test_admin_refuses_adding_a_lookalike_user(admin_client, alice):
    data = {"username": "\u0430lice", "password1": PASSWORD, "password2": PASSWORD, "usable_password": "true", **INLINE}
    reply = admin_client.post("/admin/auth/user/add/", data)
    assert reply.status_code == 200 and MESSAGE in reply.content.decode()
    assert not User.objects.filter(username="\u0430lice").exists()
    data["username"] = "alicia"
    assert admin_client.post("/admin/auth/user/add/", data).status_code == 302
    assert User.objects.filter(username="alicia").exists()


def test_admin_refuses_renaming_a_user_to_a_lookalike_and_keeps_a_users_own_name(admin_client, alice):
    bob = UserFactory(username="bob")
    url = f"/admin/auth/user/{bob.pk}/change/"
    data = {"email": bob.email, "is_active": "on", "date_joined_0": "2026-11-25", "date_joined_1": "10:00:00", **INLINE}
    reply = admin_client.post(url, {**data, "username": "\u0430lice"})
    assert reply.status_code == 200 and MESSAGE in reply.content.decode()
    bob.refresh_from_db()
    assert bob.username == "bob"
    reply = admin_client.post(url, {**data, "username": "bob", "first_name": "Bobby"})
    assert reply.status_code == 302, reply.content.decode()[-3000:]
    bob.refresh_from_db()
    assert bob.first_name == "Bobby"
