"""The learner's views. Each serves a full page, or its fragment when htmx asks, at one URL."""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST
from django.views.decorators.vary import vary_on_headers
from django_htmx.http import HttpResponseClientRedirect, push_url

from lib.paging import page_of
from quiz import services
from quiz.forms import AnswerForm
from quiz.models import Attempt, Quiz, Response
from quiz.presenters import attach_options


def get_attempt_for_learner(request: HttpRequest, attempt_id: int) -> Attempt:
    """The learner's own attempt, or 404: another learner's attempt does not exist for them."""
    return get_object_or_404(Attempt.objects.select_related("quiz"), pk=attempt_id, user=request.user)


def login_required_htmx(view):
    """login_required for the views htmx talks to. An htmx request without a session (the
    learner logged out in another tab) sends the whole page to the log-in page, to come back
    to the page on screen: a plain redirect would be followed inside the request, swapping the
    log-in page into the question's box, and would come back to a POST-only URL."""
    protected = login_required(view)

    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if request.htmx and not request.user.is_authenticated:
            back = request.htmx.current_url_abs_path or request.get_full_path()
            return HttpResponseClientRedirect(redirect_to_login(back).url)
        return protected(request, *args, **kwargs)

    return wrapped


def page_or_fragment(request: HttpRequest, template: str, fragment: str, context: dict, status: int = 200):
    name = f"{template}#{fragment}" if request.htmx else template
    return render(request, name, context, status=status)


# --- quizzes -------------------------------------------------------------------------------


# A quiz a day is 365 a year: the newest first (by when they were made), a page at a time.
QUIZZES_PAGE_SIZE = 20


@require_GET
@login_required
def quiz_list(request: HttpRequest) -> HttpResponse:
    published = Quiz.objects.published().order_by("-created_at", "pk")
    paged = page_of(request, published, QUIZZES_PAGE_SIZE, "quizzes")
    quizzes = list(paged["page"].object_list)
    services.count_questions(quizzes)
    services.attach_learner_history(quizzes, request.user)
    context = {"quizzes": quizzes, **paged}
    return render(request, "quiz/list.html", context)


@require_GET
@login_required
def quiz_detail(request: HttpRequest, slug: str) -> HttpResponse:
    quiz = get_object_or_404(Quiz.objects.published(), slug=slug)
    services.count_questions([quiz])
    attempts = Attempt.objects.for_learner(request.user).filter(quiz=quiz)[:20]
    return render(request, "quiz/detail.html", {"quiz": quiz, "attempts": attempts})


@require_POST
@login_required
def start(request: HttpRequest, slug: str) -> HttpResponse:
    """Start an attempt, or resume the learner's unfinished one: one sitting at a time."""
    quiz = get_object_or_404(Quiz.objects.published(), slug=slug)
    try:
        attempt_id = services.start_or_resume(request.user, quiz, timezone.now())
    except services.QuizError as error:
        messages.error(request, error.message)
        return redirect(quiz)
    return redirect("quiz:play", attempt_id)


# --- taking a quiz -------------------------------------------------------------------------


def question_context(attempt: Attempt, response: Response, now, error: str = "") -> dict:
    if not hasattr(response, "options"):
        attach_options([response])
    return {
        "attempt": attempt,
        "response": response,
        "seconds_left": response.seconds_left(now),
        "error": error,
    }


@require_GET
@login_required_htmx
@vary_on_headers("HX-Request")
def play(request: HttpRequest, attempt_id: int) -> HttpResponse:
    """The question the learner is on. Its clock started when it was first shown; reloading,
    a second tab or coming back later shows the time really left, never a fresh clock."""
    now = timezone.now()
    upcoming = services.upcoming_for_learner(attempt_id, request.user)
    attempt = upcoming[0].attempt if upcoming else get_attempt_for_learner(request, attempt_id)
    response = services.show_current_question(attempt, now, upcoming)
    if response is None:
        return _to_result(request, attempt)
    return page_or_fragment(request, "quiz/play.html", "question", question_context(attempt, response, now))


@require_POST
@login_required_htmx
@vary_on_headers("HX-Request")
def answer(request: HttpRequest, attempt_id: int) -> HttpResponse:
    now = timezone.now()
    upcoming = services.upcoming_for_learner(attempt_id, request.user)
    attempt = upcoming[0].attempt if upcoming else get_attempt_for_learner(request, attempt_id)
    form = AnswerForm(request.POST)
    try:
        if not form.is_valid():
            raise services.InvalidChoice(form.first_error())
        data = form.cleaned_data
        answered = services.record_answer(
            attempt, data["position"], data["action"], data["choice"], now, upcoming=upcoming
        )
    except services.QuizError as error:
        return _refuse(request, attempt, error, now)
    if attempt.feedback_after_each:
        feedback_url = reverse("quiz:feedback", args=[attempt.pk, answered.response.number])
        if not request.htmx:
            return redirect(feedback_url)
        page = _render_feedback(request, attempt, answered.response, answered.choices)
        return push_url(page, feedback_url)
    if answered.next_response is None:
        return _to_result(request, attempt)
    if not request.htmx:
        return redirect("quiz:play", attempt.pk)
    attach_options([answered.next_response], answered.choices)
    context = question_context(attempt, answered.next_response, now)
    return push_url(render(request, "quiz/play.html#question", context), reverse("quiz:play", args=[attempt.pk]))


def _refuse(request: HttpRequest, attempt: Attempt, error: services.QuizError, now) -> HttpResponse:
    """Say what was wrong, on the page the learner is on, with a 4xx status. Nothing is
    written: not even the next question's clock starts on a refused request."""
    context = {"attempt": attempt, "error": error.message}
    if attempt.is_finished:
        return page_or_fragment(request, "quiz/play.html", "finished", context, status=error.status)
    current = services.open_responses(attempt).first()
    if current is None or current.shown_at is None or current.is_late(now):
        return page_or_fragment(request, "quiz/play.html", "notice", context, status=error.status)
    context = question_context(attempt, current, now, error=error.message)
    return page_or_fragment(request, "quiz/play.html", "question", context, status=error.status)


def _to_result(request: HttpRequest, attempt: Attempt) -> HttpResponse:
    url = reverse("quiz:result", args=[attempt.pk])
    return HttpResponseClientRedirect(url) if request.htmx else redirect(url)


def _render_feedback(request: HttpRequest, attempt: Attempt, response: Response, choices=None):
    attach_options([response], choices)
    context = {"attempt": attempt, "response": response, "is_last": response.number == attempt.question_count}
    return page_or_fragment(request, "quiz/play.html", "feedback", context)


@require_GET
@login_required_htmx
@vary_on_headers("HX-Request")
def feedback(request: HttpRequest, attempt_id: int, number: int) -> HttpResponse:
    """The right option and explanation of one answered question. Before the end of an
    exam-style attempt, and before the question is answered, there is nothing to see."""
    attempt = get_attempt_for_learner(request, attempt_id)
    response = get_object_or_404(
        attempt.responses.select_related(*services.RENDER_RELATED), position=number - 1
    )
    if response.is_open:
        return _refuse(request, attempt, services.NotCurrentQuestion("That question has not been answered yet."), timezone.now())
    if not (attempt.feedback_after_each or attempt.is_finished):
        error = services.FeedbackNotYet("In this exam-style quiz the answers are shown when you finish.")
        return _refuse(request, attempt, error, timezone.now())
    return _render_feedback(request, attempt, response)


@require_GET
@login_required
def result(request: HttpRequest, attempt_id: int) -> HttpResponse:
    responses = services.responses_for_learner(attempt_id, request.user)
    attempt = responses[0].attempt if responses else get_attempt_for_learner(request, attempt_id)
    if not attempt.is_finished:
        messages.info(request, "Finish the quiz to see your result.")
        return redirect("quiz:play", attempt.pk)
    attach_options(responses)
    return render(request, "quiz/result.html", {"attempt": attempt, "responses": responses})


# A learner taking the daily quiz has hundreds of attempts within a year: newest first, paged.
ATTEMPTS_PAGE_SIZE = 25


@require_GET
@login_required
def my_attempts(request: HttpRequest) -> HttpResponse:
    attempts = Attempt.objects.for_learner(request.user).select_related("quiz").order_by("-started_at", "-pk")
    paged = page_of(request, attempts, ATTEMPTS_PAGE_SIZE, "attempts")
    return render(request, "quiz/attempts.html", {"attempts": paged["page"].object_list, **paged})
