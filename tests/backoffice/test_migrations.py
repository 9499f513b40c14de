"""TerritoryScope moved from ``territories`` to ``backoffice``: a database of before
keeps its staff's territories and their permissions (rows, groups, content type)."""

import os
import sqlite3
import subprocess
import sys

from django.conf import settings


def _migrate(database, *target):
    environment = {**os.environ, "DJANGO_DEBUG": "true", "DATABASE_URL": f"sqlite:///{database}"}
    subprocess.run(  # noqa: S603 (our own manage.py, fixed arguments)
        [sys.executable, "manage.py", "migrate", *target, "-v0"],
        cwd=settings.BASE_DIR,
        env=environment,
        check=True,
        capture_output=True,
    )


def _tables(db):
    return {name for (name,) in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}


def test_the_move_keeps_every_scope_and_permission(tmp_path):
    database = tmp_path / "move.sqlite3"
    _migrate(database)
    _migrate(database, "backoffice", "zero")  # the database as it was before the move
    with sqlite3.connect(database) as db:
        assert "territories_territoryscope" in _tables(db)
        assert "backoffice_territoryscope" not in _tables(db)
        # Before: a group of its own holding « all_territories » (the roles' groups are
        # reset after every migrate, not this one), and an editor's territory.
        # (The models backoffice got later, still known, go with their permissions.)
        db.execute(
            "DELETE FROM auth_permission WHERE content_type_id IN"
            " (SELECT id FROM django_content_type WHERE app_label = 'backoffice')"
        )
        db.execute("DELETE FROM django_content_type WHERE app_label = 'backoffice'")
        (old_type,) = db.execute(
            "SELECT id FROM django_content_type"
            " WHERE app_label = 'territories' AND model = 'territoryscope'"
        ).fetchone()
        (perm,) = db.execute(
            "SELECT id FROM auth_permission WHERE content_type_id = ? AND codename = ?",
            (old_type, "all_territories"),
        ).fetchone()
        db.execute("INSERT INTO auth_group (name) VALUES ('Élus du département')")
        db.execute(
            "INSERT INTO auth_group_permissions (group_id, permission_id)"
            " SELECT id, ? FROM auth_group WHERE name = 'Élus du département'",
            (perm,),
        )
        db.execute(
            "INSERT INTO auth_user (password, is_superuser, username, first_name, last_name,"
            " email, is_staff, is_active, date_joined)"
            " VALUES ('!', 0, 'agent', '', '', '', 1, 1, '2026-01-01')"
        )
        db.execute(
            "INSERT INTO territories_region (code, name, search_name) VALUES ('32', 'HdF', '')"
        )
        db.execute(
            "INSERT INTO territories_territoryscope (user_id, region_id)"
            " SELECT id, '32' FROM auth_user WHERE username = 'agent'"
        )

    _migrate(database)

    with sqlite3.connect(database) as db:
        assert "backoffice_territoryscope" in _tables(db)
        assert "territories_territoryscope" not in _tables(db)
        assert db.execute("SELECT region_id FROM backoffice_territoryscope").fetchall() == [("32",)]
        types = db.execute(
            "SELECT app_label FROM django_content_type WHERE model = 'territoryscope'"
        ).fetchall()
        assert types == [("backoffice",)]
        held = db.execute(
            "SELECT ct.app_label, p.codename FROM auth_group_permissions gp"
            " JOIN auth_permission p ON p.id = gp.permission_id"
            " JOIN django_content_type ct ON ct.id = p.content_type_id"
            " JOIN auth_group g ON g.id = gp.group_id"
            " WHERE g.name = 'Élus du département' AND p.codename = 'all_territories'"
        ).fetchall()
        assert held == [("backoffice", "all_territories")]
