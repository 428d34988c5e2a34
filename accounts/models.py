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
