from django import template
from django.utils import timezone

from daily.problems import notices_for
from daily.streaks import streak_of

register = template.Library()


@register.inclusion_tag("daily/_streak.html")
def streak(user) -> dict:
    """The learner's streak atop the quiz list: one query."""
    return {"streak": streak_of(user, timezone.now())}


@register.inclusion_tag("daily/_notices.html")
def report_notices(user) -> dict:
    """What editors did about the learner's problem reports, until dismissed: one query."""
    return {"notices": notices_for(user)}
