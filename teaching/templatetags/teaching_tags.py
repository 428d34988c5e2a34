"""Template helpers of the teaching app: `{% load teaching_tags %}`."""

from django import template

from teaching.models import is_teacher as _is_teacher

register = template.Library()


@register.filter
def is_teacher(user) -> bool:
    """For the nav: show "Teach" to teachers and admins only."""
    return _is_teacher(user)
