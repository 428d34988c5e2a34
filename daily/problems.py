"""Learners report problems with questions; editors answer them. One call per request.

A learner may report a question once its answer is theirs to see (quiz.services.feedback
decides, as for the feedback screen), once at a time: one open report per learner and
question, held by a unique constraint. Reports are limited per learner per hour, counted in
the database, so the limit holds across servers and does not depend on Redis.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction

from curation.regrade import label
from daily.models import ProblemReport
from questions.models import Choice
from quiz import services as quiz_services
from django.utils.translation import gettext as _

REPORTS_PER_HOUR = 10
# What a notice is made of: written by tell_reporter, saved together.
NOTICE_FIELDS = ["notice_kind", "previous_key", "current_key", "notice", "notice_pending"]


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


@dataclass
class Notice:
    report_id: int
    text: str


def notices_for(user) -> list[Notice]:
    """The learner's unread notices about their reports, newest first, in the language they
    read now. One query."""
    reports = (
        ProblemReport.objects.filter(reporter=user, notice_pending=True)
        .select_related("question", "previous_key", "current_key")
        .order_by("-created_at", "-pk")
    )
    return [Notice(report.pk, notice_text(report)) for report in reports]


def notice_text(report: ProblemReport) -> str:
    """What the reporter is told about their report, written now in the active language, with
    the question's stem and options in it. The editor's reply stays as the editor wrote it."""
    Kind = ProblemReport.NoticeKind
    question = {"question": report.question}
    if report.notice_kind == Kind.KEY_CHANGED:
        return _(
            "An editor changed the answer to a question you reported (“%(question)s”) from %(previous)s "
            "to %(current)s. Answers to it were marked again and your score updated."
        ) % {**question, "previous": label(report.previous_key), "current": label(report.current_key)}
    if report.notice_kind == Kind.FIXED:
        text = _("Your report on “%(question)s” was marked fixed.") % question
    elif report.notice_kind == Kind.REJECTED:
        text = _("Your report on “%(question)s” was marked rejected.") % question
    else:
        return report.notice
    if report.reply:
        text += " " + _("The editor's reply: %(reply)s") % {"reply": report.reply}
    return text


def dismiss_notice(user, report_id: int) -> bool:
    """Mark the learner's notice read; False when there is no such report of theirs."""
    with transaction.atomic():
        return bool(ProblemReport.objects.filter(pk=report_id, reporter=user).update(notice_pending=False))


def key_changed(question, previous: Choice | None, current: Choice | None) -> int:
    """Tell everyone who reported this question that its key changed. Returns how many."""
    reports = list(ProblemReport.objects.filter(question=question))
    for report in reports:
        report.tell_reporter(ProblemReport.NoticeKind.KEY_CHANGED, previous, current)
    ProblemReport.objects.bulk_update(reports, NOTICE_FIELDS)
    return len(reports)


def closed_by_editor(report: ProblemReport) -> None:
    """Tell the reporter how their report was closed (fixed or rejected), with the editor's
    reply, which notice_text reads from the report when it is shown."""
    report.tell_reporter(ProblemReport.NoticeKind(report.status))
