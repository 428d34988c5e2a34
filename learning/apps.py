from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LearningConfig(AppConfig):
    name = "learning"
    verbose_name = _("Learning loop")

    def ready(self) -> None:
        from learning import signals  # noqa: F401  (a regrade works progress totals out again)
