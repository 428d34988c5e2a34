from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.db.models.signals import post_save
from django.dispatch import Signal, receiver

from accounts import language, lookalikes, throttle
from accounts.models import UsernameSkeleton

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


@receiver(post_save, sender=get_user_model())
def keep_username_skeleton(sender, instance, update_fields=None, **kwargs):
    """Whenever a username is saved (sign-up, admin, a command, a fixture), its skeleton is
    stored beside it: what the look-alike check reads. A save of other fields (the log-in's
    last_login) leaves it."""
    if update_fields is not None and "username" not in update_fields:
        return
    key, as_written = lookalikes.skeleton_keys(instance.get_username())
    UsernameSkeleton.objects.update_or_create(user_id=instance.pk, defaults={"key": key, "key_as_written": as_written})
