"""The daily app listens to curation: a question's key changed, so its reporters are told."""

from django.dispatch import receiver

from curation.regrade import key_changed
from daily import problems


@receiver(key_changed, dispatch_uid="daily.tell_reporters_the_key_changed")
def tell_reporters_the_key_changed(sender, question, previous, current, **kwargs) -> None:
    problems.key_changed(question, previous, current)
