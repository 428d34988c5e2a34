from django.db import connections


class QueryCountMiddleware:
    """Send the number of SQL queries a request ran in `X-Query-Count`. On only when the
    benchmark sets BENCH_QUERY_COUNT=1: the header tells an outsider about our data access."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        count = 0

        def counter(execute, sql, params, many, context):
            nonlocal count
            count += 1
            return execute(sql, params, many, context)

        with connections["default"].execute_wrapper(counter):
            response = self.get_response(request)
        response["X-Query-Count"] = str(count)
        return response
