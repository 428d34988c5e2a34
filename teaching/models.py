"""Classes a teacher runs, the learners in them, and the quizzes assigned to them.

A teacher is a user in the "Teachers" group; superusers may see every class. Who may see what
is decided by `Classroom.objects.for_teacher(user)`, which every teacher view goes through.
"""

import secrets
from datetime import datetime

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.roles import TEACHERS_GROUP, is_teacher  # noqa: F401  (is_teacher: teaching.models.is_teacher, as views and tags import it)
from quiz.models import Quiz

# No 0/O, 1/I/L, 5/S or 2/Z: a code read aloud in a classroom or copied off a board must not
# be mistyped.
JOIN_CODE_ALPHABET = "ABCDEFGHJKMNPQRTUVWXY346789"
JOIN_CODE_LENGTH = 6


def new_join_code() -> str:
    return "".join(secrets.choice(JOIN_CODE_ALPHABET) for _ in range(JOIN_CODE_LENGTH))


def normalise_join_code(text: str) -> str:
    """What a learner typed, as stored: upper case, letters and digits only (spaces, dashes
    and anything stranger, a NUL included, are dropped before the code reaches a query)."""
    return "".join(ch for ch in text.upper() if ch.isascii() and ch.isalnum())


class ClassroomQuerySet(models.QuerySet):
    def for_teacher(self, user):
        """The classes this user may manage: every class for a superuser, their own while they
        are in the Teachers group, none for anyone else. One query, no separate group check."""
        if not user.is_authenticated:
            return self.none()
        if user.is_superuser:
            return self.all()
        return self.filter(teacher=user, teacher__groups__name=TEACHERS_GROUP)


class Classroom(models.Model):
    teacher = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="classrooms", verbose_name=_("teacher")
    )
    name = models.CharField(_("name"), max_length=120)
    join_code = models.CharField(_("join code"), max_length=12, unique=True, default=new_join_code)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    learners = models.ManyToManyField(
        settings.AUTH_USER_MODEL, through="Membership", related_name="classes_joined", blank=True, verbose_name=_("learners")
    )

    objects = ClassroomQuerySet.as_manager()

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("class")
        verbose_name_plural = _("classes")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("teaching:class", args=[self.pk])

    def get_join_url(self) -> str:
        return reverse("teaching:join_link", args=[self.join_code])


class Membership(models.Model):
    classroom = models.ForeignKey(Classroom, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("class"))
    learner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="class_memberships", verbose_name=_("learner")
    )
    joined_at = models.DateTimeField(_("joined at"), auto_now_add=True)

    class Meta:
        ordering = ["classroom", "learner__username"]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(fields=["classroom", "learner"], name="membership_one_per_learner"),
        ]

    def __str__(self) -> str:
        return f"{self.learner} in {self.classroom}"


class Assignment(models.Model):
    classroom = models.ForeignKey(Classroom, on_delete=models.CASCADE, related_name="assignments", verbose_name=_("class"))
    quiz = models.ForeignKey(Quiz, on_delete=models.PROTECT, related_name="assignments", verbose_name=_("quiz"))
    due_at = models.DateTimeField(_("due at"), null=True, blank=True)
    assigned_at = models.DateTimeField(_("assigned at"), auto_now_add=True)

    class Meta:
        ordering = [models.F("due_at").asc(nulls_last=True), "assigned_at", "pk"]
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        constraints = [
            models.UniqueConstraint(fields=["classroom", "quiz"], name="assignment_one_per_quiz"),
        ]

    def __str__(self) -> str:
        return f"{self.quiz} for {self.classroom}"

    def get_absolute_url(self) -> str:
        return reverse("teaching:scores", args=[self.classroom_id, self.quiz.slug])

    def is_overdue(self, now: datetime) -> bool:
        """Past its due date. A quiz without a due date is never overdue."""
        return self.due_at is not None and now > self.due_at
