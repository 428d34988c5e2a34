from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.dispatch import Signal, receiver

from accounts import language, throttle

# Sent once a new account is made and logged in, with `request`, `user` and `next_url` (the
# page the sign-up was on its way to, or ""): apps above accounts finish there what brought the
# person to sign up, such as joining the class whose link they followed.
signed_up = Signal()


@receiver(user_login_failed)
def count_failed_login(sender, credentials, request=None, **kwargs):
    username = credentials.get("username")
    if getattr(request, "login_refused", None):
        return  # refused before its password was checked: it does not stretch the lock
    throttle.count_login_failure(request, username)


@receiver(user_logged_in)
def forget_failures(sender, request, user, **kwargs):
    throttle.forget_login_failures(request, user.get_username())


@receiver(user_logged_in)
def restore_language(sender, request, user, **kwargs):
    if request is not None:
        language.restore(request, user)
