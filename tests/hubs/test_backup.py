"""Backups: pg_dump + photos, restored into a fresh PostgreSQL database and checked.

On SQLite (development) the commands refuse with a clear message; CI runs the
suite on PostgreSQL too, where the round trip below really happens.
"""

import json
import uuid
from contextlib import contextmanager

import psycopg2
import pytest
from django.core.files.base import ContentFile
from django.core.management import CommandError, call_command
from django.db import connection

from hubs.models import Hub, HubPhoto
from tests import factories

pytestmark = pytest.mark.django_db(transaction=True)  # pg_dump sees committed rows only


def _connect(name):
    params = connection.settings_dict
    return psycopg2.connect(
        dbname=name,
        user=params.get("USER") or None,
        password=params.get("PASSWORD") or None,
        host=params.get("HOST") or None,
        port=params.get("PORT") or None,
    )


@contextmanager
def scratch_database():
    """A database name for a restore, dropped afterwards whatever happens."""
    name = f"restore_test_{uuid.uuid4().hex[:8]}"
    try:
        yield name
    finally:
        link = _connect("postgres")
        link.autocommit = True
        with link.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
        link.close()


def test_backup_and_restore_round_trip(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    hub = factories.hub(name="Fablab sauvegardé")
    photo = HubPhoto(hub=hub, alt_text="La façade")
    photo.image.save("facade.jpg", ContentFile(b"not really a jpeg, a file to carry"), save=True)
    folder = tmp_path / "backup"
    if connection.vendor != "postgresql":
        with pytest.raises(CommandError, match="PostgreSQL"):
            call_command("backup", str(folder))
        return

    call_command("backup", str(folder))
    assert {p.name for p in folder.iterdir()} == {"database.dump", "media.tar.gz", "manifest.json"}
    with pytest.raises(CommandError, match="pas vide"):
        call_command("backup", str(folder))  # never mixes two backups

    restored_media = tmp_path / "restored-media"
    with scratch_database() as name:
        call_command(
            "restore",
            str(folder),
            database=name,
            create_database=True,
            media_root=str(restored_media),
        )
        link = _connect(name)
        with link.cursor() as cursor:
            cursor.execute("SELECT name FROM hubs_hub WHERE slug = %s", [hub.slug])
            assert cursor.fetchone() == ("Fablab sauvegardé",)
        link.close()
        assert (restored_media / photo.image.name).read_bytes() == photo.image.read()
        with pytest.raises(CommandError, match="pas vide"):
            call_command("restore", str(folder), database=name)  # never over live data
    assert Hub.objects.filter(pk=hub.pk).exists()


def test_restore_refuses_a_tampered_backup(tmp_path):
    folder = tmp_path / "backup"
    folder.mkdir()
    (folder / "manifest.json").write_text(
        '{"files": {"database.dump": "0000"}, "rows": {}, "migrations": {}}'
    )
    (folder / "database.dump").write_bytes(b"tampered")
    expected = "PostgreSQL" if connection.vendor != "postgresql" else "manifeste"
    with pytest.raises(CommandError, match=expected):
        call_command("restore", str(folder), database="nowhere")


def test_manifest_counts_what_the_dump_holds_even_under_writes(tmp_path, settings, monkeypatch):
    """A hub deleted while the backup runs is in both the dump and the counts."""
    if connection.vendor != "postgresql":
        pytest.skip("pg_dump backups are for PostgreSQL; CI runs this file on it too")
    from hubs.management.commands.backup import Command

    settings.MEDIA_ROOT = tmp_path / "media"
    hub = factories.hub(name="Supprimé pendant la sauvegarde")
    hubs_before = Hub.objects.count()
    real_dump = Command.dump_database

    def dump_after_a_concurrent_write(self, dump, snapshot):
        # Another session (staff in the admin) deletes a hub after the snapshot.
        link = _connect(connection.settings_dict["NAME"])
        with link, link.cursor() as cursor:
            cursor.execute("DELETE FROM hubs_hub_kinds WHERE hub_id = %s", [hub.pk])
            cursor.execute("DELETE FROM hubs_hub WHERE id = %s", [hub.pk])
        link.close()
        real_dump(self, dump, snapshot)

    monkeypatch.setattr(Command, "dump_database", dump_after_a_concurrent_write)
    folder = tmp_path / "backup"
    call_command("backup", str(folder))
    assert Hub.objects.count() == hubs_before - 1
    manifest = json.loads((folder / "manifest.json").read_text())
    assert manifest["rows"]["hubs.Hub"] == hubs_before
    with scratch_database() as name:  # restore checks the counts against the manifest
        call_command(
            "restore",
            str(folder),
            database=name,
            create_database=True,
            media_root=str(tmp_path / "restored-media"),
        )
        link = _connect(name)
        with link.cursor() as cursor:
            cursor.execute("SELECT name FROM hubs_hub WHERE id = %s", [hub.pk])
            assert cursor.fetchone() == ("Supprimé pendant la sauvegarde",)
        link.close()
