"""Small typed readers of environment variables.

Each one fails loudly, naming the variable, when a value cannot be read, so a typo in a
deployment stops the server at start-up instead of quietly running with a default.
"""

import os

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(
        f"{name} must be one of 1/0, true/false, yes/no, on/off; got {raw!r}"
    )


def env_int(name: str, default: int, *, minimum: int | None = None) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number; got {raw!r}") from None
    if minimum is not None and value < minimum:
        raise ImproperlyConfigured(f"{name} must be at least {minimum}; got {raw!r}")
    return value


def env_float(
    name: str, default: float, *, minimum: float | None = None, maximum: float | None = None
) -> float:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = float(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a number; got {raw!r}") from None
    if (minimum is not None and value < minimum) or (maximum is not None and value > maximum):
        raise ImproperlyConfigured(f"{name} must be between {minimum} and {maximum}; got {raw!r}")
    return value


def env_list(name: str, default: list[str] | None = None) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return list(default or [])
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_url(name: str, schemes: tuple[str, ...], default: str = "") -> str:
    """A URL whose scheme is one of `schemes`, or `default` when unset or empty."""
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    scheme, sep, rest = raw.partition("://")
    if not sep or scheme not in schemes or not rest:
        raise ImproperlyConfigured(
            f"{name} must be a URL starting with {' or '.join(f'{s}://' for s in schemes)}; "
            f"got {raw!r}"
        )
    return raw


def env_header(name: str) -> tuple[str, str] | None:
    """A request header and the value that marks it, written "X-Forwarded-Proto: https", in the
    form Django's SECURE_PROXY_SSL_HEADER wants: ("HTTP_X_FORWARDED_PROTO", "https")."""
    raw = os.environ.get(name, "").strip()
    if not raw:
        return None
    header, sep, value = (part.strip() for part in raw.partition(":"))
    if not sep or not header or not value or not all(c.isalnum() or c == "-" for c in header):
        raise ImproperlyConfigured(f'{name} must look like "X-Forwarded-Proto: https"; got {raw!r}')
    return "HTTP_" + header.upper().replace("-", "_"), value


def env_hosts(name: str, default: list[str] | None = None) -> list[str]:
    """Host names or addresses, comma-separated, as ALLOWED_HOSTS wants them: "pariksha.example",
    ".pariksha.example" (and its subdomains), "10.0.3.17", "[::1]". Django would take a URL or
    a port as well, match no request with it, and answer every one with a 400."""
    hosts = env_list(name, default)
    for host in hosts:
        ipv6 = host.startswith("[") and host.endswith("]")
        if "/" in host or " " in host or (":" in host and not ipv6):
            raise ImproperlyConfigured(
                f"{name} lists host names (pariksha.example, .pariksha.example, 10.0.3.17) "
                f"without a scheme, path or port; got {host!r}"
            )
    return hosts


def env_origins(name: str) -> list[str]:
    """Origins, comma-separated, as CSRF_TRUSTED_ORIGINS wants them: scheme and host, nothing
    after. Without its scheme an origin matches no request (Django says so only in `check`,
    which gunicorn never runs)."""
    origins = env_list(name)
    for origin in origins:
        scheme, sep, host = origin.partition("://")
        if scheme not in ("http", "https") or not host or "/" in host or " " in host:
            raise ImproperlyConfigured(
                f'{name} lists origins like "https://pariksha.example"; got {origin!r}'
            )
    return origins


def env_networks(name: str) -> list:
    """Addresses or networks, comma-separated: "10.0.3.17", "10.0.0.0/8", "::1"."""
    import ipaddress

    networks = []
    for entry in env_list(name):
        try:
            networks.append(ipaddress.ip_network(entry, strict=False))
        except ValueError:
            raise ImproperlyConfigured(f'{name} lists addresses or networks like "10.0.3.17" or "10.0.0.0/8"; got {entry!r}') from None
    return networks
