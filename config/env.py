"""Read the settings' environment variables: one reader per type, each with a default.

Every variable the settings read goes through one of these functions, which
records it in ``VARIABLES`` (name, type, default): a test checks that
docs/settings.md lists exactly those. A value that cannot be read as its type
stops the start with ``ImproperlyConfigured`` naming the variable, rather than
being taken for the default or failing later with a bare ``ValueError``.

An unset variable gives the default. An empty one is a value: the empty string
for ``env_str``, no items for ``env_list``, and an error for the other types.
"""

import math
import os
from dataclasses import dataclass

from django.core.exceptions import ImproperlyConfigured

TRUE_WORDS = frozenset({"1", "true", "yes", "on"})
FALSE_WORDS = frozenset({"0", "false", "no", "off"})


@dataclass(frozen=True)
class Variable:
    name: str
    type: str
    default: object


# Every variable read so far, by name, in the order of the first read.
VARIABLES: dict[str, Variable] = {}


def _read(name: str, type_: str, default: object) -> str | None:
    VARIABLES.setdefault(name, Variable(name, type_, default))
    return os.environ.get(name)


def _malformed(name: str, value: str, expected: str) -> ImproperlyConfigured:
    return ImproperlyConfigured(
        f"The environment variable {name} is {value!r}: expected {expected}. "
        f"Correct it, or unset it for the default (docs/settings.md)."
    )


def env_str(name: str, default: str) -> str:
    """The variable's text as is (an empty value included), or ``default``."""
    value = _read(name, "str", default)
    return default if value is None else value


def env_bool(name: str, default: bool) -> bool:
    """true/false, yes/no, on/off or 1/0 (any case)."""
    value = _read(name, "bool", default)
    if value is None:
        return default
    word = value.strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise _malformed(name, value, "true or false (or yes/no, on/off, 1/0)")


def env_int(name: str, default: int, *, minimum: int | None = None) -> int:
    """A whole number, at least ``minimum`` when given."""
    value = _read(name, "int", default)
    if value is None:
        return default
    try:
        number = int(value.strip())
    except ValueError:
        number = None
    if number is None or (minimum is not None and number < minimum):
        at_least = f" of at least {minimum}" if minimum is not None else ""
        raise _malformed(name, value, f"a whole number{at_least}")
    return number


def env_float(name: str, default: float, *, minimum: float | None = None) -> float:
    """A decimal number with a dot (``0.4``), at least ``minimum`` when given."""
    value = _read(name, "float", default)
    if value is None:
        return default
    try:
        number = float(value.strip())
    except ValueError:
        number = math.nan
    if not math.isfinite(number) or (minimum is not None and number < minimum):
        at_least = f" of at least {minimum:g}" if minimum is not None else ""
        raise _malformed(name, value, f"a number{at_least}, with a dot for decimals")
    return number


def env_list(name: str, default: list[str]) -> list[str]:
    """Comma-separated items, each stripped, empty ones dropped."""
    value = _read(name, "list", list(default))
    if value is None:
        return list(default)
    return [item.strip() for item in value.split(",") if item.strip()]
