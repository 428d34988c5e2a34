"""The daily habit's records: the name a learner chose to show on leaderboards, and the
problems learners report with questions."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Profile(models.Model):
    """What a learner chose to show others. Without a display name a learner appears on
    leaderboards as "Aspirant", with nothing that identifies them."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="daily_profile", verbose_name=_("user")
    )
    display_name = models.CharField(
        _("display name"),
        max_length=40,
        blank=True,
        help_text=_("Shown on quiz leaderboards. Leave it empty to appear as “Aspirant”."),
    )

    class Meta:
        verbose_name = _("leaderboard profile")
        verbose_name_plural = _("leaderboard profiles")

    def __str__(self) -> str:
        return self.display_name or f"Profile {self.pk}"


class ProblemReport(models.Model):
    """A learner's report of a problem with a question they were shown, for editors to fix.

    One open report per learner and question, held by the database. The reporter gets a
    notice (`notice`, until they dismiss it) when an editor changes the question's key or
    closes the report with a reply."""

    class Reason(models.TextChoices):
        WRONG_KEY = "wrong_key", _("The marked answer is wrong")
        FACTUAL = "factual", _("A fact is wrong or out of date")
        TYPO = "typo", _("A typo")
        UNCLEAR = "unclear", _("The question or an option is unclear")
        OTHER = "other", _("Something else")

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        FIXED = "fixed", _("Fixed")
        REJECTED = "rejected", _("Rejected")

    class NoticeKind(models.TextChoices):
        KEY_CHANGED = "key_changed", _("Key changed")
        FIXED = "fixed", _("Marked fixed")
        REJECTED = "rejected", _("Marked rejected")

    question = models.ForeignKey(
        "questions.Question", on_delete=models.CASCADE, related_name="problem_reports", verbose_name=_("question")
    )
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="problem_reports", verbose_name=_("reporter")
    )
    reason = models.CharField(_("reason"), max_length=12, choices=Reason)
    note = models.TextField(_("note"), blank=True, max_length=1000)
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.OPEN, db_index=True)
    reply = models.TextField(_("reply"), blank=True, help_text=_("Shown to the learner who reported it."))
    created_at = models.DateTimeField(_("reported at"))
    notice_kind = models.CharField(max_length=12, choices=NoticeKind, blank=True, editable=False)
    # The right option before and after a key change (None: there was none).
    previous_key = models.ForeignKey(
        "questions.Choice", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )
    current_key = models.ForeignKey(
        "questions.Choice", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )
    notice = models.TextField(blank=True, editable=False)
    notice_pending = models.BooleanField(default=False, editable=False)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("problem report")
        verbose_name_plural = _("problem reports")
        constraints = [
            models.UniqueConstraint(
                fields=["question", "reporter"], condition=models.Q(status="open"), name="report_one_open_per_learner"
            ),
        ]
        indexes = [
            models.Index(fields=["reporter", "created_at"], name="report_reporter_recent"),
            models.Index(fields=["reporter", "notice_pending"], name="report_reporter_notice"),
        ]

    def __str__(self) -> str:
        return f"{self.get_reason_display()} · question {self.question_id}"

    def tell_reporter(self, kind: str, previous_key=None, current_key=None) -> None:
        """Leave the reporter a notice for their next visit (replacing any unread one)."""
        self.notice_kind, self.previous_key, self.current_key = kind, previous_key, current_key
        self.notice, self.notice_pending = "", True
