from django import template
from django.utils import timezone

from daily.streaks import streak_of

register = template.Library()


@register.inclusion_tag("daily/_streak.html")
def streak(user) -> dict:
    """The learner's streak atop the quiz list: one query."""
    return {"streak": streak_of(user, timezone.now())}
