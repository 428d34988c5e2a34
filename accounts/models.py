from django.conf import settings
from django.db import models


class RateCount(models.Model):
    """One rate limit's count for one client (an address, an account, both), in the window that
    ends at `window_ends`. Kept in the database, not the cache: a limit must keep holding while
    Redis is down and after it comes back empty (accounts/throttle.py)."""

    key = models.CharField(max_length=160, primary_key=True)
    hits = models.PositiveIntegerField()
    window_ends = models.DateTimeField(db_index=True)

    def __str__(self):
        return f"{self.key}: {self.hits} until {self.window_ends:%H:%M:%S}"


class Profile(models.Model):
    """What a learner chose for themselves that outlives a session: the language they read in."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile")
    language = models.CharField(max_length=8, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE)

    def __str__(self) -> str:
        return f"{self.user} ({self.language})"


class UsernameSkeleton(models.Model):
    """What a user's name looks like (accounts/lookalikes.py): kept whenever a username is saved,
    so that refusing a look-alike of any existing name is one query on these two indexes."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, primary_key=True, related_name="+")
    # Its skeleton case folded first, and mapped as written (a capital I is an l).
    key = models.CharField(max_length=64, db_index=True)
    key_as_written = models.CharField(max_length=64, db_index=True)

    def __str__(self) -> str:
        return f"{self.user_id}: {self.key[:12]}"
