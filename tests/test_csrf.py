"""Every POST is CSRF-protected, htmx ones included (they send the token in a header), and
every page carries the Content-Security-Policy and the usual security headers."""

import re

import pytest
from django.conf import settings
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.urls.resolvers import RoutePattern

from quiz.models import Response
from tests.helpers import start
from tests.test_access_matrix import PAGES, POSTS, every_row, world  # noqa: F401 (world: a fixture)

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


# --- every URL of the site -------------------------------------------------------------------


def urls_without_ids() -> list[str]:
    """Every URL of ours and of admin that takes no id (those are the access matrix's rows)."""
    found = []

    def walk(patterns, prefix="/"):
        for pattern in patterns:
            if not isinstance(pattern.pattern, RoutePattern):
                continue  # admin's catch-all and per-app regexes
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, prefix + str(pattern.pattern))
            elif isinstance(pattern, URLPattern) and not pattern.pattern.converters:
                found.append(prefix + str(pattern.pattern))

    walk(get_resolver().url_patterns)
    return sorted(set(found))


def every_url(world) -> list[str]:
    with_ids = [world.url(row[0]) for row in PAGES + POSTS]
    return urls_without_ids() + sorted(set(with_ids))


def test_every_post_without_the_token_is_refused_and_writes_nothing(world):
    """Admin's POSTs too: the most powerful session is the one a forged form would ride."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.people["admin"])
    before = every_row()
    for url in every_url(world):
        for headers in ({}, {"HTTP_HX_REQUEST": "true"}):
            response = client.post(url, {"position": 0, "action": "skip", "name": "Forged"}, **headers)
            assert response.status_code == 403 and "This form has expired" in response.content.decode(), url
    assert every_row() == before


SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Permissions-Policy": settings.PERMISSIONS_POLICY,
}


@pytest.mark.parametrize("role", ["anonymous", "owner", "admin"])
def test_every_page_carries_the_policy_and_the_security_headers(world, role):
    """Pages, htmx fragments, redirects, refusals and errors alike."""
    client = world.client(role)
    for url in every_url(world) + ["/no-such-page/"]:
        for headers in ({}, {"HTTP_HX_REQUEST": "true"}):
            response = client.get(url, **headers)
            got = {name: response.get(name) for name in SECURITY_HEADERS}
            assert got == SECURITY_HEADERS, (url, response.status_code)
            policy = response.get("Content-Security-Policy", "")
            assert "script-src 'self'" in policy and "style-src 'self'" in policy, (url, policy)
            assert "unsafe-inline" not in policy and "frame-ancestors 'none'" in policy, (url, policy)


def test_django_s_debug_error_pages_keep_their_inline_styles(client, db):
    """With DEBUG on, Django's technical 404 page styles itself inline: no policy there, as
    django-csp did (config.middleware.ContentSecurityPolicyMiddleware)."""
    with override_settings(DEBUG=True):
        response = client.get("/no-such-page/")
    assert response.status_code == 404 and "<style" in response.content.decode()
    assert "Content-Security-Policy" not in response
    assert "script-src 'self'" in client.get("/no-such-page/")["Content-Security-Policy"]
