"""Which language a person reads Pariksha in, in one place: chosen with the header's switch,
remembered on a learner's profile (copied into the session at log-in) and, before log-in, in
the language cookie; without a choice, the browser's Accept-Language, then English."""

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.middleware.locale import LocaleMiddleware
from django.utils import translation

from accounts.models import Profile

SESSION_KEY = "language"
CODES = frozenset(code for code, _ in settings.LANGUAGES)


def choose(request: HttpRequest, response: HttpResponse, code: str) -> None:
    """Remember `code` for this browser (session and cookie) and, when logged in, the profile."""
    request.session[SESSION_KEY] = code
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        code,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        samesite="Lax",
        secure=request.is_secure(),
        httponly=True,
    )
    if request.user.is_authenticated:
        Profile.objects.update_or_create(user=request.user, defaults={"language": code})


def chosen(user) -> str | None:
    """The language on the learner's profile, if they ever chose one."""
    code = Profile.objects.filter(user=user).values_list("language", flat=True).first()
    return code if code in CODES else None


def restore(request: HttpRequest, user) -> None:
    """At log-in: the language on the learner's profile, if they ever chose one, wins."""
    code = chosen(user)
    if code:
        request.session[SESSION_KEY] = code


def to_write_to(user) -> str:
    """The language to write to `user` in away from their pages (an email): their profile's,
    as at log-in, else the language of the page that asked (the cookie before log-in)."""
    return chosen(user) or translation.get_language()


class LanguageMiddleware(LocaleMiddleware):
    """Django's LocaleMiddleware (cookie, then Accept-Language), with the session's choice
    first. Reading the session costs nothing extra: log-in already reads it."""

    def process_request(self, request):
        code = request.session.get(SESSION_KEY)
        if code in CODES:
            translation.activate(code)
            request.LANGUAGE_CODE = code
        else:
            super().process_request(request)
