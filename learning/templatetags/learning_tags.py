"""Template helpers of the learning app: `{% load learning_tags %}`. The quiz list and the
result page show the notebook through these, so quiz's views need nothing of learning's."""

from django import template
from django.utils import timezone

from learning.services import MISTAKES, cards_among, due_count

register = template.Library()


@register.inclusion_tag("learning/_due.html")
def revision_due(user) -> dict:
    """"Revise: N due" atop the quiz list: two queries once the deck is read in (learning.services.due_count)."""
    return {"due": due_count(user, timezone.now())}


@register.simple_tag
def notebook_among(user, responses) -> set[int]:
    """Which of the reviewed questions are in the learner's notebook: one query."""
    return cards_among(user, (response.question_id for response in responses))


@register.filter
def has_mistakes(responses) -> bool:
    # A question whose key is held back (quiz/key_holds.py) would say its verdict here.
    return any(response.outcome in MISTAKES and not getattr(response, "hold", None) for response in responses)
