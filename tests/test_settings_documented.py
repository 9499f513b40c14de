"""docs/settings.md lists every environment variable the settings read, once, and no other.

The settings read the environment through config/env.py only, whose readers record each
variable with its default when the settings module runs: that record is compared with the
first column of the page's tables.
"""

import re
from pathlib import Path

import pytest

import config.settings  # noqa: F401 (already loaded by pytest-django: its reads are recorded)
from config import env

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "settings.md"
# | `NAME` | default | meaning |
ROW = re.compile(r"^\|\s*`([A-Z][A-Z0-9_]*)`\s*\|([^|]*)\|([^|]*)\|\s*$", re.MULTILINE)
# Reading os.environ, or letting a library read it, bypasses the record.
DIRECT_READ = re.compile(r"os\.environ|getenv\(|dj_database_url\.config\(|environ\.Env\(")


def documented() -> dict[str, list[tuple[str, str]]]:
    """Each variable of the page's tables, with its (default, meaning) rows."""
    rows: dict[str, list[tuple[str, str]]] = {}
    for name, default, meaning in ROW.findall(DOC.read_text()):
        rows.setdefault(name, []).append((default.strip(), meaning.strip()))
    return rows


def test_every_variable_the_settings_read_is_documented():
    missing = sorted(set(env.VARIABLES) - set(documented()))
    assert not missing, f"read by the settings, missing from docs/settings.md: {missing}"


def test_the_page_lists_no_variable_the_settings_do_not_read():
    stale = sorted(set(documented()) - set(env.VARIABLES))
    assert not stale, f"listed in docs/settings.md, read by no setting: {stale}"


def test_each_variable_is_listed_once_with_a_default_and_a_meaning():
    rows = documented()
    assert len(rows) > 40  # the tables were read
    assert not [name for name, found in rows.items() if len(found) > 1]
    assert not [name for name, [(default, meaning)] in rows.items() if not default or not meaning]


def _spelled(default: object) -> str:
    if isinstance(default, bool):
        return "true" if default else "false"
    return f"{default:g}" if isinstance(default, float) else str(default)


@pytest.mark.parametrize(
    "variable",
    [v for v in env.VARIABLES.values() if v.type in {"bool", "int", "float"}],
    ids=lambda variable: variable.name,
)
def test_documented_defaults_of_booleans_and_numbers_match_the_settings(variable):
    """The defaults of the test run, where DJANGO_DEBUG is false."""
    [(default, _meaning)] = documented()[variable.name]
    assert _spelled(variable.default) in default.replace(",", "")


def test_the_settings_read_the_environment_only_through_config_env():
    source = (ROOT / "config" / "settings.py").read_text()
    direct = [line.strip() for line in source.splitlines() if DIRECT_READ.search(line)]
    assert not direct
