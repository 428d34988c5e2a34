"""Workflows of classes: create one, join one, remove a learner, assign a quiz. Each runs in
one transaction and raises `TeachingError`, whose message the view shows."""

from datetime import datetime

from django.db import IntegrityError, transaction
from django.db.models import Exists, F, OuterRef
from django.utils import timezone

from quiz import key_holds
from quiz.models import Attempt, Quiz, TimeAllowance
from teaching.models import Assignment, Classroom, Membership, normalise_join_code
from django.utils.translation import gettext


class TeachingError(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def create_classroom(teacher, name: str) -> Classroom:
    """A new class with a fresh join code. Codes are random; on the rare clash the unique
    constraint refuses the row and another code is drawn."""
    for _ in range(10):
        try:
            with transaction.atomic():
                return Classroom.objects.create(teacher=teacher, name=name.strip())
        except IntegrityError:
            continue
    raise TeachingError(gettext("Could not find a free join code; please try again."))


def join_class(learner, code: str) -> Classroom:
    code = normalise_join_code(code)
    classroom = Classroom.objects.filter(join_code=code).first() if code else None
    if classroom is None:
        raise TeachingError(gettext("No class has that code. Check it with your teacher."))
    if classroom.teacher_id == learner.pk:
        raise TeachingError(gettext("You teach this class; learners join it with the code."))
    with transaction.atomic():
        _, created = Membership.objects.get_or_create(classroom=classroom, learner=learner)
        if created:
            for assignment in classroom.assignments.select_related("quiz"):
                key_holds.hold_keys_on_screen([learner.pk], assignment.quiz)
    if not created:
        raise TeachingError(gettext("You are already in %(class)s.") % {"class": classroom.name})
    return classroom


def remove_learner(classroom: Classroom, learner_id: int) -> None:
    """Take a learner out of the class. Their attempts stay theirs; the class's reports stop
    showing them."""
    with transaction.atomic():
        deleted, _ = Membership.objects.filter(classroom=classroom, learner_id=learner_id).delete()
    if not deleted:
        raise TeachingError(gettext("That learner is not in this class."))


def set_time_factor(classroom: Classroom, learner_id: int, factor, teacher) -> Membership:
    """Give a learner of the class extra time (or take it back with 1×). It is the learner's,
    not the class's: every attempt they start from now on takes it; attempts already started
    keep the time they started with."""
    membership = (
        Membership.objects.select_related("learner").filter(classroom=classroom, learner_id=learner_id).first()
    )
    if membership is None:
        raise TeachingError(gettext("That learner is not in this class."))
    with transaction.atomic():
        TimeAllowance.objects.update_or_create(user_id=learner_id, defaults={"factor": factor, "set_by": teacher})
    return membership


def assign_quiz(classroom: Classroom, quiz: Quiz, due_at: datetime | None) -> Assignment:
    """Assign a published quiz, or change the due date of one already assigned."""
    if not quiz.is_published:
        raise TeachingError(gettext("Only published quizzes can be assigned."))
    with transaction.atomic():
        assignment, _ = Assignment.objects.update_or_create(
            classroom=classroom, quiz=quiz, defaults={"due_at": due_at}
        )
        learners = classroom.memberships.values_list("learner_id", flat=True)
        key_holds.hold_keys_on_screen(learners, quiz)
    return assignment


def assigned_quizzes(user, now: datetime) -> list[tuple[int, datetime | None]]:
    """(quiz id, due date) of every quiz assigned to a class the learner is in now: what
    quiz/key_holds.py asks to hold back exam-style quizzes' keys. One query."""
    return list(Assignment.objects.filter(classroom__memberships__learner=user).values_list("quiz_id", "due_at"))


def unassign_quiz(assignment: Assignment) -> None:
    with transaction.atomic():
        assignment.delete()


def assignments_for(user, now: datetime | None = None) -> list[Assignment]:
    """The published quizzes assigned to the classes a learner is in, due dates first (the
    soonest at the top), then those without one. Each says whether the learner has finished
    an attempt at it and whether it is overdue. One query."""
    if not user.is_authenticated:
        return []
    now = now or timezone.now()
    finished = Attempt.objects.filter(user=user, quiz=OuterRef("quiz"), finished_at__isnull=False)
    assignments = list(
        Assignment.objects.filter(
            classroom__memberships__learner=user, quiz__is_published=True, quiz__publish_at__lte=now
        )
        .select_related("quiz", "classroom")
        .annotate(done=Exists(finished))
        .order_by(F("due_at").asc(nulls_last=True), "assigned_at", "pk")
    )
    for assignment in assignments:
        assignment.overdue = not assignment.done and assignment.is_overdue(now)
    return assignments
