"""Rate limits on logging in, signing up, password-reset emails, join codes and the old-password
check, counted in the database.

In the database, not the cache: a limit must keep holding while Redis is down and after it
comes back empty (issue 15, item 5), and every app server shares the database anyway. A count
is one upserted row per limit and client, so the count is atomic on PostgreSQL and SQLite
alike. Counts are per fixed window that starts at the first hit.

The log-in limits (`login_refused`):
- lock-outs are per account *and* address: five wrong passwords for one account from one
  address stop that account at that address for 15 minutes. Failures elsewhere, or for other
  accounts at a shared address (a coaching centre, campus Wi-Fi), never refuse a learner who
  types the right password at their own address;
- past a bound of failures per account per day, from all addresses together, the account is
  slowed to one password check a minute: an attacker with many addresses gets a bounded number
  of guesses, and the owner still gets in (after a wait at worst);
- every password check, successful ones too, costs a worker about a quarter of a second of
  hashing: checks are limited per account and per address per minute, so one client cannot
  occupy the workers (item 1).
"""

import hashlib
import random
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.utils.translation import gettext, gettext_lazy as _, ngettext
from django.db import connection
from django.http import HttpRequest
from django.utils import timezone

from accounts.models import RateCount


@dataclass(frozen=True)
class Limit:
    name: str
    setting: str  # how many hits a window allows, read from settings when checked
    window_seconds: int
    message: str = ""  # what a refused person reads; {wait} is the window, in words

    @property
    def attempts(self) -> int:
        return getattr(settings, self.setting)

    @property
    def wait(self) -> str:
        minutes = self.window_seconds // 60
        if minutes >= 60:
            hours = minutes // 60
            return gettext("an hour") if hours == 1 else ngettext("%(n)d hour", "%(n)d hours", hours) % {"n": hours}
        return gettext("a minute") if minutes <= 1 else ngettext("%(n)d minute", "%(n)d minutes", minutes) % {"n": minutes}

    def refusal(self) -> str:
        return str(self.message).format(wait=self.wait)


LOGIN_CHECKS_PER_ADDRESS = Limit(
    "login-checks-address", "LOGIN_CHECKS_PER_ADDRESS_PER_MINUTE", 60,
    _("Too many log-ins from your network just now. Try again in {wait}."),
)  # fmt: skip
LOGIN_CHECKS_PER_ACCOUNT = Limit(
    "login-checks-account", "LOGIN_CHECKS_PER_ACCOUNT_PER_MINUTE", 60,
    _("Too many log-ins to this account just now. Try again in {wait}."),
)  # fmt: skip
LOGIN_FAILURES_HERE = Limit(  # per account and address
    "login-failures", "LOGIN_FAILURES_PER_ACCOUNT_AND_ADDRESS", 15 * 60,
    # Resetting the password lifts this lock (accounts.views.PasswordResetConfirmView).
    _("Too many failed log-ins for this account. Wait {wait}, or reset your password."),
)  # fmt: skip
LOGIN_FAILURES_TODAY = Limit("login-failures-day", "LOGIN_FAILURES_PER_ACCOUNT_PER_DAY", 24 * 3600)
LOGIN_SLOWED = Limit(  # once an account is past its failures for the day
    "login-slowed", "LOGIN_CHECKS_PER_MINUTE_WHEN_SLOWED", 60,
    _(
        "This account has had many failed log-ins today, so it takes one try at a time. "
        "Try again in {wait}."
    ),
)  # fmt: skip
SIGNUP_PER_ADDRESS = Limit(
    "signup-address", "SIGNUPS_PER_ADDRESS_PER_HOUR", 60 * 60,
    _("Too many sign-ups from your network. Try again in {wait}."),
)  # fmt: skip
RESET_PER_EMAIL = Limit(
    "reset-email", "PASSWORD_RESETS_PER_EMAIL_PER_HOUR", 60 * 60,
    _("Too many reset links were asked for this email address. Try again in {wait}."),
)  # fmt: skip
RESET_PER_ADDRESS = Limit(
    "reset-address", "PASSWORD_RESETS_PER_ADDRESS_PER_HOUR", 60 * 60,
    _("Too many reset links were asked for your network. Try again in {wait}."),
)  # fmt: skip
JOIN_PER_USER = Limit(
    "join-user", "JOIN_ATTEMPTS_PER_USER_PER_HOUR", 60 * 60,
    _("Too many class codes tried from this account. Try again in {wait}."),
)  # fmt: skip
JOIN_PER_ADDRESS = Limit(
    "join-address", "JOIN_ATTEMPTS_PER_ADDRESS_PER_HOUR", 60 * 60,
    _("Too many class codes tried from your network. Try again in {wait}."),
)  # fmt: skip
OLD_PASSWORD_FAILURES = Limit(
    "old-password", "LOGIN_FAILURES_PER_ACCOUNT_AND_ADDRESS", 15 * 60,
    _("Too many wrong current passwords. Wait {wait} before trying again."),
)  # fmt: skip

# A limit and the client it counts (an address, a username, both joined), as checked together.
Counted = tuple[Limit, str | None]

UPSERT_SQL = f"""
    INSERT INTO "{RateCount._meta.db_table}" ("key", "hits", "window_ends") VALUES (%s, 1, %s)
    ON CONFLICT ("key") DO UPDATE SET
        "hits" = CASE WHEN "{RateCount._meta.db_table}"."window_ends" <= %s THEN 1
                      ELSE "{RateCount._meta.db_table}"."hits" + 1 END,
        "window_ends" = CASE WHEN "{RateCount._meta.db_table}"."window_ends" <= %s
                             THEN excluded."window_ends"
                             ELSE "{RateCount._meta.db_table}"."window_ends" END
"""
# A count's row outlives its window (the next hit starts a new one in it); one count in this
# many also deletes the rows whose window ended a day ago, so guessed names do not pile up.
PURGE_ONE_IN = 200


def _key(limit: Limit, value: str) -> str:
    """The row of this limit and client; a client of two parts (account and address, joined by
    a line break) keeps them apart, so that all of an account's rows can be found."""
    digests = (hashlib.sha256(part.strip().casefold().encode()).hexdigest()[:32] for part in value.split("\n"))
    return f"throttle:{limit.name}:" + ":".join(digests)


def _db_time(moment):
    return connection.ops.adapt_datetimefield_value(moment)


def first_exceeded(counted: list[Counted]) -> Limit | None:
    """The first of these limits its client has used up, read in one statement."""
    keys = {_key(limit, value): limit for limit, value in counted if value}
    if not keys:
        return None
    hits = dict(
        RateCount.objects.filter(key__in=keys, window_ends__gt=timezone.now()).values_list("key", "hits")
    )
    for key, limit in keys.items():
        if hits.get(key, 0) >= limit.attempts:
            return limit
    return None


def is_exceeded(limit: Limit, value: str | None) -> bool:
    return first_exceeded([(limit, value)]) is limit


def count(limit: Limit, value: str | None) -> None:
    """One more hit for this client, in one atomic statement (a new window if the last ended)."""
    if not value:
        return
    now = timezone.now()
    ends = now + timedelta(seconds=limit.window_seconds)
    with connection.cursor() as cursor:
        cursor.execute(UPSERT_SQL, [_key(limit, value), _db_time(ends), _db_time(now), _db_time(now)])
    if random.randrange(PURGE_ONE_IN) == 0:
        RateCount.objects.filter(window_ends__lt=now - timedelta(days=1)).delete()


def clear(limit: Limit, value: str | None) -> None:
    if value:
        RateCount.objects.filter(key=_key(limit, value)).delete()


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


def account_here(request: HttpRequest | None, username: str | None) -> str | None:
    """The client a lock-out counts: this account from this address."""
    address = client_address(request)
    return f"{username}\n{address}" if username and address else None


# --- logging in -----------------------------------------------------------------------------


def login_refused(request: HttpRequest | None, username: str | None) -> Limit | None:
    """The limit that refuses this log-in before its password is checked, if any."""
    counted = [
        (LOGIN_CHECKS_PER_ADDRESS, client_address(request)),
        (LOGIN_CHECKS_PER_ACCOUNT, username),
        (LOGIN_FAILURES_HERE, account_here(request, username)),
        (LOGIN_SLOWED, username),
    ]
    refused = first_exceeded(counted)
    if refused is LOGIN_SLOWED and not is_exceeded(LOGIN_FAILURES_TODAY, username):
        return None  # a slowing window left over from yesterday's bound
    return refused


def count_password_check(request: HttpRequest | None, username: str | None) -> None:
    """A password is about to be hashed for this log-in: count it, whatever its outcome."""
    count(LOGIN_CHECKS_PER_ADDRESS, client_address(request))
    count(LOGIN_CHECKS_PER_ACCOUNT, username)
    if is_exceeded(LOGIN_FAILURES_TODAY, username):
        count(LOGIN_SLOWED, username)


def count_login_failure(request: HttpRequest | None, username: str | None) -> None:
    count(LOGIN_FAILURES_HERE, account_here(request, username))
    count(LOGIN_FAILURES_TODAY, username)


def forget_login_failures(request: HttpRequest | None, username: str) -> None:
    """The owner got in from here."""
    clear(LOGIN_FAILURES_HERE, account_here(request, username))


def forget_account_failures(username: str) -> None:
    """The owner proved by email that the account is theirs and set a new password: the
    guesses counted were against the old one, from whatever address."""
    RateCount.objects.filter(key__startswith=_key(LOGIN_FAILURES_HERE, username) + ":").delete()
    clear(LOGIN_FAILURES_TODAY, username)
