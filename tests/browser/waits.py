"""Waiting for the flags our scripts set on <html> (data-map-ready="true"…).

Through a CSS selector, not ``page.wait_for_function("…")``: a string
predicate is run with eval(), which the Content-Security-Policy forbids.
"""

import re


def wait_for_flag(page, flag: str, value: str = "true", timeout: float | None = None):
    """Wait until ``document.documentElement.dataset[flag] == value`` (camelCase flag)."""
    attribute = "data-" + re.sub(r"[A-Z]", lambda m: "-" + m.group().lower(), flag)
    selector = f"html[{attribute}='{value}']" if value is not None else f"html[{attribute}]"
    page.wait_for_selector(selector, state="attached", timeout=timeout)
