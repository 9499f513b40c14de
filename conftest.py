"""Environment for the test run, set before Django reads its settings."""

import os

os.environ.setdefault("DJANGO_SECRET_KEY", "test-only-secret-key-not-for-production")
# Playwright runs an event loop in the test thread; Django's live_server and
# fixtures use the ORM from that thread.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
