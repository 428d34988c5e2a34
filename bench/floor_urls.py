"""The project's URLs and one view that does nothing but require a log-in. bench/cpu.py
measures a request to it: the floor every logged-in request pays before a view does any work
(the middleware, the session and user look-ups, CSRF)."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.urls import include, path


@login_required
def nothing(request: HttpRequest) -> HttpResponse:
    return HttpResponse(b"")


urlpatterns = [path("bench/nothing/", nothing), path("", include("config.urls"))]
