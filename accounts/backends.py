from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied
from django.db import connection

from accounts.roles import TEACHERS_GROUP, remember_teacher_group
from accounts.throttle import count_password_check, login_refused
from lib.sql import Columns

User = get_user_model()
USER_COLUMNS = Columns(User, "account")
MEMBERSHIP = User.groups.through._meta
# The user, and whether they are in the Teachers group: every page's navigation asks, and a
# second statement per page cost more than the EXISTS does on every request.
USER_BY_ID_SQL = f"""
    SELECT {USER_COLUMNS.sql}, EXISTS (
        SELECT 1 FROM "{MEMBERSHIP.db_table}" membership
        JOIN "{Group._meta.db_table}" team ON team."id" = membership."group_id"
        WHERE membership."user_id" = account."{User._meta.pk.column}" AND team."name" = %s
    )
    FROM "{User._meta.db_table}" account WHERE account."{User._meta.pk.column}" = %s
"""


class ThrottledModelBackend(ModelBackend):
    """Django's username/password backend that refuses to check a password while a log-in
    limit holds (accounts/throttle.py), and counts every check it makes, successful or not: a
    check is the costly part of a log-in. Every log-in form (ours and the admin's) goes
    through it."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None:
            username = kwargs.get(self.get_user_model().USERNAME_FIELD)
        refused = login_refused(request, username)
        if refused:
            if request is not None:
                request.login_refused = refused  # for the form's message and the failure count
            # PermissionDenied stops authenticate() at once and sends user_login_failed.
            raise PermissionDenied
        count_password_check(request, username)
        return super().authenticate(request, username=username, password=password, **kwargs)

    def get_user(self, user_id):
        """The logged-in user, read on every request, as ModelBackend reads it (None when gone or
        inactive), in SQL written by hand: the ORM spent more compiling this one-row read than
        on the rest of Django's per-request work (lib/sql.py, docs/benchmarks.md)."""
        with connection.cursor() as cursor:
            cursor.execute(USER_BY_ID_SQL, [TEACHERS_GROUP, user_id])
            row, db = cursor.fetchone(), cursor.db
        if row is None:
            return None
        *user_values, in_teachers_group = row
        user = USER_COLUMNS.instance(user_values, db)
        remember_teacher_group(user, bool(in_teachers_group))
        return user if self.user_can_authenticate(user) else None
