"""Learners' problem reports, in admin: the editors' queue. The busiest questions first (how
many open reports each has), filtered by status and reason; an editor sets the status and a
reply, which the reporter is told on their next visit. Reports are learners': editors never
add or delete one."""

from django.contrib import admin
from django.db.models import Count, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from daily import problems
from daily.models import ProblemReport
from lib.translated import columns_in_every_language


@admin.register(ProblemReport)
class ProblemReportAdmin(admin.ModelAdmin):
    list_display = ("question_summary", "reason", "status", "open_on_question", "reports_on_question", "created_at")
    list_filter = ("status", "reason")
    search_fields = (*columns_in_every_language("question__stem"), "note")
    list_select_related = ("question",)

    def get_ordering(self, request):
        # The busiest questions first: open reports on the question, then all reports on it.
        # (Counts annotated in get_queryset, so not an `ordering` attribute: admin's checks
        # only know model fields.)
        return ("-question_open", "-question_total", "-created_at", "-pk")
    fields = ("question_link", "reason", "note", "created_at", "status", "reply")
    readonly_fields = ("question_link", "reason", "note", "created_at")

    def get_queryset(self, request):
        per_question = (
            ProblemReport.objects.filter(question=OuterRef("question"))
            .order_by()
            .values("question")
            .annotate(total=Count("pk"), open=Count("pk", filter=Q(status=ProblemReport.Status.OPEN)))
        )
        # Annotated before ordering: ModelAdmin.get_queryset orders by `ordering`, which names
        # these counts.
        reports = ProblemReport.objects.annotate(
            question_total=Coalesce(Subquery(per_question.values("total")), 0),
            question_open=Coalesce(Subquery(per_question.values("open")), 0),
        )
        return reports.order_by(*self.get_ordering(request))

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def save_model(self, request, obj: ProblemReport, form, change) -> None:
        if obj.status != ProblemReport.Status.OPEN and {"status", "reply"} & set(form.changed_data):
            problems.closed_by_editor(obj)
        super().save_model(request, obj, form, change)

    @admin.display(description=_("Question"), ordering="question__stem")
    def question_summary(self, report: ProblemReport) -> str:
        return str(report.question)

    @admin.display(description=_("Question"))
    def question_link(self, report: ProblemReport) -> str:
        url = reverse("admin:questions_question_change", args=[report.question_id])
        return format_html('<a href="{}">{}</a> (edit the question to fix it; a new key regrades its answers)', url, report.question)

    @admin.display(description=_("Open on this question"), ordering="question_open")
    def open_on_question(self, report: ProblemReport) -> int:
        return report.question_open

    @admin.display(description=_("Reports on this question"), ordering="question_total")
    def reports_on_question(self, report: ProblemReport) -> int:
        return report.question_total
