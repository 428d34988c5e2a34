"""Rate limits on logging in, signing up and password-reset emails, counted in Django's cache.

With REDIS_URL set the cache is Redis, shared by every app server, so a limit holds however
requests are spread across servers. Counts are per fixed window that starts at the first
failure: five wrong passwords for one account lock that account for 15 minutes, and many more
from one address (a coaching centre shares one) lock the address.
"""

import hashlib
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest


@dataclass(frozen=True)
class Limit:
    name: str
    setting: str  # how many attempts a window allows, read from settings when checked
    window_seconds: int

    @property
    def attempts(self) -> int:
        return getattr(settings, self.setting)

    @property
    def minutes(self) -> int:
        return max(1, self.window_seconds // 60)


LOGIN_PER_ACCOUNT = Limit("login-account", "LOGIN_FAILURES_PER_ACCOUNT", 15 * 60)
LOGIN_PER_ADDRESS = Limit("login-address", "LOGIN_FAILURES_PER_ADDRESS", 15 * 60)
SIGNUP_PER_ADDRESS = Limit("signup-address", "SIGNUPS_PER_ADDRESS_PER_HOUR", 60 * 60)
RESET_PER_EMAIL = Limit("reset-email", "PASSWORD_RESETS_PER_EMAIL_PER_HOUR", 60 * 60)
RESET_PER_ADDRESS = Limit("reset-address", "PASSWORD_RESETS_PER_ADDRESS_PER_HOUR", 60 * 60)


def _key(limit: Limit, value: str) -> str:
    digest = hashlib.sha256(value.strip().casefold().encode()).hexdigest()[:32]
    return f"throttle:{limit.name}:{digest}"


def is_exceeded(limit: Limit, value: str | None) -> bool:
    return bool(value) and cache.get(_key(limit, value), 0) >= limit.attempts


def count(limit: Limit, value: str | None) -> None:
    if not value:
        return
    key = _key(limit, value)
    # add() starts the window only if none is running. incr() is atomic in Redis; the file
    # cache's (no Redis) reads then writes, so two processes counting at the same instant may
    # count once: the limit then lets an attempt more through, never locks anyone out early.
    cache.add(key, 0, timeout=limit.window_seconds)
    try:
        cache.incr(key)
    except ValueError:  # the window ended between add() and incr()
        cache.set(key, 1, timeout=limit.window_seconds)


def clear(limit: Limit, value: str | None) -> None:
    if value:
        cache.delete(_key(limit, value))


def client_address(request: HttpRequest | None) -> str | None:
    """The learner's address. Behind TRUSTED_PROXY_COUNT proxies, it is that many entries from
    the right of X-Forwarded-For (entries further left are whatever the client claimed)."""
    if request is None:
        return None
    proxies = settings.TRUSTED_PROXY_COUNT
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if proxies and forwarded:
        hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
        if len(hops) >= proxies:
            return hops[-proxies]
    return request.META.get("REMOTE_ADDR")


def login_locked_out(request: HttpRequest | None, username: str | None) -> Limit | None:
    """The limit that stops this log-in, if any."""
    if is_exceeded(LOGIN_PER_ACCOUNT, username):
        return LOGIN_PER_ACCOUNT
    if is_exceeded(LOGIN_PER_ADDRESS, client_address(request)):
        return LOGIN_PER_ADDRESS
    return None


def lockout_message(limit: Limit) -> str:
    if limit is LOGIN_PER_ACCOUNT:
        # Resetting the password lifts this lock (accounts.views.PasswordResetConfirmView).
        return f"Too many failed log-ins for this account. Wait {limit.minutes} minutes, or reset your password."
    return f"Too many failed log-ins for your network. Wait {limit.minutes} minutes."
