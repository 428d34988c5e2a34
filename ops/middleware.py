from contextlib import contextmanager

from django.db import connections


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
