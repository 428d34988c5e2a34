from django.apps import AppConfig


class TeachingConfig(AppConfig):
    name = "teaching"
    verbose_name = "Classes, assignments and reports"

    def ready(self):
        from teaching import signals  # noqa: F401  (a sign-up from a join link joins the class)
