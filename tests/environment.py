"""The environment the test suite runs in, set before pytest-django imports the settings.

Loaded with `-p tests.environment` (pyproject's addopts): a conftest would be too late, since
pytest-django reads the settings before any conftest is imported. Each is a default only; a
value from the caller's environment wins (CI's DATABASE_URL, REDIS_URL).
"""

import os

# DEBUG is off in tests, as in production, so the settings insist on a secret key.
os.environ.setdefault("SECRET_KEY", "tests-only-secret-key-not-for-any-server")
# The test client and the servers tests start speak plain HTTP on 127.0.0.1.
os.environ.setdefault("HTTPS", "0")
# Static files are served from static/ without collectstatic.
os.environ.setdefault("STATIC_COLLECTED", "0")
