"""The database rules survive migrations both ways on SQLite, where removing or
changing a column rebuilds the table and silently drops its triggers."""

import os
import sqlite3
import subprocess
import sys

from django.conf import settings

RULES = {"funding_line_rules_insert", "funding_line_rules_update"}
DERIVED = {
    "funding_line_derived_insert",
    "funding_line_derived_update",
    "funding_operation_derived",
}


def _migrate(database, *target):
    environment = {**os.environ, "DJANGO_DEBUG": "true", "DATABASE_URL": f"sqlite:///{database}"}
    subprocess.run(  # noqa: S603 (our own manage.py, fixed arguments)
        [sys.executable, "manage.py", "migrate", *target, "-v0"],
        cwd=settings.BASE_DIR,
        env=environment,
        check=True,
        capture_output=True,
    )
    with sqlite3.connect(database) as connection:
        rows = connection.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
        return {name for (name,) in rows if name.startswith("funding_")}


def test_funding_triggers_survive_migrating_back_and_forth_on_sqlite(tmp_path):
    database = tmp_path / "migrations.sqlite3"
    assert _migrate(database) == RULES | DERIVED
    assert _migrate(database, "funding", "0004") == RULES  # the stored columns undone
    assert _migrate(database, "funding", "0003") == RULES  # updated_at undone
    assert _migrate(database) == RULES | DERIVED
