from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DailyConfig(AppConfig):
    name = "daily"
    verbose_name = _("The daily quiz habit")

    def ready(self) -> None:
        from daily import signals  # noqa: F401  (connects the receivers)
