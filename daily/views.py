"""The daily habit's pages: a quiz's leaderboard (a learner's, and a teacher's for a class),
and the learner's profile, where they choose the name leaderboards show."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from daily.forms import ProfileForm
from daily.leaderboard import board_for
from daily.models import Profile
from quiz.models import Quiz
from teaching.models import Membership
from teaching.views import get_assignment_for_teacher


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
        messages.success(request, "Saved. Leaderboards show you as " + (form.instance.display_name or "“Aspirant”") + ".")
        return redirect("daily:profile")
    return render(request, "daily/profile.html", {"form": form})
