"""Sign up, log in, log out, change and reset a password at the standard /accounts/ URLs."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse

from tests.helpers import PASSWORD

pytestmark = pytest.mark.django_db
NEW_PASSWORD = "monsoon-session-2026"


def test_signup_creates_the_learner_and_logs_them_in(client):
    response = client.post(
        "/accounts/signup/",
        {"username": "kavya", "email": "kavya@example.com", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    assert response.status_code == 302 and response["Location"] == "/"
    assert client.get("/").context["user"].username == "kavya"
    assert get_user_model().objects.get(username="kavya").email == "kavya@example.com"


@pytest.mark.parametrize("next_page", ["B½", "quiz:list", "https://elsewhere.example/"])
def test_signup_and_the_language_switch_go_to_the_quiz_list_when_next_is_no_path_of_ours(client, next_page):
    signed_up = client.post(
        "/accounts/signup/",
        {"username": "kavya", "email": "kavya@example.com", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD, "next": next_page},
    )
    switched = client.post(reverse("switch_language"), {"language": "hi", "next": next_page})

    assert (signed_up.status_code, signed_up["Location"]) == (302, "/")
    assert (switched.status_code, switched["Location"]) == (302, "/")


def test_signup_with_mismatched_passwords_says_so_and_creates_nobody(client):
    response = client.post(
        "/accounts/signup/", {"username": "kavya", "email": "k@example.com", "password1": NEW_PASSWORD, "password2": "other"}
    )
    assert response.status_code == 400
    assert "The two password fields didn’t match." in response.content.decode()
    assert not get_user_model().objects.filter(username="kavya").exists()


def test_login_and_logout(client, learner):
    response = client.post("/accounts/login/", {"username": learner.username, "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == "/"
    assert client.get("/").status_code == 200
    assert client.post("/accounts/logout/").status_code == 302
    assert client.get("/").status_code == 302


def test_wrong_password_is_refused_with_a_message(client, learner):
    response = client.post("/accounts/login/", {"username": learner.username, "password": "nope"})
    assert response.status_code == 400
    assert "Please enter a correct username and password" in response.content.decode()


def test_password_change(learner_client, learner):
    response = learner_client.post(
        "/accounts/password_change/",
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response["Location"] == "/accounts/password_change/done/"
    learner.refresh_from_db()
    assert learner.check_password(NEW_PASSWORD)


def test_password_reset_by_email_link(client, learner):
    client.post("/accounts/password_reset/", {"email": learner.email})
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [learner.email]
    link = re.search(r"http://testserver(/accounts/reset/\S+/)", mail.outbox[0].body).group(1)
    form_url = client.get(link)["Location"]  # Django swaps the token for a session-held one
    response = client.post(form_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert response["Location"] == "/accounts/reset/done/"
    learner.refresh_from_db()
    assert learner.check_password(NEW_PASSWORD)


def english_words(text: str) -> list[str]:
    """Latin-letter words of an email but its link and the username: what a Hindi reader
    should not meet."""
    text = re.sub(r"https?://\S+", " ", text)
    return re.findall(r"[A-Za-z]{3,}", text)


def test_a_reset_asked_for_in_a_hindi_browser_before_log_in_is_emailed_in_hindi(client, learner):
    client.post(reverse("switch_language"), {"language": "hi", "next": "/"})
    client.post("/accounts/password_reset/", {"email": learner.email})
    email = mail.outbox[0]
    assert email.subject == "testserver पर अपना पासवर्ड फिर से सेट करें"
    assert "नया पासवर्ड चुनने के लिए यह पता खोलें:" in email.body
    assert english_words(email.body.replace(learner.username, "").replace("testserver", "")) == []
    assert re.search(r"http://testserver/accounts/reset/\S+/", email.body)


def test_a_reset_is_emailed_in_the_language_on_the_learners_profile_whatever_the_browser(client, learner):
    from accounts.models import Profile

    Profile.objects.create(user=learner, language="hi")
    client.post("/accounts/password_reset/", {"email": learner.email})  # an English browser
    assert mail.outbox[0].subject == "testserver पर अपना पासवर्ड फिर से सेट करें"
    assert f"खाते {learner.username} का पासवर्ड" in mail.outbox[0].body
    Profile.objects.filter(user=learner).update(language="en")
    client.post("/accounts/password_reset/", {"email": learner.email})
    assert mail.outbox[1].subject == "Reset your password on testserver"
    assert "Choose a new password at this address:" in mail.outbox[1].body


def test_local_setup_prints_reset_emails_to_the_console(monkeypatch):
    import importlib

    import config.settings as settings_module

    monkeypatch.delenv("EMAIL_BACKEND", raising=False)
    assert importlib.reload(settings_module).EMAIL_BACKEND == "django.core.mail.backends.console.EmailBackend"


def test_demo_accounts_exist_only_in_the_local_setup(settings):
    from django.core.management import CommandError, call_command

    settings.DEBUG = False  # production, or any server
    with pytest.raises(CommandError, match="only in the local setup"):
        call_command("create_demo_accounts", stdout=open("/dev/null", "w"))
    assert not get_user_model().objects.filter(username__in=["learner", "teacher", "admin"]).exists()


def test_the_local_setup_creates_and_prints_the_three_demo_accounts(settings, capsys):
    from django.core.management import CommandError, call_command

    settings.DEBUG = True
    if not settings.DATABASES["default"]["ENGINE"].endswith("sqlite3"):
        # CI's PostgreSQL pass: even with DEBUG on, a shared database gets no demo accounts.
        with pytest.raises(CommandError, match="only in the local setup"):
            call_command("create_demo_accounts")
        assert not get_user_model().objects.filter(username__in=["learner", "teacher", "admin"]).exists()
        return
    call_command("create_demo_accounts")
    printed = capsys.readouterr().out
    users = {u.username: u for u in get_user_model().objects.filter(username__in=["learner", "teacher", "admin"])}
    assert users["learner"].check_password("learn-upsc-2026") and not users["learner"].is_staff
    assert users["teacher"].groups.filter(name="Teachers").exists() and not users["teacher"].is_staff
    assert users["admin"].is_superuser and users["admin"].check_password("admin-upsc-2026")
    assert "learn-upsc-2026" in printed and "teach-upsc-2026" in printed and "admin-upsc-2026" in printed


def test_each_requests_user_is_read_as_the_orm_reads_it(learner):
    from django.contrib.auth.models import Group

    from accounts.backends import ThrottledModelBackend

    learner.groups.add(Group.objects.get_or_create(name="Question editors")[0])
    learner.last_login = learner.date_joined
    learner.save()

    read = ThrottledModelBackend().get_user(learner.pk)

    by_orm = get_user_model().objects.get(pk=learner.pk)
    fields = [field.attname for field in by_orm._meta.concrete_fields]
    assert [getattr(read, name) for name in fields] == [getattr(by_orm, name) for name in fields]
    assert read.last_login.tzinfo is not None and read.is_active is True
    assert read.check_password(PASSWORD) and list(read.groups.values_list("name", flat=True)) == ["Question editors"]


def test_a_deactivated_or_deleted_account_is_logged_out_on_its_next_request(learner_client, learner):
    assert learner_client.get("/").status_code == 200
    learner.is_active = False
    learner.save()
    assert learner_client.get("/")["Location"].startswith("/accounts/login/")

    learner.is_active = True
    learner.save()
    learner_client.force_login(learner)
    assert learner_client.get("/").status_code == 200
    learner.delete()
    assert learner_client.get("/")["Location"].startswith("/accounts/login/")


def test_the_navigation_shows_teach_as_the_teachers_group_says_with_no_query_of_its_own(client, teacher):
    """Whether the user is in the Teachers group comes with the user read, and follows the group
    from one request to the next."""
    from django.contrib.auth.models import Group
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(teacher)
    with CaptureQueriesContext(connection) as captured:
        page = client.get(reverse("quiz:attempts")).content.decode()
    assert 'href="/teach/"' in page
    assert not [q["sql"] for q in captured if '"auth_group"' in q["sql"] and '"auth_user"' not in q["sql"]]

    teacher.groups.remove(Group.objects.get(name="Teachers"))
    page = client.get(reverse("quiz:attempts")).content.decode()
    assert 'href="/teach/"' not in page and "Join a class" in page
    assert client.get(reverse("teaching:index")).status_code == 404  # as for any learner
