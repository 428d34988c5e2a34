"""The learning app's receivers: when answers already closed change what they count as (a
regrade, a move of their questions to another topic), the progress totals of the learners who gave them are worked out again, in the same
transaction."""

from django.dispatch import receiver

from learning import tally
from quiz.signals import answers_changed


@receiver(answers_changed, dispatch_uid="learning.retally_changed_answers")
def retally_changed_answers(sender, question_ids, topic_ids=(), **kwargs) -> None:
    tally.retally(question_ids, topic_ids)
