"""The learner's views of a paper: one question at a time with the palette, saving an answer,
and submitting. Plain links and forms, so every step works without JavaScript; paper.js only
counts the clock down and, at zero, reloads the page, where the server closes the paper."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from quiz import papers, services
from quiz.forms import PaperAnswerForm
from quiz.models import PaletteState
from quiz.presenters import attach_options
from django.utils.translation import gettext as _


def _call(service, *args):
    """Call a paper service: not the learner's attempt or no such question is a 404."""
    try:
        return service(*args)
    except (services.AttemptNotFound, papers.NoSuchQuestion):
        raise Http404("No such paper or question.") from None


def _elsewhere(attempt_id: int, error: Exception) -> HttpResponse:
    """A closed paper's page is its result; an attempt timed per question has its own page."""
    if isinstance(error, papers.PaperClosed):
        return redirect("quiz:result", attempt_id)
    return redirect("quiz:play", attempt_id)


@require_GET
@login_required
def paper(request: HttpRequest, attempt_id: int) -> HttpResponse:
    """The paper, opened on the question last on screen (the first, the first time)."""
    try:
        number = _call(papers.current_number, attempt_id, request.user, timezone.now())
    except (papers.PaperClosed, papers.NotAPaper) as error:
        return _elsewhere(attempt_id, error)
    return redirect("quiz:paper_question", attempt_id, number)


@require_http_methods(["GET", "POST"])
@login_required
def question(request: HttpRequest, attempt_id: int, number: int) -> HttpResponse:
    """GET shows question `number` with the palette; POST saves its answer (Save & Next, Mark
    for review & Next, Clear) and goes on to the next question."""
    if request.method == "POST":
        return _save(request, attempt_id, number)
    return _sheet_page(request, attempt_id, number)


def _sheet_page(request: HttpRequest, attempt_id: int, number: int, error: str = "", status: int = 200):
    now = timezone.now()
    try:
        sheet = _call(papers.sheet, attempt_id, request.user, number, now, not error)
    except papers.PastTheEnd:
        return redirect("quiz:paper_submit", attempt_id)
    except (papers.PaperClosed, papers.NotAPaper) as refused:
        return _elsewhere(attempt_id, refused)
    attach_options([sheet.question], sheet.choices)
    context = {
        "attempt": sheet.attempt,
        "response": sheet.question,
        "palette": sheet.palette,
        "counts": sheet.counts,
        "states": PaletteState,
        "seconds_left": sheet.seconds_left,
        "error": error,
        "is_last": number == sheet.attempt.question_count,
        "grace_seconds": settings.ANSWER_GRACE_SECONDS,
    }
    return render(request, "quiz/paper.html", context, status=status)


def _save(request: HttpRequest, attempt_id: int, number: int) -> HttpResponse:
    form = PaperAnswerForm(request.POST)
    if not form.is_valid():
        return _sheet_page(request, attempt_id, number, form.first_error(), status=400)
    try:
        _call(papers.save, attempt_id, request.user, form.save_for(number), timezone.now())
    except services.InvalidChoice as error:
        return _sheet_page(request, attempt_id, number, error.message, status=error.status)
    except papers.PaperClosed as error:
        messages.info(request, _("Time ran out before that answer arrived: your paper was closed and marked."))
        return _elsewhere(attempt_id, error)
    except papers.NotAPaper as error:
        return _elsewhere(attempt_id, error)
    # "Next" after the last question opens the submit page (the question after the last does).
    return redirect("quiz:paper_question", attempt_id, number if form.cleaned_data["go"] == "stay" else number + 1)


@require_http_methods(["GET", "POST"])
@login_required
def submit(request: HttpRequest, attempt_id: int) -> HttpResponse:
    """GET asks the learner to confirm, saying how many questions are unanswered or marked for
    review; the POST from that page closes and marks the paper."""
    now = timezone.now()
    try:
        if request.method == "POST":
            _call(papers.submit, attempt_id, request.user, now)
            return redirect("quiz:result", attempt_id)
        summary = _call(papers.summary, attempt_id, request.user, now)
    except (papers.PaperClosed, papers.NotAPaper) as error:
        return _elsewhere(attempt_id, error)
    context = {
        "attempt": summary.attempt,
        "counts": summary.counts,
        "seconds_left": summary.seconds_left,
        "back": reverse("quiz:paper", args=[attempt_id]),
        "grace_seconds": settings.ANSWER_GRACE_SECONDS,
    }
    return render(request, "quiz/paper_submit.html", context)
