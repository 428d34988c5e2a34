from contextlib import contextmanager

from django.core.exceptions import DisallowedHost
from django.db import connections

from ops import views


class StatementCount:
    """How many SQL statements went through Django's cursor while counting."""

    def __init__(self):
        self.statements = 0

    def __call__(self, execute, sql, params, many, context):
        self.statements += 1
        return execute(sql, params, many, context)


@contextmanager
def counting_statements():
    """Count the default database's statements inside the block (SQLite's BEGIN IMMEDIATE
    included: Django sends it through the cursor; psycopg's implicit BEGIN is not seen)."""
    count = StatementCount()
    with connections["default"].execute_wrapper(count):
        yield count


class QueryCountMiddleware:
    """Send the number of SQL queries a request ran in `X-Query-Count`. On only when the
    benchmark sets BENCH_QUERY_COUNT=1: the header tells an outsider about our data access."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with counting_statements() as count:
            response = self.get_response(request)
        response["X-Query-Count"] = str(count.statements)
        return response


class HealthProbeMiddleware:
    """Answer /healthz and /livez whatever the Host header names. A load balancer probes each
    app server at that server's own address (Host: 10.0.3.17:8000), which ALLOWED_HOSTS does not
    list; refused with a 400, every server would look down and the site would be taken out of
    service. A probe to a listed host goes on through the middleware like any request. The
    probes build no URL from the host, which is what the host check protects."""

    PROBES = {"/healthz": views.healthz, "/livez": views.livez}

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        probe = self.PROBES.get(request.path_info)
        if probe is not None:
            try:
                request.get_host()
            except DisallowedHost:
                return probe(request)
        return self.get_response(request)
