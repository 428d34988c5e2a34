"""Pariksha settings: one module, read from the environment.

`make run` sets DEBUG=1 and uses the embedded SQLite database; production sets DATABASE_URL,
REDIS_URL, SECRET_KEY and ALLOWED_HOSTS (see .env.example).
"""

from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from config.env import (
    env_bool,
    env_float,
    env_header,
    env_hosts,
    env_int,
    env_networks,
    env_origins,
    env_str,
    env_url,
)

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("DEBUG", False)
# Signs sessions and CSRF tokens, so every app server must share it. Required whenever DEBUG is
# off: a server must never start with the key that is public in this repository.
LOCAL_SECRET_KEY = "django-insecure-local-only-never-use-in-production"
SECRET_KEY = env_str("SECRET_KEY") or (LOCAL_SECRET_KEY if DEBUG else "")
if not SECRET_KEY:
    raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off (see .env.example).")
ALLOWED_HOSTS = env_hosts("ALLOWED_HOSTS", ["127.0.0.1", "localhost"])
if not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS must name at least one host (see .env.example).")
CSRF_TRUSTED_ORIGINS = env_origins("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    # Before the admin, so its translation tabs and fields are registered first.
    "modeltranslation",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    "template_partials",
    "import_export",
    "questions",
    "quiz",
    "accounts",
    "teaching",
    "learning",
    "curation",
    "daily",
    "ops",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Before any middleware that reads the session or the database: the time the request
    # reached Django, or the time a trusted proxy stamped (answers are judged by it).
    "config.middleware.ArrivalTimeMiddleware",
    # Before CommonMiddleware, which refuses a Host that ALLOWED_HOSTS does not list: a load
    # balancer's probe names the server's address.
    "ops.middleware.HealthProbeMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # The request's language (accounts/language.py): after the session, before anything renders.
    "accounts.language.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "config.middleware.PrivateToTheLearnerMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # The settings' Content-Security-Policy, built once (django-csp builds it per response).
    "config.middleware.ContentSecurityPolicyMiddleware",
    "config.middleware.DisplayTimeZoneMiddleware",
    "config.middleware.PermissionsPolicyMiddleware",
    # Innermost: their 400s still carry every header the middleware above adds, and come
    # before any view and before the CSRF check (which reads the form).
    "config.middleware.RefuseNulInQueryStringMiddleware",
    "config.middleware.RefuseFormsNotInUtf8Middleware",
]
# The load benchmark's servers only: count each request's SQL queries into X-Query-Count.
# Outermost, so the session and user look-ups are counted too.
BENCH_QUERY_COUNT = env_bool("BENCH_QUERY_COUNT", False)
if BENCH_QUERY_COUNT:
    MIDDLEWARE.insert(0, "ops.middleware.QueryCountMiddleware")

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
            "builtins": ["template_partials.templatetags.partials", "quiz.templatetags.quiz_format"],
        },
    },
]

# SQLite is the embedded default. WAL lets readers run beside the one writer, IMMEDIATE
# transactions take the write lock up front (no "database is locked" on upgrade from a read
# lock), and the busy timeout makes a second writer wait instead of failing.
SQLITE_OPTIONS = {
    "transaction_mode": "IMMEDIATE",
    "timeout": 5,
    "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
}
DATABASE_URL = env_url(
    "DATABASE_URL",
    ("sqlite", "postgres", "postgresql"),
    default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
)
# Each gunicorn worker keeps its connection between requests (no connect per request); the
# health check replaces one the server closed (a PostgreSQL restart) before a request uses it.
DATABASES = {
    "default": dj_database_url.parse(
        DATABASE_URL,
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 600, minimum=0),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = SQLITE_OPTIONS
else:
    # A database host that drops packets must fail a request (and /healthz, which the load
    # balancer then reads as "take this server out") in seconds, not hang it until gunicorn
    # kills the worker at 30 s.
    DATABASES["default"]["OPTIONS"] = {"connect_timeout": env_int("DATABASE_CONNECT_TIMEOUT", 5, minimum=1)}
    # Prepared statements: each connection plans a statement it has run five times once, then
    # reuses the plan. Planning the answer path's seven-table read took PostgreSQL 0.45-0.8 ms
    # a time against 0.1 ms to run it; preparing took the benchmark from 264 to 370 answers/s
    # (docs/benchmarks.md). Off (DATABASE_PREPARED_STATEMENTS=0) behind a pooler in transaction
    # mode that cannot carry prepared statements from one transaction's server to the next.
    if env_bool("DATABASE_PREPARED_STATEMENTS", True):
        DATABASES["default"]["OPTIONS"] |= {"server_side_binding": True, "prepare_threshold": 5}

# The cache holds sessions (read on every request) and the log-in and sign-up counts, so it
# must be one cache for every process of the site: with REDIS_URL it is Redis, shared by every
# app server; without it, a folder of files shared by every process on this machine (a
# per-process memory cache would let a worker keep a session another worker logged out).
# Sessions are kept in the cache and written through to the database ("cached_db"): requests
# read them without a query, and losing the cache (Redis keeps nothing on disk) logs nobody out
# in the middle of a quiz. Short socket timeouts make a dead Redis fail a request fast instead
# of hanging it.
REDIS_URL = env_url("REDIS_URL", ("redis", "rediss", "unix"))
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "pariksha",
            # Redis going away degrades the site, never stops it (issue 15, item 5): a cache
            # read that fails is a miss and a write is dropped, so sessions are read from the
            # database (cached_db) and the rate limits are in the database anyway. /healthz
            # pings Redis itself and answers 503 naming it.
            "OPTIONS": {"SOCKET_CONNECT_TIMEOUT": 1, "SOCKET_TIMEOUT": 1, "IGNORE_EXCEPTIONS": True},
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": env_str("CACHE_DIR", str(BASE_DIR / "var" / "cache")),
            # Past this many files a write deletes a third of them; a session dropped that way
            # is read back from the database.
            "OPTIONS": {"MAX_ENTRIES": env_int("CACHE_MAX_ENTRIES", 10_000, minimum=100)},
        }
    }
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
# An admin import's preview keeps the uploaded file until it is confirmed. In the cache (Redis
# with REDIS_URL), not the server's own temporary folder, so the confirm may land on any app
# server. Uploads are at most 5 MB (questions/rules.py), well within a Redis value.
IMPORT_EXPORT_TMP_STORAGE_CLASS = "import_export.tmp_storages.CacheStorage"

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = ["accounts.backends.ThrottledModelBackend"]
# Rate limits (accounts/throttle.py), counted in the database so that they hold across app
# servers and through a Redis outage. Lock-outs are per account *and* address; failures from
# all addresses together only slow an account down, past a daily bound.
LOGIN_FAILURES_PER_ACCOUNT_AND_ADDRESS = env_int("LOGIN_FAILURES_PER_ACCOUNT_AND_ADDRESS", 5, minimum=1)
LOGIN_FAILURES_PER_ACCOUNT_PER_DAY = env_int("LOGIN_FAILURES_PER_ACCOUNT_PER_DAY", 50, minimum=1)
LOGIN_CHECKS_PER_MINUTE_WHEN_SLOWED = env_int("LOGIN_CHECKS_PER_MINUTE_WHEN_SLOWED", 1, minimum=1)
# Every password check costs a worker ~0.25 s of hashing, successful log-ins too: one client
# must not occupy the workers (issue 15, item 1). A coaching centre's learners share an
# address, so that limit is a rate well above a class logging in at once.
LOGIN_CHECKS_PER_ACCOUNT_PER_MINUTE = env_int("LOGIN_CHECKS_PER_ACCOUNT_PER_MINUTE", 10, minimum=1)
LOGIN_CHECKS_PER_ADDRESS_PER_MINUTE = env_int("LOGIN_CHECKS_PER_ADDRESS_PER_MINUTE", 60, minimum=1)
SIGNUPS_PER_ADDRESS_PER_HOUR = env_int("SIGNUPS_PER_ADDRESS_PER_HOUR", 20, minimum=1)
# Password-reset emails: a few an hour to one inbox, so no one's is flooded through us.
PASSWORD_RESETS_PER_EMAIL_PER_HOUR = env_int("PASSWORD_RESETS_PER_EMAIL_PER_HOUR", 3, minimum=1)
PASSWORD_RESETS_PER_ADDRESS_PER_HOUR = env_int("PASSWORD_RESETS_PER_ADDRESS_PER_HOUR", 20, minimum=1)
# Class codes tried at /classes/join/: a learner types a few; guessing takes thousands.
JOIN_ATTEMPTS_PER_USER_PER_HOUR = env_int("JOIN_ATTEMPTS_PER_USER_PER_HOUR", 20, minimum=1)
JOIN_ATTEMPTS_PER_ADDRESS_PER_HOUR = env_int("JOIN_ATTEMPTS_PER_ADDRESS_PER_HOUR", 200, minimum=1)
# How many proxies in front of the app append to X-Forwarded-For (0: use REMOTE_ADDR).
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0, minimum=0)

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "quiz:list"
# Where a teacher lands after logging in, unless `next` names a page (accounts.views.LoginView).
TEACHER_LOGIN_REDIRECT_URL = "teaching:index"
LOGOUT_REDIRECT_URL = "login"

# English, and Hindi as the UPSC Hindi-medium paper writes it. Question, option, passage, topic
# and quiz texts have a column per language (django-modeltranslation, registered in each app's
# translation.py); a text without Hindi falls back to English, and the page says so.
LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("hi", "हिन्दी")]
USE_I18N = True
# The interface's own words in Hindi: locale/hi/LC_MESSAGES/django.po, compiled by `make`.
LOCALE_PATHS = [BASE_DIR / "locale"]
MODELTRANSLATION_DEFAULT_LANGUAGE = "en"
MODELTRANSLATION_FALLBACK_LANGUAGES = ("en",)
# A new source's slug is made from its English title, whatever language the editor reads.
MODELTRANSLATION_PREPOPULATE_LANGUAGE = "en"
# Admin shows each translated text as a tab per language (TabbedTranslationAdmin), driven by our
# own small tabs script in place of jQuery UI, which modeltranslation would fetch from a CDN
# (static/admin/js/translation_tabs.js says why).
JQUERY_UI_URL = "admin/js/translation_tabs.js"
USE_TZ = True
TIME_ZONE = "UTC"
# Learners read times in India Standard Time; the database keeps UTC.
DISPLAY_TIME_ZONE = "Asia/Kolkata"

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = env_str("STATIC_ROOT", str(BASE_DIR / "staticfiles"))
# Served by whitenoise from what collectstatic wrote (make serve runs it): hashed names, so
# browsers may cache them for good, and gzip copies. Without collectstatic (make run, the
# tests), files are served straight from static/ and the apps.
STATIC_COLLECTED = env_bool("STATIC_COLLECTED", not DEBUG)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if STATIC_COLLECTED
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = WHITENOISE_AUTOREFRESH = not STATIC_COLLECTED

EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Pariksha <no-reply@pariksha.local>")

# Production is reached over HTTPS only, through a proxy that terminates TLS and says so in a
# header (SECURE_PROXY_SSL_HEADER, e.g. "X-Forwarded-Proto: https"). HTTPS=0 is for plain-HTTP
# runs on 127.0.0.1 only: the tests, the benchmark, the two-server test.
HTTPS = env_bool("HTTPS", not DEBUG)
SECURE_PROXY_SSL_HEADER = env_header("SECURE_PROXY_SSL_HEADER")
if HTTPS:
    SECURE_SSL_REDIRECT = True
    # A load balancer's probe may come over plain HTTP.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^livez$"]
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 365 * 24 * 3600, minimum=0)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = True
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# No inline script or style anywhere (django-csp): scripts and stylesheets come from our own
# static files, and htmx's indicator styles are turned off in base.html's htmx-config.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [NONE],
        "object-src": [NONE],
    }
}
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"

# Errors go to stderr, which gunicorn passes on; with DEBUG off Django would otherwise only
# mail them to ADMINS, and there are none.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "filters": {"forbidden_in_one_line": {"()": "lib.log_filters.ForbiddenInOneLine"}},
    "loggers": {"django.request": {"filters": ["forbidden_in_one_line"]}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "WARNING").upper()},
}

# How late an answer may arrive after its question's deadline and still count: network delay
# between the learner's click and our server. Never more than 2 seconds.
# Proxies (addresses or networks) whose X-Request-Start stamp ("t=" and the time the request
# reached the proxy) is believed: an answer is judged by the time it arrived, not by when a busy
# server got to it. From any other peer the header is ignored (a learner could claim any time).
REQUEST_START_PROXIES = env_networks("REQUEST_START_PROXIES")
# A stamp older than this is taken as this old: a proxy's clock gone wrong cannot buy time.
REQUEST_START_MAX_AGE_SECONDS = 30
ANSWER_GRACE_SECONDS = env_float("ANSWER_GRACE_SECONDS", 1.0, minimum=0, maximum=2)
