"""Restore a backup made by ``manage.py backup`` into a fresh PostgreSQL database.

    manage.py restore /var/backups/lieux/2026-11-22 --database lieux_restored --create-database \\
        --media-root /srv/lieux/media

Checks the files against the manifest (SHA-256), restores the dump with
``pg_restore`` into the named database (which must be empty; ``--create-database``
creates it on the same server), unpacks the photos into ``--media-root``, then
counts the main tables of the restored database and compares them with the
manifest. Point ``DATABASE_URL`` at the restored database to use it.
"""

import json
import subprocess
import tarfile
from pathlib import Path

import psycopg2
from django.apps import apps
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from psycopg2 import sql

from .backup import libpq_environment, postgresql_program, sha256


class Command(BaseCommand):
    help = "Restaure une sauvegarde (base PostgreSQL et photos) dans une base neuve."

    def add_arguments(self, parser):
        parser.add_argument("folder", help="Dossier écrit par manage.py backup.")
        parser.add_argument("--database", required=True, help="Base cible (vide).")
        parser.add_argument(
            "--create-database", action="store_true", help="Crée la base cible d'abord."
        )
        parser.add_argument("--media-root", help="Où déballer les photos (sinon : pas de photos).")

    def handle(self, *args, folder, database, create_database, media_root, **options):
        if connection.vendor != "postgresql":
            raise CommandError("La restauration vise PostgreSQL (DATABASE_URL).")
        source = Path(folder)
        try:
            manifest = json.loads((source / "manifest.json").read_text())
        except (OSError, ValueError) as exc:
            raise CommandError(f"Pas de manifest.json lisible dans {source}.") from exc
        for name, expected in manifest["files"].items():
            path = source / name
            if not path.is_file() or sha256(path) != expected:
                raise CommandError(f"{name} manque ou ne correspond pas au manifeste.")

        settings_dict = {**connection.settings_dict, "NAME": database}
        if create_database:
            self._create(database)
        if self._table_count(settings_dict):
            raise CommandError(
                f"La base {database} n'est pas vide : restaurez dans une base neuve."
            )
        result = subprocess.run(  # noqa: S603 (fixed program, our own arguments)
            [
                postgresql_program("pg_restore"),
                "--no-owner",
                "--no-privileges",
                "--exit-on-error",
                "--dbname",
                database,
                str(source / "database.dump"),
            ],
            env=libpq_environment(settings_dict),
            capture_output=True,
            text=True,
        )
        if result.returncode:
            raise CommandError(f"pg_restore a échoué : {result.stderr.strip()}")

        if media_root:
            with tarfile.open(source / "media.tar.gz") as archive:
                target = Path(media_root)
                target.mkdir(parents=True, exist_ok=True)
                for member in archive.getmembers():
                    member.name = member.name.removeprefix("media").lstrip("/") or "."
                archive.extractall(target, filter="data")  # no absolute paths, no links out

        counts = self._row_counts(settings_dict)
        if counts != manifest["rows"]:
            raise CommandError(f"Comptes différents après restauration : {counts}")
        self.stdout.write(
            self.style.SUCCESS(
                f"Restauré dans {database} : "
                + ", ".join(f"{n} {label.split('.')[1]}" for label, n in counts.items())
            )
        )

    def _connect(self, settings_dict, name=None):
        """psycopg2 with Django's own connection parameters (SSL options included)."""
        params = {**connection.get_connection_params(), "dbname": name or settings_dict["NAME"]}
        params.pop("cursor_factory", None)
        return psycopg2.connect(**params)

    def _create(self, database):
        link = self._connect(connection.settings_dict, name="postgres")
        link.autocommit = True
        try:
            with link.cursor() as cursor:
                cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(database)))
        except psycopg2.Error as exc:
            raise CommandError(f"Impossible de créer {database} : {exc}") from exc
        finally:
            link.close()

    def _table_count(self, settings_dict) -> int:
        try:
            link = self._connect(settings_dict)
        except psycopg2.OperationalError as exc:
            raise CommandError(
                f"Base {settings_dict['NAME']} injoignable (--create-database pour la créer) : {exc}"
            ) from exc
        try:
            with link.cursor() as cursor:
                cursor.execute(
                    "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'"
                )
                return cursor.fetchone()[0]
        finally:
            link.close()

    def _row_counts(self, settings_dict) -> dict[str, int]:
        from .backup import COUNTED

        link = self._connect(settings_dict)
        try:
            counts = {}
            with link.cursor() as cursor:
                for label in COUNTED:
                    table = apps.get_model(label)._meta.db_table
                    cursor.execute(sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier(table)))
                    counts[label] = cursor.fetchone()[0]
            return counts
        finally:
            link.close()
