"""The daily habit's records: the name a learner chose to show on leaderboards, and the
problems learners report with questions."""

from django.conf import settings
from django.db import models


class Profile(models.Model):
    """What a learner chose to show others. Without a display name a learner appears on
    leaderboards as "Aspirant", with nothing that identifies them."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="daily_profile")
    display_name = models.CharField(
        max_length=40,
        blank=True,
        help_text="Shown on quiz leaderboards. Leave it empty to appear as “Aspirant”.",
    )

    def __str__(self) -> str:
        return self.display_name or f"Profile {self.pk}"
