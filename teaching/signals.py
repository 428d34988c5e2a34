from urllib.parse import urlsplit

from django.contrib import messages
from django.dispatch import receiver
from django.urls import Resolver404, resolve

from accounts.signals import signed_up
from teaching import services
from django.utils.translation import gettext as _


@receiver(signed_up)
def join_the_class_whose_link_brought_them(sender, request, user, next_url, **kwargs):
    """Someone who followed a class's join link without an account went from the log-in page
    to sign up: they came to join that class, so the new account is in it."""
    try:
        match = resolve(urlsplit(next_url).path) if next_url else None
    except Resolver404:
        return
    if match is None or match.view_name != "teaching:join_link":
        return
    try:
        classroom = services.join_class(user, match.kwargs["code"])
    except services.TeachingError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Welcome! You joined %(class)s; its quizzes are on your quiz list.") % {"class": classroom.name})
