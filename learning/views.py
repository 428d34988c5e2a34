"""The learner's progress page and mistakes notebook: one service call per request, each
reading or writing only the logged-in learner's own attempts and cards."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST

from learning import services
from quiz.services import QuizError


@require_GET
@login_required
def progress(request: HttpRequest) -> HttpResponse:
    return render(request, "learning/progress.html", {"progress": services.progress(request.user, timezone.now())})


@require_GET
@login_required
def notebook(request: HttpRequest) -> HttpResponse:
    return render(request, "learning/notebook.html", services.notebook(request.user, timezone.now()))


@require_POST
@login_required
def revise(request: HttpRequest) -> HttpResponse:
    """Start a revision session of the due cards (or resume the unfinished one)."""
    try:
        attempt_id = services.start_revision(request.user, timezone.now())
    except QuizError as error:
        messages.info(request, error.message)
        return redirect("learning:notebook")
    return redirect("quiz:play", attempt_id)


@require_POST
@login_required
def retake_mistakes(request: HttpRequest, attempt_id: int) -> HttpResponse:
    """"Retake only the questions I got wrong": a revision session of one attempt's mistakes."""
    try:
        revision_id = _or_404(services.retake_mistakes, request.user, attempt_id, timezone.now())
    except QuizError as error:
        messages.info(request, error.message)
        return redirect("quiz:result", attempt_id)
    return redirect("quiz:play", revision_id)


@require_POST
@login_required
def add_card(request: HttpRequest, question_id: int) -> HttpResponse:
    _or_404(services.add_card, request.user, question_id, timezone.now())
    return _card_changed(request, question_id, in_deck=True)


@require_POST
@login_required
def remove_card(request: HttpRequest, question_id: int) -> HttpResponse:
    _or_404(services.remove_card, request.user, question_id)
    return _card_changed(request, question_id, in_deck=False)


@require_POST
@login_required
def practise_topic(request: HttpRequest, topic_id: int) -> HttpResponse:
    try:
        attempt_id = _or_404(services.practise_topic, request.user, topic_id, timezone.now())
    except QuizError as error:
        messages.error(request, error.message)
        return redirect("learning:progress")
    return redirect("quiz:play", attempt_id)


def _card_changed(request: HttpRequest, question_id: int, in_deck: bool) -> HttpResponse:
    """With htmx, the review's button for this question, turned round; without, back to the
    page the learner was on (a path of this site only) or the notebook."""
    if request.htmx:
        return render(request, "learning/_card_button.html", {"question_id": question_id, "in_deck": in_deck})
    back = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return redirect(back)
    return redirect("learning:notebook")


def _or_404(service, *args):
    try:
        return service(*args)
    except services.NotFound:
        raise Http404("Not found.") from None
