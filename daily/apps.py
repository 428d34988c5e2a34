from django.apps import AppConfig


class DailyConfig(AppConfig):
    name = "daily"
    verbose_name = "The daily quiz habit"
