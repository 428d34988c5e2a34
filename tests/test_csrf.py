"""Every POST is CSRF-protected, htmx ones included (they send the token in a header)."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from quiz.models import Response
from tests.conftest import start

pytestmark = pytest.mark.django_db


@pytest.fixture
def strict_client(learner):
    client = Client(enforce_csrf_checks=True)
    client.force_login(learner)
    return client


def token_from(page) -> str:
    return re.search(r'"X-CSRFToken": "([^"]+)"', page.content.decode()).group(1)


def test_an_answer_without_the_token_is_refused_and_not_recorded(strict_client, learner, quiz):
    attempt = start(learner, quiz)
    strict_client.get(reverse("quiz:play", args=[attempt.pk]))
    response = strict_client.post(reverse("quiz:answer", args=[attempt.pk]), {"position": 0, "action": "skip"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 403 and "This form has expired" in response.content.decode()
    assert Response.objects.get(attempt=attempt, position=0).is_open


def test_an_htmx_answer_with_the_header_token_is_recorded(strict_client, learner, quiz):
    attempt = start(learner, quiz)
    page = strict_client.get(reverse("quiz:play", args=[attempt.pk]))
    response = strict_client.post(
        reverse("quiz:answer", args=[attempt.pk]),
        {"position": 0, "action": "skip"},
        HTTP_HX_REQUEST="true",
        HTTP_X_CSRFTOKEN=token_from(page),
    )
    assert response.status_code == 200
    assert Response.objects.get(attempt=attempt, position=0).outcome == "skipped"


@pytest.mark.parametrize("url_name", ["quiz:start", "logout"])
def test_other_posts_need_the_token_too(strict_client, quiz, url_name):
    url = reverse(url_name, args=[quiz.slug]) if url_name == "quiz:start" else reverse(url_name)
    assert strict_client.post(url).status_code == 403
