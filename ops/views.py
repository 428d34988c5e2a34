"""Probes for load balancers and the benchmark, and /favicon.ico. None needs a login, none writes."""

from functools import cache

from django.conf import settings
from django.db import DatabaseError, connection
from django.db.migrations.loader import MigrationLoader
from django.http import HttpRequest, HttpResponse, HttpResponsePermanentRedirect, JsonResponse
from django.templatetags.static import static
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET


NOT_MIGRATED = "error: migrations not applied (make migrate)"


@cache
def _migrations_of_this_release() -> frozenset[tuple[str, str]]:
    """The newest migration of each app of this code, read once per process from its files."""
    return frozenset(MigrationLoader(None, ignore_no_migrations=True).graph.leaf_nodes())


def _check_database() -> str:
    """The database answers, and holds every migration of this code: a server of a new release
    started before `make migrate` ran must not be sent learners."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as error:
        return f"error: {type(error).__name__}"
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT app, name FROM django_migrations")
            applied = set(cursor.fetchall())
    except DatabaseError:  # not even the table: a database never migrated
        return NOT_MIGRATED
    return "ok" if _migrations_of_this_release() <= applied else NOT_MIGRATED


def _check_redis() -> str:
    from django_redis import get_redis_connection
    from redis.exceptions import RedisError

    try:
        get_redis_connection("default").ping()
    except RedisError as error:
        return f"error: {type(error).__name__}"
    return "ok"


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """Can this server answer a learner: its database, and Redis when it is configured.
    503 when one is down, so a load balancer sends learners to another server."""
    checks = {"database": _check_database()}
    if settings.REDIS_URL:
        checks["redis"] = _check_redis()
    healthy = all(value == "ok" for value in checks.values())
    return JsonResponse(
        {"status": "ok" if healthy else "unavailable", **checks}, status=200 if healthy else 503
    )


@never_cache
@require_GET
def livez(request: HttpRequest) -> JsonResponse:
    """The process answers; checks nothing else. The benchmark's ceiling: the cheapest request
    that still passes through every middleware."""
    return JsonResponse({"status": "ok"})


@require_GET
def favicon(request: HttpRequest) -> HttpResponse:
    """Browsers ask for /favicon.ico where a page links no icon (an export, an old admin
    page): the SVG every page links. Read per request: the collected name carries a hash."""
    return HttpResponsePermanentRedirect(static("favicon.svg"))
