from django.conf import settings
from django.contrib.auth import login
from django.contrib.auth.views import LoginView as DjangoLoginView
from django.contrib.auth.views import PasswordChangeView as DjangoPasswordChangeView
from django.contrib.auth.views import PasswordResetConfirmView as DjangoPasswordResetConfirmView
from django.contrib.auth.views import PasswordResetView as DjangoPasswordResetView
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render, resolve_url
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST

from accounts import language, throttle
from accounts.roles import is_teacher
from accounts.forms import LoginForm, ResetForm, SignupForm
from accounts.signals import signed_up


class LoginView(DjangoLoginView):
    form_class = LoginForm

    def get_default_redirect_url(self):
        """Where a log-in without `next` lands: teachers on their classes, learners on quizzes."""
        if is_teacher(self.request.user):
            return resolve_url(settings.TEACHER_LOGIN_REDIRECT_URL)
        return super().get_default_redirect_url()

    def form_invalid(self, form):
        response = super().form_invalid(form)
        response.status_code = 429 if form.is_locked_out else 400
        return response


class PasswordResetView(DjangoPasswordResetView):
    """Sends the reset link, a few times an hour at most to one email address and more from one
    network: the form must not become a way to flood someone's inbox. Counted whether or not an
    account has that address, so the answer says nothing about who is registered."""

    form_class = ResetForm

    def form_valid(self, form):
        asked = [
            (throttle.RESET_PER_EMAIL, form.cleaned_data["email"]),
            (throttle.RESET_PER_ADDRESS, throttle.client_address(self.request)),
        ]
        refused = throttle.first_exceeded(asked)
        if refused:
            form.add_error(None, refused.refusal())
            response = self.form_invalid(form)
            response.status_code = 429
            return response
        for limit, value in asked:
            throttle.count(limit, value)
        return super().form_valid(form)


class PasswordResetConfirmView(DjangoPasswordResetConfirmView):
    """A new password set through the emailed link also lifts the account's log-in locks, at
    every address, and its failures of the day: the lock message sends the owner here, and only
    the owner can read that email. The guesses counted were against the old password."""

    def form_valid(self, form):
        response = super().form_valid(form)
        throttle.forget_account_failures(form.user.get_username())
        return response


class PasswordChangeView(DjangoPasswordChangeView):
    """Wrong current passwords are limited like wrong log-ins: someone at an unlocked computer
    must not guess the password the session does not tell them. Past the limit the current
    password is not checked at all."""

    def post(self, request, *args, **kwargs):
        form = self.get_form()
        who = request.user.get_username()
        if throttle.is_exceeded(throttle.OLD_PASSWORD_FAILURES, who):
            form.add_error(None, throttle.OLD_PASSWORD_FAILURES.refusal())
            return self.render_to_response(self.get_context_data(form=form), status=429)
        if form.is_valid():
            return self.form_valid(form)
        if form.has_error("old_password", "password_incorrect"):
            throttle.count(throttle.OLD_PASSWORD_FAILURES, who)
        return self.render_to_response(self.get_context_data(form=form), status=400)


def safe_next(request: HttpRequest) -> str:
    """The `next` page asked for, if it is on this site; "" otherwise (as LoginView checks). A
    path, from the root: redirect() reads anything else without a "/" or "." as a view's name,
    and "B½" was a 500 (NoReverseMatch)."""
    url = request.POST.get("next") or request.GET.get("next") or ""
    allowed = url.startswith("/") and url_has_allowed_host_and_scheme(
        url, {request.get_host()}, require_https=request.is_secure()
    )
    return url if allowed else ""


@require_http_methods(["GET", "POST"])
def signup(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("quiz:list")
    form = SignupForm(request.POST if request.method == "POST" else None)
    context = {"form": form, "next": safe_next(request)}
    if request.method == "GET":
        return render(request, "registration/signup.html", context)
    address = throttle.client_address(request)
    if throttle.is_exceeded(throttle.SIGNUP_PER_ADDRESS, address):
        form.add_error(None, throttle.SIGNUP_PER_ADDRESS.refusal())
        return render(request, "registration/signup.html", context, status=429)
    throttle.count(throttle.SIGNUP_PER_ADDRESS, address)
    if not form.is_valid():
        return render(request, "registration/signup.html", context, status=400)
    user = form.save()
    login(request, user, backend="accounts.backends.ThrottledModelBackend")
    signed_up.send(sender=signup, request=request, user=user, next_url=context["next"])
    return redirect(context["next"] or "quiz:list")


@require_POST
def switch_language(request: HttpRequest) -> HttpResponse:
    """The header's language switch: remember the choice and go back to the page it was on. A
    quiz's clock is the server's, so a switch mid-question changes the words, never the time."""
    code = request.POST.get("language", "")
    if code not in language.CODES:
        return render(request, "registration/language_refused.html", {"code": code[:20]}, status=400)
    response = redirect(safe_next(request) or "quiz:list")
    language.choose(request, response, code)
    return response
