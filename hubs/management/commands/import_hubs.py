"""``manage.py import_hubs FILE``: hubs from the national schema, fablabs.io or our template.

The kind of file is read from its content (``--format`` to force it):

- ``national``: the national schema « lieux de médiation numérique » (CSV or JSON,
  current and earlier column names), see ``docs/national-schema.md``;
- ``fablabs``: the labs export of fablabs.io (a JSON list of labs);
- ``csv`` / ``xlsx``: the template of ``docs/import.md`` (the admin's import).
  All or nothing: one bad row and nothing is saved; every error is listed.

National and fablabs.io records are placed by ``territories.placing`` (their
coordinates, else their address) and matched by their source id, so running the
import again updates instead of duplicating; what cannot be placed is listed with
the reason, the rest is imported; a SIRET or a name within 100 m of another hub is
flagged as a possible duplicate, never merged. Either way the run is one
transaction (``--dry-run`` rolls it back) and ends with a report.
"""

from __future__ import annotations

import sys
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError
from django.utils import translation
from tqdm import tqdm

from backoffice.imports.formats import CSVFormat, XLSXFormat
from backoffice.imports.limits import ImportLimitError, ImportLimits
from backoffice.imports.resources import row_errors
from backoffice.publication import can_publish
from hubs.imports.read import FABLABS, NATIONAL, UnreadableFile, read
from hubs.imports.run import import_records
from hubs.models import Hub
from hubs.resources import HubResource


class Command(BaseCommand):
    help = (
        "Importe des lieux du schéma national des lieux de médiation numérique (CSV, JSON), "
        "de l'export des labs de fablabs.io ou du modèle CSV/XLSX (docs/import.md) ; "
        "affiche un rapport (créés, mis à jour, inchangés, refusés, doublons possibles)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "file",
            help="Fichier à importer (schéma national CSV ou JSON, JSON fablabs.io, modèle CSV/XLSX).",
        )
        parser.add_argument(
            "--format",
            choices=["national", "fablabs", "csv", "xlsx"],
            help="Format du fichier (deviné d'après l'extension et le contenu sinon).",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Simuler : tout vérifier, ne rien enregistrer."
        )
        parser.add_argument(
            "--publish",
            action="store_true",
            help="Publier les lieux importés (sinon les nouveaux lieux sont des brouillons).",
        )
        parser.add_argument(
            "--user",
            help="Compte au nom duquel importer : ses territoires s'appliquent et l'historique le nomme.",
        )
        parser.add_argument("--no-progress", action="store_true", help="Sans barre de progression.")

    def handle(self, *args, **options):
        path = Path(options["file"])
        try:
            data = path.read_bytes()
        except OSError as e:
            raise CommandError(f"Lecture impossible de {path} : {e}") from e
        user = None
        if options["user"]:
            user = get_user_model().objects.filter(username=options["user"]).first()
            if user is None:
                raise CommandError(f"Compte inconnu : {options['user']}")
            if options["publish"] and not can_publish(user, Hub):
                raise CommandError(
                    f"{user.username} ne peut pas publier : un administrateur régional relit "
                    "les brouillons (importez sans --publish)."
                )
        stream = getattr(self.stderr, "_out", sys.stderr)
        self.show_progress = not options["no_progress"] and getattr(stream, "isatty", bool)()
        with translation.override(settings.LANGUAGE_CODE):
            if options["format"] in ("csv", "xlsx"):
                self.import_table(path, data, options["format"], user, options)
                return
            try:
                source = read(data, ImportLimits.for_command())
            except UnreadableFile as e:
                raise CommandError(f"Import refusé : {e}") from e
            kind = options["format"] or source.kind
            if kind in (NATIONAL, FABLABS):
                if options["format"] and source.kind != kind and source.records:
                    raise CommandError(f"Ce fichier n'est pas au format « {kind} ».")
                self.import_records(path, kind, source.records, user, options)
            else:
                self.import_table(path, data, source.format, user, options)

    def progress(self, total):
        # The raw stream: Django's OutputWrapper would end every refresh with a newline.
        return tqdm(
            total=total,
            file=getattr(self.stderr, "_out", sys.stderr),
            disable=not self.show_progress,
            unit="ligne",
            desc="Import",
        )

    # -- the national schema and fablabs.io ---------------------------------------
    def import_records(self, path, kind, records, user, options):
        with self.progress(len(records)) as bar:
            try:
                report = import_records(
                    kind,
                    records,
                    user=user,
                    publish=options["publish"],
                    dry_run=options["dry_run"],
                    file_name=path.name,
                    on_progress=bar.update,
                )
            except DatabaseError as e:
                raise CommandError(
                    f"Import annulé, rien n'a été enregistré : erreur de la base de données ({e})."
                ) from e
        self.print_report(path, kind, report, options["dry_run"])

    def print_report(self, path, kind, report, dry_run):
        write = self.stdout.write
        title = "Import fablabs.io" if kind == FABLABS else "Import schéma national"
        write(f"{title} ({path.name}) : {report.total} fiche(s) lue(s).")
        write(
            f"  créés : {len(report.created)} · mis à jour : {len(report.updated)} · "
            f"inchangés : {len(report.unchanged)} · refusés : {len(report.refused)}"
        )
        if report.refused:
            write("Refusés (non importés) :")
            for number, name, reason in report.refused:
                write(f"  - n° {number} « {name} » : {reason}")
        if report.warnings:
            write("Avertissements :")
            for number, name, message in report.warnings:
                write(f"  - n° {number} « {name} » : {message}")
        if report.duplicates:
            write("Doublons possibles, à examiner dans l'administration (rien n'a été fusionné) :")
            for duplicate in report.duplicates:
                write(
                    f"  - « {duplicate.hub.name} » et « {duplicate.other.name} » "
                    f"({duplicate.other.slug}) : {duplicate.get_reason_display()}"
                )
        if dry_run:
            write("Simulation (--dry-run) : rien n'a été enregistré.")

    # -- the documented template ---------------------------------------------
    def import_table(self, path, data, fmt, user, options):
        reader = XLSXFormat() if fmt == "xlsx" else CSVFormat()
        try:
            dataset = reader.create_dataset(data)
        except ImportLimitError as e:  # the caps of the admin's import
            raise CommandError(f"Import refusé : {e}") from e
        except Exception as e:  # noqa: BLE001 (any unreadable file)
            raise CommandError(f"Fichier {fmt.upper()} illisible : {e}") from e
        with self.progress(len(dataset)) as bar:
            resource = HubResource(
                user=user,
                on_row=lambda _row: bar.update(1),
                default_publication=Hub.Publication.PUBLISHED if options["publish"] else None,
            )
            result = resource.import_data(
                dataset, dry_run=options["dry_run"], user=user, file_name=path.name
            )
        errors = row_errors(result)
        write = self.stdout.write
        write(f"Import de {path.name} : {len(dataset)} ligne(s).")
        if errors:
            write("Erreurs (la ligne 1 est la première après l'en-tête) :")
            for number, column, message in errors:
                where = f"ligne {number}" if number else "fichier"
                column = f", colonne « {column} »" if column else ""
                write(f"  - {where}{column} : {message}")
            raise CommandError(f"Import annulé : {len(errors)} erreur(s), rien n'a été enregistré.")
        totals = result.totals
        write(
            f"  créés : {totals['new']} · mis à jour : {totals['update']} · "
            f"inchangés : {totals['skip']} · refusés : 0"
        )
        if options["dry_run"]:
            write("Simulation (--dry-run) : rien n'a été enregistré.")
