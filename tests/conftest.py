"""Fixtures named for the people in the story. Helpers the test modules share are in
tests/helpers.py."""

import os
import shutil
import subprocess
import time
from pathlib import Path

import pytest
from django.utils import timezone, translation

from tests.factories import QuestionFactory, QuizFactory, UserFactory
from tests.helpers import editors_group, make_teacher

RUN_ID = f"{os.getpid()}-{time.time_ns()}"
LOCALE = Path(__file__).resolve().parent.parent / "locale"


@pytest.fixture(autouse=True, scope="session")
def interface_catalogues_compiled():
    """The Hindi interface needs locale/*/LC_MESSAGES/*.mo, which git does not keep. `make test`
    compiles them first; a bare pytest compiles any .po newer than its .mo here, with gettext's
    msgfmt (Debian's gettext package), and fails plainly without it."""
    for po in LOCALE.glob("*/LC_MESSAGES/*.po"):
        mo = po.with_suffix(".mo")
        if mo.exists() and mo.stat().st_mtime >= po.stat().st_mtime:
            continue
        if shutil.which("msgfmt") is None:
            pytest.fail(f"{mo} is missing or older than its .po, and msgfmt is not installed: run `make compilemessages`")
        subprocess.run(["msgfmt", "--check", "--output-file", str(mo), str(po)], check=True)


@pytest.fixture(autouse=True)
def english_to_begin_with():
    """Each test starts in English. The test client runs a request's middleware in the test's
    thread, so a request in Hindi would leave Hindi active, and a factory's texts made after it
    would be written into the Hindi columns (django-modeltranslation writes the active one)."""
    translation.activate("en")
    yield
    translation.deactivate()


@pytest.fixture
def learner(db):
    return UserFactory(username="asha")


@pytest.fixture
def other_learner(db):
    return UserFactory(username="ravi")


@pytest.fixture
def learner_client(client, learner):
    client.force_login(learner)
    return client


@pytest.fixture
def questions(db):
    """Three published questions whose first option (a) is right."""
    return QuestionFactory.create_batch(3)


@pytest.fixture
def quiz(questions):
    """A fixed three-question quiz, feedback after each question, no shuffling."""
    return QuizFactory(slug="foundations", with_questions=questions)


@pytest.fixture
def exam_quiz(questions):
    return QuizFactory(slug="exam", feedback="end", with_questions=questions)


@pytest.fixture
def now():
    return timezone.now()


@pytest.fixture(autouse=True)
def separate_rate_limits(monkeypatch, request):
    """Each test counts log-in and sign-up attempts in a namespace of its own, so one test's
    failed log-ins never lock another test out. The counts are in the database now (rolled
    back after most tests); the namespace still keeps apart the servers' tests, which share a
    database that is not rolled back."""
    import hashlib

    from accounts import throttle

    # The run's start time too: a database kept between runs (--reuse-db) keeps counts.
    namespace = hashlib.sha256(f"{RUN_ID}:{request.node.nodeid}".encode()).hexdigest()[:12]
    original = throttle._key
    monkeypatch.setattr(throttle, "_key", lambda limit, value: f"{namespace}:{original(limit, value)}")


@pytest.fixture(autouse=True, scope="session")
def fast_password_hashing():
    """PBKDF2 is slow on purpose; tests need only that passwords check."""
    from django.test import override_settings

    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        yield


# --- teachers (the teaching app) -------------------------------------------------------------


@pytest.fixture
def teacher(db):
    return make_teacher("meena")


@pytest.fixture
def other_teacher(db):
    return make_teacher("vikram")


# --- question editors (admin curation) -------------------------------------------------------


@pytest.fixture
def editor(db):
    """A staff member in the Question editors group: curates the bank in admin, nothing more."""
    user = UserFactory(username="farhan", is_staff=True)
    user.groups.add(editors_group())
    return user


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client
