"""Template helpers of the teaching app: `{% load teaching_tags %}`."""

from django import template

from teaching.models import is_teacher as _is_teacher
from teaching.services import assignments_for

register = template.Library()


@register.filter
def is_teacher(user) -> bool:
    """For the nav: show "Teach" to teachers and admins only."""
    return _is_teacher(user)


@register.inclusion_tag("teaching/_assigned.html")
def assigned_quizzes(user) -> dict:
    """The quizzes assigned to the learner's classes, atop their quiz list: teaching renders
    them, so that quiz's views need nothing of teaching's. One query, as assignments_for."""
    return {"assignments": assignments_for(user)}
