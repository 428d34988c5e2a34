from django.apps import AppConfig


class DailyConfig(AppConfig):
    name = "daily"
    verbose_name = "The daily quiz habit"

    def ready(self) -> None:
        from daily import signals  # noqa: F401  (connects the receivers)
