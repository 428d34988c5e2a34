from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied

from accounts.throttle import login_locked_out


class ThrottledModelBackend(ModelBackend):
    """Django's username/password backend that refuses to check a password while the account
    or the address is locked out. Every log-in form (ours and the admin's) goes through it."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None:
            username = kwargs.get(self.get_user_model().USERNAME_FIELD)
        if login_locked_out(request, username):
            # PermissionDenied stops authenticate() at once and sends user_login_failed.
            raise PermissionDenied
        return super().authenticate(request, username=username, password=password, **kwargs)
