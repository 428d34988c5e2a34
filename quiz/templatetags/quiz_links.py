"""Links from pages of lower apps to quizzes: the article's page lists the quizzes on it
(questions may not import quiz; its template may load this)."""

from django import template
from django.utils import timezone

from quiz.catalogue import quizzes_on

register = template.Library()


@register.inclusion_tag("quiz/_quizzes_on.html")
def quizzes_on_source(source) -> dict:
    return {"quizzes": quizzes_on(source, timezone.now())}
