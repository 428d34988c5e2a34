import ipaddress
import zoneinfo
from datetime import datetime, timedelta, timezone as dt_timezone

from csp.constants import HEADER as CSP_HEADER
from csp.utils import build_policy
from django.conf import settings
from django.contrib import auth
from django.http import HttpResponseBadRequest
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext


class DisplayTimeZoneMiddleware:
    """Render every time in the learners' zone (IST) while the database keeps UTC."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.zone = zoneinfo.ZoneInfo(settings.DISPLAY_TIME_ZONE)

    def __call__(self, request):
        timezone.activate(self.zone)
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()


class PermissionsPolicyMiddleware:
    """A quiz needs no camera, microphone or location: say so, so no injected script can ask."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response


class ContentSecurityPolicyMiddleware:
    """settings.CONTENT_SECURITY_POLICY on every response, built once, by django-csp, when the
    server starts. django-csp's own middleware builds it again for every response, so that a
    view may change it (@csp_update) or a template ask for a nonce: we do neither (no inline
    script or style anywhere), and the rebuilding was about 5% of an answer's Python calls
    (docs/benchmarks.md). A view that needs a policy of its own one day brings
    csp.middleware.CSPMiddleware back in MIDDLEWARE."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.policy = build_policy()

    def __call__(self, request):
        response = self.get_response(request)
        # Django's technical 404 and 500 pages (DEBUG only) have inline styles: django-csp
        # leaves them without a policy too.
        if settings.DEBUG and response.status_code in (404, 500):
            return response
        response.headers.setdefault(CSP_HEADER, self.policy)
        return response


class RefuseNulInQueryStringMiddleware:
    """PostgreSQL can neither store nor compare text holding NUL (U+0000): a query-string value
    with one, used in a filter (an admin list's ?status__exact=%00, a search), fails in the
    database as a 500. No link or form of ours sends one, and form fields already refuse it, so
    a query string holding one is refused here, before any view, with a 400."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if any("\x00" in key or "\x00" in value for key, values in request.GET.lists() for value in values):
            return HttpResponseBadRequest(
                gettext("This address holds a NUL character (%(nul)s), which no page of this site takes.") % {"nul": "%00"},
                content_type="text/plain; charset=utf-8",
            )
        return self.get_response(request)


class ArrivalTimeMiddleware:
    """`request.arrived_at`: when the request arrived. A learner's answer is judged by it, so an
    answer sent in time stays in time however long it queued behind other requests (issue 15,
    item 1). Where a trusted proxy (REQUEST_START_PROXIES) stamps `X-Request-Start: t=...`,
    the stamp; otherwise the time the request reached Django. Never later than now, never more
    than REQUEST_START_MAX_AGE_SECONDS earlier."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        now = timezone.now()
        stamped = proxy_stamp(request) if settings.REQUEST_START_PROXIES else None
        oldest = now - timedelta(seconds=settings.REQUEST_START_MAX_AGE_SECONDS)
        request.arrived_at = min(now, max(stamped, oldest)) if stamped else now
        return self.get_response(request)


def proxy_stamp(request) -> datetime | None:
    """The proxy's X-Request-Start, if the peer is a trusted proxy and the stamp reads: "t="
    and the Unix time in seconds (nginx's $msec, "1764950400.123"), milliseconds or
    microseconds, told apart by size as New Relic's agents do."""
    try:
        peer = ipaddress.ip_address(request.META.get("REMOTE_ADDR", ""))
    except ValueError:
        return None
    if not any(peer in network for network in settings.REQUEST_START_PROXIES):
        return None
    header = request.META.get("HTTP_X_REQUEST_START", "").strip()
    if not header.startswith("t="):
        return None
    try:
        value = float(header[2:])
    except ValueError:
        return None
    if not 0 < value < 1e17:  # also refuses inf and nan
        return None
    seconds = value / 1e6 if value > 1e14 else value / 1e3 if value > 1e11 else value
    return datetime.fromtimestamp(seconds, tz=dt_timezone.utc)


class RefuseFormsNotInUtf8Middleware:
    """A form body is UTF-8 (RFC 1866; browsers send no charset). One declared in another
    charset (`application/x-www-form-urlencoded; charset=utf-16`) makes Django raise BadRequest
    when the form is read, and then again when the error page's CSRF check reads it: a 500,
    anonymous or not. Refused here, before any view or CSRF check, with a 400 that says why."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        charset = request.encoding
        if request.content_type == "application/x-www-form-urlencoded" and charset and charset.lower() != "utf-8":
            return HttpResponseBadRequest(
                gettext("This form was sent as %(charset)s text; forms here are sent as UTF-8. Reload the page and send it again.")
                % {"charset": charset},
                content_type="text/plain; charset=utf-8",
            )
        return self.get_response(request)


class PrivateToTheLearnerMiddleware:
    """Every page a logged-in person gets may hold a score, a key, a learner's answers or a
    class's report: `Cache-Control: private, no-store`, so neither a shared proxy nor the
    browser's disk keeps a copy for the next person at a shared computer (a coaching centre's,
    a cyber café's). `Vary: Cookie` alone only stops a cache serving it to another session."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        # The session says who is logged in. Asking `request.user` instead would load the user
        # (an SQL query) on requests that never needed one: every /livez probe paid it.
        if auth.SESSION_KEY in request.session:
            patch_cache_control(response, private=True, no_store=True)
        return response
