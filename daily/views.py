"""The daily habit's pages: a quiz's leaderboard (a learner's, and a teacher's for a class),
and the learner's profile, where they choose the name leaderboards show."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from daily import problems
from daily.forms import ProblemReportForm, ProfileForm
from daily.leaderboard import board_for
from daily.models import Profile
from quiz import services as quiz_services
from quiz.models import Quiz
from teaching.models import Membership
from teaching.views import get_assignment_for_teacher
from django.utils.translation import gettext as _


@require_GET
@login_required
def leaderboard(request: HttpRequest, slug: str) -> HttpResponse:
    """A released quiz's board: the top 20 by display name, and the learner's own rank."""
    quiz = get_object_or_404(Quiz.objects.published(timezone.now()), slug=slug)
    return render(request, "daily/leaderboard.html", {"board": board_for(quiz, request.user)})


@require_GET
@login_required
def class_leaderboard(request: HttpRequest, pk: int, slug: str) -> HttpResponse:
    """The board of a teacher's class at an assigned quiz, with the learners' real names.
    404 for anyone who does not teach the class."""
    assignment = get_assignment_for_teacher(request, pk, slug)
    learners = Membership.objects.filter(classroom_id=assignment.classroom_id).values("learner_id")
    board = board_for(assignment.quiz, None, among=learners, real_names=True)
    return render(request, "daily/leaderboard.html", {"board": board, "assignment": assignment})


@require_http_methods(["GET", "POST"])
@login_required
def profile(request: HttpRequest) -> HttpResponse:
    instance = Profile.objects.filter(user=request.user).first() or Profile(user=request.user)
    form = ProfileForm(request.POST or None, instance=instance)
    if request.method == "POST":
        if not form.is_valid():
            return render(request, "daily/profile.html", {"form": form}, status=400)
        with transaction.atomic():
            form.save()
        messages.success(request, _("Saved. Leaderboards show you as %(name)s.") % {"name": form.instance.display_name or _("“Aspirant”")})
        return redirect("daily:profile")
    return render(request, "daily/profile.html", {"form": form})


# --- reporting a problem with a question ---------------------------------------------------


@require_http_methods(["GET", "POST"])
@login_required
def report_problem(request: HttpRequest, attempt_id: int, number: int) -> HttpResponse:
    """Report a problem with question `number` of the learner's attempt, once its answer is
    theirs to see (as on its feedback screen). Another learner's attempt is a 404."""
    now = timezone.now()
    try:
        screen = problems.reportable(attempt_id, request.user, number, now)
    except quiz_services.AttemptNotFound:
        raise Http404("No such attempt.") from None
    except quiz_services.QuizError as error:
        return render(request, "daily/report_refused.html", {"error": error.message, "attempt_id": attempt_id}, status=error.status)
    form = ProblemReportForm(request.POST or None)
    context = {"form": form, "attempt": screen.attempt, "response": screen.answered, "back": _back(screen.attempt, number)}
    if request.method == "GET":
        context["already"] = problems.open_report(request.user, screen.answered.question_id)
        return render(request, "daily/report.html", context)
    if not form.is_valid():
        return render(request, "daily/report.html", {**context, "error": form.first_error()}, status=400)
    try:
        problems.report_problem(attempt_id, request.user, number, form.cleaned_data["reason"], form.cleaned_data["note"], now)
    except problems.ReportError as error:
        return render(request, "daily/report.html", {**context, "error": error.message}, status=error.status)
    messages.success(request, _("Thank you: your report is with the editors. You will see their answer here."))
    return redirect(context["back"])


def _back(attempt, number: int) -> str:
    """Where the learner came from: the review of a finished attempt, else the feedback."""
    if attempt.is_finished:
        return reverse("quiz:result", args=[attempt.pk]) + f"#q{number}"
    return reverse("quiz:feedback", args=[attempt.pk, number])


@require_POST
@login_required
def dismiss_notice(request: HttpRequest, report_id: int) -> HttpResponse:
    if not problems.dismiss_notice(request.user, report_id):
        raise Http404("No such report.")
    return redirect("quiz:list")
