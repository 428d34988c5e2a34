from django.apps import AppConfig


class LearningConfig(AppConfig):
    name = "learning"
    verbose_name = "Learning loop"

    def ready(self) -> None:
        from learning import signals  # noqa: F401  (a regrade works progress totals out again)
