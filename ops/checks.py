"""System checks for production settings that Django's own `check --deploy` cannot know about."""

from django.conf import settings
from django.core.checks import Tags, Warning, register


@register(Tags.security, deploy=True)
def proxy_hides_client_addresses(app_configs, **kwargs):
    """A proxy that says HTTPS in a header is in front of gunicorn, so the peer of every request
    is that proxy. With TRUSTED_PROXY_COUNT at 0 the log-in, sign-up and password-reset limits
    per address count the whole site as one address: a few dozen mistyped passwords when the
    daily quiz opens would lock every learner out."""
    if settings.SECURE_PROXY_SSL_HEADER and not settings.TRUSTED_PROXY_COUNT:
        return [
            Warning(
                "SECURE_PROXY_SSL_HEADER says a proxy is in front of the app, but "
                "TRUSTED_PROXY_COUNT is 0: every request's address is the proxy's, and the "
                "per-address log-in, sign-up and reset limits count all learners as one.",
                hint="Set TRUSTED_PROXY_COUNT to the number of proxies that append to "
                "X-Forwarded-For (1 for a load balancer alone; see .env.example).",
                id="ops.W001",
            )
        ]
    return []
