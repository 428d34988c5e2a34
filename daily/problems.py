"""Learners report problems with questions; editors answer them. One call per request.

A learner may report a question once its answer is theirs to see (quiz.services.feedback
decides, as for the feedback screen), once at a time: one open report per learner and
question, held by a unique constraint. Reports are limited per learner per hour, counted in
the database, so the limit holds across servers and does not depend on Redis.
"""

from datetime import datetime, timedelta

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction

from daily.models import ProblemReport
from quiz import services as quiz_services
from django.utils.translation import gettext as _

REPORTS_PER_HOUR = 10


class ReportError(Exception):
    status = 400

    def __init__(self, message: str, status: int = 400):
        super().__init__(message)
        self.message, self.status = message, status


def reportable(attempt_id: int, user, number: int, now: datetime) -> quiz_services.Screen:
    """The question the learner asks to report, with their answer, if its answer is theirs to
    see; raises quiz_services.AttemptNotFound (a 404) or QuizError as the feedback screen does."""
    return quiz_services.feedback(attempt_id, user, number, now)


def open_report(user, question_id: int) -> ProblemReport | None:
    return ProblemReport.objects.filter(reporter=user, question_id=question_id, status=ProblemReport.Status.OPEN).first()


def report_problem(attempt_id: int, user, number: int, reason: str, note: str, now: datetime) -> ProblemReport:
    """Record the learner's report on question `number` of their attempt."""
    question_id = reportable(attempt_id, user, number, now).answered.question_id
    with transaction.atomic():
        # Two reports sent at once queue here, so the hour's count and the open one are seen.
        get_user_model().objects.select_for_update().filter(pk=user.pk).exists()
        recent = ProblemReport.objects.filter(reporter=user, created_at__gt=now - timedelta(hours=1)).count()
        if recent >= REPORTS_PER_HOUR:
            raise ReportError(
                _("You have sent %(count)s reports in the last hour. Please wait a while before sending another.") % {"count": REPORTS_PER_HOUR},
                status=429,
            )
        try:
            with transaction.atomic():
                return ProblemReport.objects.create(
                    question_id=question_id, reporter=user, reason=reason, note=note, created_at=now
                )
        except IntegrityError:
            raise ReportError(
                _("You have already reported this question; an editor will look at your report."), status=409
            ) from None


def notices_for(user) -> list[ProblemReport]:
    """The learner's unread notices about their reports, newest first. One query."""
    return list(ProblemReport.objects.filter(reporter=user, notice_pending=True).order_by("-created_at", "-pk"))


def dismiss_notice(user, report_id: int) -> bool:
    """Mark the learner's notice read; False when there is no such report of theirs."""
    with transaction.atomic():
        return bool(ProblemReport.objects.filter(pk=report_id, reporter=user).update(notice_pending=False))


def key_changed(question, previous_label: str, current_label: str) -> int:
    """Tell everyone who reported this question that its key changed. Returns how many."""
    stem = str(question)
    reports = list(ProblemReport.objects.filter(question=question))
    for report in reports:
        report.tell_reporter(
            f"An editor changed the answer to a question you reported (“{stem}”) from {previous_label} "
            f"to {current_label}. Answers to it were marked again and your score updated."
        )
    ProblemReport.objects.bulk_update(reports, ["notice", "notice_pending"])
    return len(reports)


def closed_by_editor(report: ProblemReport) -> None:
    """Tell the reporter how their report was closed, with the editor's reply."""
    reply = f" The editor's reply: {report.reply}" if report.reply else ""
    report.tell_reporter(f"Your report on “{report.question}” was marked {report.get_status_display().lower()}.{reply}")
