"""The learner's views. Each serves a full page, or its fragment when htmx asks, at one URL."""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST
from django.views.decorators.vary import vary_on_headers
from django_htmx.http import HttpResponseClientRedirect, push_url

from lib.paging import page_of
from quiz import catalogue, papers, presenters, services, timing
from quiz.forms import AnswerForm, CatalogueForm
from quiz.models import Attempt, Quiz, Response
from quiz.presenters import attach_options
from django.utils.translation import gettext as _


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


# A quiz a day is 365 a year: the newest release first, a page at a time.
QUIZZES_PAGE_SIZE = 20


@require_GET
@login_required
@vary_on_headers("HX-Request")
def quiz_list(request: HttpRequest) -> HttpResponse:
    """The catalogue. Its filter form works as a plain GET; htmx swaps only the list."""
    now = timezone.now()
    papers.close_overdue(now, user=request.user)
    form = CatalogueForm(request.GET)
    if not form.is_valid():
        context = {"form": form, "error": form.first_error(), "quizzes": []}
        return page_or_fragment(request, "quiz/list.html", "catalogue", context, status=400)
    quizzes = catalogue.released(request.user, form.filters(), now)
    paged = page_of(request, quizzes, QUIZZES_PAGE_SIZE, _("quizzes"))
    shown = list(paged["page"].object_list)
    catalogue.describe(shown, request.user, now)
    context = {"form": form, "quizzes": shown, "query": form.query(), **paged}
    return page_or_fragment(request, "quiz/list.html", "catalogue", context)


@require_GET
@login_required
def quiz_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """A quiz's page. Before its publish time it is a 404 for learners; editors preview it."""
    now = timezone.now()
    quiz = get_object_or_404(Quiz.objects.previewable_by(request.user, now), slug=slug)
    services.count_questions([quiz])
    papers.close_overdue(timezone.now(), user=request.user)
    attempts = Attempt.objects.for_learner(request.user).filter(quiz=quiz)[:20]
    factor = services.time_factor(request.user)
    context = {
        "quiz": quiz,
        "attempts": attempts,
        "preview": not quiz.is_released(now),
        "sources": catalogue.sources_of(quiz),
        "time_factor": factor,
        "your_seconds": timing.stretched(quiz.seconds_per_question, factor),
        "your_total_seconds": timing.stretched(quiz.seconds_per_question, factor) * quiz.question_total,
    }
    return render(request, "quiz/detail.html", context)


@require_POST
@login_required
def start(request: HttpRequest, slug: str) -> HttpResponse:
    """Start an attempt, or resume the learner's unfinished one: one sitting at a time."""
    quiz = get_object_or_404(Quiz.objects.published(timezone.now()), slug=slug)
    try:
        attempt_id = services.start(quiz, request.user, timezone.now())
    except services.QuizError as error:
        messages.error(request, error.message)
        return redirect(quiz)
    return redirect(reverse("quiz:paper", args=[attempt_id]) if quiz.is_paper else reverse("quiz:play", args=[attempt_id]))


# --- taking a quiz -------------------------------------------------------------------------


@require_GET
@login_required_htmx
@vary_on_headers("HX-Request")
def play(request: HttpRequest, attempt_id: int) -> HttpResponse:
    """The question the learner is on. Its clock started when it was first shown; reloading,
    a second tab or coming back later shows the time really left, never a fresh clock."""
    now = timezone.now()
    screen = _or_404(services.open_question, attempt_id, request.user, now)
    if screen.attempt.is_paper:
        url = reverse("quiz:paper", args=[attempt_id])
        return HttpResponseClientRedirect(url) if request.htmx else redirect(url)
    if screen.question is None:
        return _to_result(request, screen.attempt)
    return _question_page(request, screen.attempt, screen.question, screen.choices, now)


@require_POST
@login_required_htmx
@vary_on_headers("HX-Request")
def answer(request: HttpRequest, attempt_id: int) -> HttpResponse:
    now = timezone.now()
    form = AnswerForm(request.POST)
    try:
        if not form.is_valid():
            raise _or_404(services.refusal, attempt_id, request.user, services.InvalidChoice(form.first_error()), now)
        # Judged by when the answer arrived (config.middleware.ArrivalTimeMiddleware), not by
        # when a busy server got to it.
        screen = _or_404(services.answer, attempt_id, request.user, form.submission(), now, request.arrived_at)
    except services.QuizError as error:
        return _refuse(request, error, now)
    attempt = screen.attempt
    if attempt.feedback_after_each:
        feedback_url = reverse("quiz:feedback", args=[attempt.pk, screen.answered.number])
        if not request.htmx:
            return redirect(feedback_url)
        return push_url(_feedback_page(request, screen), feedback_url)
    if screen.question is None:
        return _to_result(request, attempt)
    if not request.htmx:
        return redirect("quiz:play", attempt.pk)
    page = _question_page(request, attempt, screen.question, screen.choices, now)
    return push_url(page, reverse("quiz:play", args=[attempt.pk]))


@require_GET
@login_required_htmx
@vary_on_headers("HX-Request")
def feedback(request: HttpRequest, attempt_id: int, number: int) -> HttpResponse:
    """The right option and explanation of one answered question. Before the end of an
    exam-style attempt, and before the question is answered, there is nothing to see."""
    now = timezone.now()
    try:
        screen = _or_404(services.feedback, attempt_id, request.user, number, now)
    except services.QuizError as error:
        return _refuse(request, error, now)
    return _feedback_page(request, screen)


@require_GET
@login_required
def result(request: HttpRequest, attempt_id: int) -> HttpResponse:
    try:
        review = _or_404(services.review, attempt_id, request.user, timezone.now())
    except services.NotFinished as error:
        messages.info(request, error.message)
        return redirect("quiz:play", attempt_id)
    attach_options(review.responses, review.choices)
    presenters.hold_keys(review.responses, review.held)
    show = presenters.review_filter(request.GET.get("show"))
    context = {
        "attempt": review.attempt,
        "responses": review.responses,
        "show": show,
        "filters": presenters.filter_links(review.responses, show),
        "reviewed": presenters.filtered(review.responses, show),
        # A held answer's verdict would show in the totals: they wait with it.
        "totals_held": bool(review.held),
    }
    return render(request, "quiz/result.html", context)


def _or_404(service, *args):
    """Call a quiz service; an attempt that is not the learner's is a 404."""
    try:
        return service(*args)
    except services.AttemptNotFound:
        raise Http404("No such attempt.") from None


def _question_page(request: HttpRequest, attempt: Attempt, response: Response, choices, now, error: str = "", status: int = 200):
    attach_options([response], choices)
    context = {
        "attempt": attempt,
        "response": response,
        "seconds_left": response.seconds_left(now),
        "error": error,
    }
    return page_or_fragment(request, "quiz/play.html", "question", context, status=status)


def _feedback_page(request: HttpRequest, screen: services.Screen) -> HttpResponse:
    attempt, response = screen.attempt, screen.answered
    attach_options([response], screen.choices)
    presenters.hold_keys([response], {response.question_id: screen.hold} if screen.hold else {})
    context = {"attempt": attempt, "response": response, "is_last": response.number == attempt.question_count}
    return page_or_fragment(request, "quiz/play.html", "feedback", context)


def _refuse(request: HttpRequest, error: services.QuizError, now) -> HttpResponse:
    """Say what was wrong, on the page the learner is on, with a 4xx status: the question still
    open to answer, else a notice that leads to the current question. Nothing is written: not
    even the next question's clock starts on a refused request."""
    attempt = error.attempt
    context = {"attempt": attempt, "error": error.message}
    if attempt.is_finished:
        return page_or_fragment(request, "quiz/play.html", "finished", context, status=error.status)
    if error.on_screen is None:
        return page_or_fragment(request, "quiz/play.html", "notice", context, status=error.status)
    return _question_page(request, attempt, error.on_screen, error.choices, now, error.message, error.status)


def _to_result(request: HttpRequest, attempt: Attempt) -> HttpResponse:
    url = reverse("quiz:result", args=[attempt.pk])
    return HttpResponseClientRedirect(url) if request.htmx else redirect(url)


# A learner taking the daily quiz has hundreds of attempts within a year: newest first, paged.
ATTEMPTS_PAGE_SIZE = 25


@require_GET
@login_required
def my_attempts(request: HttpRequest) -> HttpResponse:
    papers.close_overdue(timezone.now(), user=request.user)
    attempts = Attempt.objects.for_learner(request.user).select_related("quiz").order_by("-started_at", "-pk")
    paged = page_of(request, attempts, ATTEMPTS_PAGE_SIZE, _("attempts"))
    return render(request, "quiz/attempts.html", {"attempts": paged["page"].object_list, **paged})
