"""Teachers' views (under /teach/) and the learners' join views (under /classes/join/).

Every teacher view reaches its class through `get_class_for_teacher`, which answers 404 to
anyone who does not teach it (superusers see every class): a class, its reports and its
exports do not exist for other teachers or for learners.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts import throttle
from lib.paging import page_of
from quiz import papers
from quiz import services as quiz_services
from quiz.models import Attempt, Quiz
from quiz.printing import printed_paper
from quiz.presenters import attach_options
from teaching import charts, exports, reports, services
from quiz.timing import factor_label
from teaching.forms import AssignForm, ClassroomForm, JoinForm, TimeFactorForm
from teaching.models import Assignment, Classroom, Membership, is_teacher, normalise_join_code
from teaching.reports import MATRIX_PAGE_SIZE
from django.utils.translation import gettext as _

REPORT_KINDS = ("scores", "items", "matrix")
EXPORT_FORMATS = ("csv", "xlsx")
MATRIX_BLOCK = 10
# A coaching batch can be a thousand learners: the class page lists them a page at a time.
MEMBERS_PAGE_SIZE = 50


def require_teacher(request: HttpRequest) -> None:
    if not is_teacher(request.user):
        raise Http404("No such page.")


def get_class_for_teacher(request: HttpRequest, pk: int) -> Classroom:
    """The class if this user teaches it or is an admin; 404 for everyone else."""
    return get_object_or_404(Classroom.objects.for_teacher(request.user).select_related("teacher"), pk=pk)


def get_assignment_for_teacher(request: HttpRequest, pk: int, slug: str) -> Assignment:
    """A quiz assigned to the teacher's class: a quiz not assigned to it has no report here."""
    classroom = get_class_for_teacher(request, pk)
    assignment = get_object_or_404(Assignment.objects.select_related("quiz"), classroom=classroom, quiz__slug=slug)
    assignment.classroom = classroom
    # A paper whose time ran out while its learner was away is closed before it is reported.
    papers.close_overdue(timezone.now(), quiz_id=assignment.quiz_id)
    return assignment


def get_quiz_to_print(request: HttpRequest, slug: str) -> Quiz:
    """A quiz whose paper and answer key this user may print: editors and admins (who may
    change quizzes) any quiz, drafts and scheduled ones too, as they preview them; teachers the
    quizzes they may assign (published and released). For everyone else, learners above all
    (the key is printed), it does not exist: 404."""
    if request.user.has_perm("quiz.change_quiz"):
        quizzes = Quiz.objects.all()
    elif is_teacher(request.user):
        quizzes = Quiz.objects.published(timezone.now())
    else:
        raise Http404("No such page.")
    return get_object_or_404(quizzes, slug=slug)


# --- classes -------------------------------------------------------------------------------


def _index(request: HttpRequest, form: ClassroomForm, status: int = 200) -> HttpResponse:
    classes = (
        Classroom.objects.for_teacher(request.user)
        .select_related("teacher")
        .annotate(learner_count=Count("memberships", distinct=True), quiz_count=Count("assignments", distinct=True))
    )
    return render(request, "teaching/index.html", {"classes": classes, "form": form}, status=status)


@require_GET
@login_required
def index(request: HttpRequest) -> HttpResponse:
    require_teacher(request)
    return _index(request, ClassroomForm())


@require_POST
@login_required
def class_create(request: HttpRequest) -> HttpResponse:
    require_teacher(request)
    form = ClassroomForm(request.POST)
    if not form.is_valid():
        return _index(request, form, status=400)
    try:
        classroom = services.create_classroom(request.user, form.cleaned_data["name"])
    except services.TeachingError as error:
        messages.error(request, error.message)
        return redirect("teaching:index")
    messages.success(request, _("Class created. Learners join it with the code %(code)s.") % {"code": classroom.join_code})
    return redirect(classroom)


def _class_page(request: HttpRequest, classroom: Classroom, form: AssignForm, status: int = 200) -> HttpResponse:
    members = classroom.memberships.select_related("learner__time_allowance").order_by("learner__username")
    paged = page_of(request, members, MEMBERS_PAGE_SIZE, _("learners"))
    context = {
        **paged,
        "classroom": classroom,
        "memberships": paged["page"].object_list,
        "assignments": classroom.assignments.select_related("quiz"),
        "join_url": request.build_absolute_uri(classroom.get_join_url()),
        "form": form,
        "time_choices": TimeFactorForm.base_fields["factor"].choices,
    }
    return render(request, "teaching/class_detail.html", context, status=status)


@require_GET
@login_required
def class_detail(request: HttpRequest, pk: int) -> HttpResponse:
    classroom = get_class_for_teacher(request, pk)
    return _class_page(request, classroom, AssignForm())


def _confirm(request: HttpRequest, classroom: Classroom, question: str, explanation: str, action: str) -> HttpResponse:
    """The page that asks before an action that cannot be undone: a form that POSTs to the same
    URL, so it works without JavaScript, and a way back that changes nothing."""
    page = request.GET.get("page", "")
    context = {
        "classroom": classroom,
        "question": question,
        "explanation": explanation,
        "action": action,
        "page": page if page.isascii() and page.isdigit() else "",
    }
    return render(request, "teaching/confirm.html", context)


def _back_to_class_page(request: HttpRequest, classroom: Classroom) -> HttpResponse:
    # Back to the page of learners the teacher was on (page_of shows the last page if it is
    # now past the end), so removing several on page 3 does not start from page 1 each time.
    page, url = request.POST.get("page", ""), classroom.get_absolute_url()
    return redirect(f"{url}?page={page}" if page.isascii() and page.isdigit() else url)


@require_http_methods(["GET", "POST"])
@login_required
def remove_learner(request: HttpRequest, pk: int, user_id: int) -> HttpResponse:
    """GET asks the teacher to confirm; the POST from that page removes the learner."""
    classroom = get_class_for_teacher(request, pk)
    membership = get_object_or_404(
        Membership.objects.select_related("learner"), classroom=classroom, learner_id=user_id
    )
    name = reports.learner_name(membership.learner)
    if request.method == "GET":
        return _confirm(
            request,
            classroom,
            _("Remove %(name)s (%(username)s) from %(class)s?") % {"name": name, "username": membership.learner.username, "class": classroom.name},
            _("Their attempts stay theirs, but the class's reports stop showing them. They can join again with the code."),
            _("Remove learner"),
        )
    try:
        services.remove_learner(classroom, user_id)
    except services.TeachingError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("%(name)s is no longer in %(class)s.") % {"name": name, "class": classroom.name})
    return _back_to_class_page(request, classroom)


@require_POST
@login_required
def time_factor(request: HttpRequest, pk: int, user_id: int) -> HttpResponse:
    """Set a class member's time factor: their extra time in every attempt they start."""
    classroom = get_class_for_teacher(request, pk)
    get_object_or_404(Membership, classroom=classroom, learner_id=user_id)
    form = TimeFactorForm(request.POST)
    if not form.is_valid():
        messages.error(request, form.errors["factor"][0])
        return _class_page(request, classroom, AssignForm(), status=400)
    factor = form.cleaned_data["factor"]
    membership = services.set_time_factor(classroom, user_id, factor, request.user)
    name = reports.learner_name(membership.learner)
    messages.success(request, _("%(name)s now has %(factor)s time in every quiz they start.") % {"name": name, "factor": factor_label(factor)})
    return _back_to_class_page(request, classroom)


@require_POST
@login_required
def assign(request: HttpRequest, pk: int) -> HttpResponse:
    classroom = get_class_for_teacher(request, pk)
    form = AssignForm(request.POST)
    if not form.is_valid():
        return _class_page(request, classroom, form, status=400)
    try:
        assignment = services.assign_quiz(classroom, form.cleaned_data["quiz"], form.cleaned_data["due_at"])
    except services.TeachingError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("%(quiz)s is assigned to %(class)s.") % {"quiz": assignment.quiz.title, "class": classroom.name})
    return redirect(classroom)


@require_http_methods(["GET", "POST"])
@login_required
def unassign(request: HttpRequest, pk: int, slug: str) -> HttpResponse:
    """GET asks the teacher to confirm; the POST from that page unassigns the quiz."""
    assignment = get_assignment_for_teacher(request, pk, slug)
    if request.method == "GET":
        return _confirm(
            request,
            assignment.classroom,
            _("Unassign %(quiz)s from %(class)s?") % {"quiz": assignment.quiz.title, "class": assignment.classroom.name},
            _("Its reports leave the class page and learners stop seeing it as assigned. Attempts already made are kept."),
            _("Unassign quiz"),
        )
    services.unassign_quiz(assignment)
    messages.success(request, _("%(quiz)s is no longer assigned. Attempts already made are kept.") % {"quiz": assignment.quiz.title})
    return _back_to_class_page(request, assignment.classroom)


# --- a quiz on paper -------------------------------------------------------------------------


@require_GET
@login_required
def print_paper(request: HttpRequest, slug: str) -> HttpResponse:
    """The quiz's question paper, then its answer key with explanations on new pages, for a
    teacher's class or an editor's review (static/css/paper-print.css lays out the print)."""
    quiz = get_quiz_to_print(request, slug)
    try:
        paper = printed_paper(quiz)
    except quiz_services.QuizError as error:
        return render(request, "teaching/print_paper.html", {"quiz": quiz, "problem": error.message})
    return render(request, "teaching/print_paper.html", {"quiz": quiz, "paper": paper})


# --- reports -------------------------------------------------------------------------------


def _report(request: HttpRequest, assignment: Assignment, kind: str, context: dict) -> HttpResponse:
    context = {
        "assignment": assignment,
        "classroom": assignment.classroom,
        "quiz": assignment.quiz,
        "kind": kind,
        **context,
    }
    return render(request, f"teaching/report_{kind}.html", context)


@require_GET
@login_required
def scores(request: HttpRequest, pk: int, slug: str) -> HttpResponse:
    assignment = get_assignment_for_teacher(request, pk, slug)
    quiz_services.count_questions([assignment.quiz])
    report = reports.score_report(assignment, assignment.quiz.max_score)
    context = {
        "columns": [_(c) for c in reports.SCORE_COLUMNS],
        "report": report,
        "chart": charts.histogram_chart(report.bins),
        "submitted": report.summary.count,
    }
    return _report(request, assignment, "scores", context)


@require_GET
@login_required
def items(request: HttpRequest, pk: int, slug: str) -> HttpResponse:
    assignment = get_assignment_for_teacher(request, pk, slug)
    questions = reports.report_questions(assignment)
    rows = reports.item_rows(assignment, questions)
    context = {"columns": [_(c) for c in reports.item_columns(questions)], "rows": rows, "flagged": sum(1 for r in rows if r.flags)}
    return _report(request, assignment, "items", context)


@require_GET
@login_required
def matrix(request: HttpRequest, pk: int, slug: str) -> HttpResponse:
    assignment = get_assignment_for_teacher(request, pk, slug)
    questions = reports.report_questions(assignment)
    paged = page_of(request, reports.matrix_learners(assignment), MATRIX_PAGE_SIZE, _("learners"))
    rows = reports.matrix_page_rows(assignment, questions, list(paged["page"].object_list))
    # Each row links to its attempt in every block: one reverse() per learner, not per block.
    reviews = [row.attempt_id and reverse("teaching:attempt", args=[pk, slug, row.attempt_id]) for row in rows]
    rows_with_reviews = list(zip(rows, reviews))
    # Blocks of ten questions, each repeating the learner's columns: a 100-question quiz
    # then reads on a phone and prints on A4 instead of running off the page's edge.
    blocks = [
        {
            "first": start + 1,
            "last": min(start + MATRIX_BLOCK, len(questions)),
            "questions": questions[start : start + MATRIX_BLOCK],
            "rows": [
                (row, review, row.cells[start : start + MATRIX_BLOCK]) for row, review in rows_with_reviews
            ],
        }
        for start in range(0, max(len(questions), 1), MATRIX_BLOCK)
    ]
    context = {"columns": [_(c) for c in reports.matrix_columns(questions)], "blocks": blocks, **paged}
    return _report(request, assignment, "matrix", context)


@require_GET
@login_required
def export(request: HttpRequest, pk: int, slug: str, kind: str, fmt: str) -> HttpResponse:
    assignment = get_assignment_for_teacher(request, pk, slug)
    if kind not in REPORT_KINDS or fmt not in EXPORT_FORMATS:
        raise Http404("No such export.")
    if fmt == "csv":
        return exports.csv_response(assignment, kind)
    return exports.xlsx_response(assignment, kind)


@require_GET
@login_required
def attempt_review(request: HttpRequest, pk: int, slug: str, attempt_id: int) -> HttpResponse:
    """A class member's finished attempt at the assigned quiz, question by question."""
    assignment = get_assignment_for_teacher(request, pk, slug)
    attempt = get_object_or_404(
        Attempt.objects.finished().select_related("user"),
        pk=attempt_id,
        quiz_id=assignment.quiz_id,
        user__class_memberships__classroom=assignment.classroom,
    )
    # The teacher's access is checked above; the review is read as the learner's own.
    review = quiz_services.review(attempt.pk, attempt.user)
    responses = review.responses
    attach_options(responses, review.choices)
    context = {
        "assignment": assignment,
        "classroom": assignment.classroom,
        "quiz": assignment.quiz,
        "attempt": attempt,
        "learner_name": reports.learner_name(attempt.user),
        "responses": responses,
    }
    return render(request, "teaching/attempt_review.html", context)


# --- learners joining ----------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@login_required
def join(request: HttpRequest) -> HttpResponse:
    """A learner types a class code. Codes that join nothing are counted per learner and per
    address, and past the limit no code is looked up: six letters are guessable by brute
    force, never at a few dozen tries an hour."""
    form = JoinForm(request.POST or None)
    if request.method == "GET":
        return render(request, "teaching/join.html", {"form": form})
    tries = [
        (throttle.JOIN_PER_USER, str(request.user.pk)),
        (throttle.JOIN_PER_ADDRESS, throttle.client_address(request)),
    ]
    refused = throttle.first_exceeded(tries)
    if refused:
        form.add_error(None, refused.refusal())
        return render(request, "teaching/join.html", {"form": form}, status=429)
    if form.is_valid():
        try:
            classroom = services.join_class(request.user, form.cleaned_data["code"])
        except services.TeachingError as error:
            form.add_error("code", error.message)
        else:
            messages.success(request, _("You joined %(class)s. Its quizzes are listed below.") % {"class": classroom.name})
            return redirect("quiz:list")
    for limit, value in tries:
        throttle.count(limit, value)
    return render(request, "teaching/join.html", {"form": form}, status=400)


@require_GET
@login_required
def join_link(request: HttpRequest, code: str) -> HttpResponse:
    """The page a shared join link opens: which class, and one button to join it. Joining
    is a POST, so following or prefetching the link changes nothing."""
    classroom = get_object_or_404(Classroom.objects.select_related("teacher"), join_code=normalise_join_code(code))
    already = classroom.memberships.filter(learner=request.user).exists()
    context = {"classroom": classroom, "already": already, "teacher_name": reports.learner_name(classroom.teacher)}
    return render(request, "teaching/join_link.html", context)
