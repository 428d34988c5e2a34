from django.conf import settings
from django.db import models


class Profile(models.Model):
    """What a learner chose for themselves that outlives a session: the language they read in."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile")
    language = models.CharField(max_length=8, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE)

    def __str__(self) -> str:
        return f"{self.user} ({self.language})"
