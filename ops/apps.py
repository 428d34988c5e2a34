from django.apps import AppConfig


class OpsConfig(AppConfig):
    """Running Pariksha: health checks, demo data at scale, the benchmark's query counter."""

    name = "ops"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from ops import checks  # noqa: F401  (registers them)
