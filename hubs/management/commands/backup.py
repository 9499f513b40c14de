"""Back up the directory: the PostgreSQL database (pg_dump, custom format) and the uploads.

    manage.py backup /var/backups/lieux/2026-11-22

writes into that (new or empty) folder:

- ``database.dump``: ``pg_dump --format=custom --no-owner --no-privileges``;
- ``media.tar.gz``: every file under ``MEDIA_ROOT`` (hub photos and thumbnails);
- ``manifest.json``: when, which migrations, row counts of the main tables (read
  in the snapshot pg_dump exports) and the SHA-256 of both files, which
  ``manage.py restore`` checks.

Run it nightly from cron or a systemd timer and copy the folder off the
machine (docs/backup.md). SQLite is for development: copy ``db.sqlite3``.
"""

import hashlib
import json
import os
import shutil
import subprocess
import tarfile
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

#: Tables counted in the manifest, and checked again after a restore.
COUNTED = [
    "territories.Commune",
    "hubs.Hub",
    "hubs.HubPhoto",
    "funding.FundedOperation",
    "funding.FinancingLine",
    "events.Event",
    "auth.User",
]


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def libpq_environment(settings_dict: dict) -> dict:
    """The connection of ``settings_dict`` for libpq programs (pg_dump, pg_restore).

    Django's own mapping (the one ``dbshell`` uses: password, SSL options,
    service…) plus host, port, user and database as PG* variables.
    """
    _, env = connection.client.settings_to_cmd_args_env(settings_dict, [])
    environ = {**os.environ, **(env or {})}
    for key, variable in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER")):
        if settings_dict.get(key):
            environ[variable] = str(settings_dict[key])
    if settings_dict.get("NAME"):
        environ["PGDATABASE"] = settings_dict["NAME"]
    return environ


def postgresql_program(name: str) -> str:
    """The full path of a PostgreSQL client program (pg_dump, pg_restore)."""
    path = shutil.which(name)
    if path is None:
        raise CommandError(f"{name} est introuvable : installez postgresql-client.")
    return path


def row_counts() -> dict[str, int]:
    from django.apps import apps

    return {label: apps.get_model(label).objects.count() for label in COUNTED}


class Command(BaseCommand):
    help = "Sauvegarde la base PostgreSQL (pg_dump) et les fichiers envoyés (photos)."

    def add_arguments(self, parser):
        parser.add_argument("folder", help="Dossier de la sauvegarde (créé s'il n'existe pas).")

    def handle(self, *args, folder, **options):
        if connection.vendor != "postgresql":
            raise CommandError(
                "La sauvegarde pg_dump est pour PostgreSQL ; en développement (SQLite), "
                "copiez simplement le fichier de la base."
            )
        target = Path(folder)
        target.mkdir(parents=True, exist_ok=True)
        if any(target.iterdir()):
            raise CommandError(f"{target} n'est pas vide : choisissez un nouveau dossier.")

        dump = target / "database.dump"
        # One snapshot for the dump, the row counts and the migrations: the
        # manifest describes exactly what the dump holds, even while staff edit.
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
                cursor.execute("SELECT pg_export_snapshot()")
                snapshot = cursor.fetchone()[0]
            self.dump_database(dump, snapshot)
            migrations = dict(
                MigrationRecorder.Migration.objects.order_by("app", "applied").values_list(
                    "app", "name"
                )
            )
            rows = row_counts()

        media = target / "media.tar.gz"
        media_root = Path(settings.MEDIA_ROOT)
        with tarfile.open(media, "w:gz") as archive:
            if media_root.is_dir():
                archive.add(media_root, arcname="media")

        manifest = {
            "created_at": timezone.now().isoformat(),
            "database": connection.settings_dict.get("NAME"),
            "migrations": migrations,  # the last migration applied of each app
            "rows": rows,
            "files": {path.name: sha256(path) for path in (dump, media)},
        }
        (target / "manifest.json").write_text(json.dumps(manifest, indent=2, ensure_ascii=False))
        size = sum(path.stat().st_size for path in (dump, media))
        self.stdout.write(
            self.style.SUCCESS(
                f"Sauvegarde dans {target} : {size / 1e6:.1f} Mo, "
                + ", ".join(f"{n} {label.split('.')[1]}" for label, n in manifest["rows"].items())
            )
        )

    def dump_database(self, dump: Path, snapshot: str):
        result = subprocess.run(  # noqa: S603 (fixed program, our own arguments)
            [
                postgresql_program("pg_dump"),
                "--format=custom",
                "--no-owner",
                "--no-privileges",
                f"--snapshot={snapshot}",
                f"--file={dump}",
            ],
            env=libpq_environment(connection.settings_dict),
            capture_output=True,
            text=True,
        )
        if result.returncode:
            raise CommandError(f"pg_dump a échoué : {result.stderr.strip()}")
