"""``manage.py import_hubs FILE``: hubs from the documented template or from fablabs.io.

Two sources (``--format``, guessed from the file otherwise):

- ``csv`` / ``xlsx``: the template of ``docs/import.md`` (the admin's import).
  All or nothing: one bad row and nothing is saved; every error is listed.
- ``fablabs``: the labs export of fablabs.io (a JSON list of labs). Each lab
  that can be placed in a French commune is created or updated (matched by
  ``external_id`` « fablabs.io:<slug> », so running it again updates instead of
  duplicating); the others are listed in the report with the reason, never
  placed by guess. Labs abroad are refused, and so are French overseas labs
  whose commune is not in the reference data.

Either way the run is one transaction (``--dry-run`` rolls it back) and ends
with a report: created, updated, unchanged, refused.
"""

from __future__ import annotations

import json
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.core.validators import EmailValidator, URLValidator
from django.db import DatabaseError, transaction
from django.utils import translation
from django.utils.html import strip_tags
from django.utils.text import Truncator, slugify
from tqdm import tqdm

from backoffice.imports.formats import CSVFormat, XLSXFormat
from backoffice.imports.limits import ImportLimitError
from backoffice.imports.resources import OUT_OF_SCOPE, row_errors, scope_for
from backoffice.publication import can_publish
from hubs.models import Equipment, Hub, HubKind, Label
from hubs.resources import HubResource
from territories.locate import FRENCH_COUNTRY_CODES, check_point, clean_postcode, locate_commune

FABLAB_KIND = "fablab"
NETWORK_LABEL = "reseau-fablab"
#: fablabs.io capabilities → equipment of the directory (the others have no equivalent).
CAPABILITY_EQUIPMENT = {
    "three_d_printing": "imprimante-3d",
    "laser": "decoupe-laser",
    "circuit_production": "electronique",
}
SOCIAL_HOSTS = (
    "facebook.com",
    "twitter.com",
    "x.com",
    "instagram.com",
    "linkedin.com",
    "youtube.com",
    "plus.google.com",
    "github.com",
    "wikifactory.com",
)
HISTORY_REASON = "import fablabs.io"
_EMAIL_IN_TEXT = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")


class Refused(Exception):
    """A lab that is not imported; the message says why."""


@dataclass
class Report:
    created: list = field(default_factory=list)
    updated: list = field(default_factory=list)
    unchanged: list = field(default_factory=list)
    refused: list = field(default_factory=list)  # (number, name, reason)
    warnings: list = field(default_factory=list)  # (number, name, message)


def _text(value) -> str:
    return str(value).strip() if value not in (None, "") else ""


def _float(value):
    if value in (None, ""):
        return None
    try:
        number = float(str(value).replace(",", "."))
    except ValueError:
        return None
    return number if number == number else None  # NaN


def _lab_slug(lab: dict) -> str:
    url = _text(lab.get("url"))
    if "fablabs.io" in url:
        parts = [part for part in urlparse(url).path.split("/") if part]
        if parts:
            return parts[-1]
    return _text(lab.get("slug")) or slugify(_text(lab.get("name")))


def _valid_url(value: str) -> str:
    if not value:
        return ""
    if "://" not in value:
        value = "https://" + value
    try:
        URLValidator()(value)
    except ValidationError:
        return ""
    return value if len(value) <= 200 else ""


def _website(lab: dict) -> str:
    links = []
    for link in lab.get("links") or []:
        url = link.get("url") if isinstance(link, dict) else link
        url = _valid_url(_text(url))
        if url:
            links.append(url)
    own = [u for u in links if not any(host in urlparse(u).netloc for host in SOCIAL_HOSTS)]
    if own or links:
        return (own or links)[0]
    return _valid_url(_text(lab.get("url")))


def _email(value: str) -> tuple[str, bool]:
    """A valid address, and whether the given value was unusable."""
    if not value:
        return "", False
    candidates = [value, *_EMAIL_IN_TEXT.findall(value)]
    for candidate in candidates:
        try:
            EmailValidator()(candidate)
        except ValidationError:
            continue
        return candidate, candidate != value
    return "", True


def _summary(lab: dict) -> str:
    for text in (lab.get("blurb"), lab.get("description")):
        text = " ".join(strip_tags(_text(text)).split())
        if text:
            return Truncator(text).chars(300)
    return "Fablab référencé sur fablabs.io."


def _unique_slug(name: str) -> str:
    base = slugify(name)[:190] or "fablab"
    slug, number = base, 2
    while Hub.objects.filter(slug=slug).exists():
        slug, number = f"{base}-{number}", number + 1
    return slug


TRACKED = (
    "name",
    "summary",
    "description",
    "street_address",
    "postcode",
    "commune_id",
    "latitude",
    "longitude",
    "website",
    "email",
    "phone",
    "status",
    "publication",
    "sources",
)


class FablabsImporter:
    def __init__(self, user=None, publish=False, report=None):
        self.user = user
        self.scope = scope_for(user)
        self.publish = publish
        self.report = report or Report()
        try:
            self.kind = HubKind.objects.get(slug=FABLAB_KIND)
        except HubKind.DoesNotExist:
            raise CommandError(f"Le type de lieu « {FABLAB_KIND} » n'existe pas.") from None
        self.equipment = {e.slug: e for e in Equipment.objects.all()}
        self.label = Label.objects.filter(slug=NETWORK_LABEL).first()

    def run(self, labs, progress=None):
        for number, lab in enumerate(labs, 1):
            name = _text(lab.get("name")) if isinstance(lab, dict) else ""
            try:
                with transaction.atomic():
                    outcome, hub = self.import_lab(number, lab)
            except Refused as e:
                self.report.refused.append((number, name or "(sans nom)", str(e)))
            except ValidationError as e:
                reasons = "; ".join(
                    f"{key} : {' '.join(msgs)}" for key, msgs in e.message_dict.items()
                )
                self.report.refused.append((number, name, f"données invalides ({reasons})"))
            except DatabaseError as e:
                self.report.refused.append((number, name, f"refusé par la base de données ({e})"))
            else:
                getattr(self.report, outcome).append((number, hub))
            if progress is not None:
                progress.update(1)
        return self.report

    def warn(self, number, name, message):
        self.report.warnings.append((number, name, message))

    def import_lab(self, number, lab):
        if not isinstance(lab, dict):
            raise Refused("fiche illisible (pas un objet JSON)")
        name = _text(lab.get("name"))
        if not name:
            raise Refused("fiche sans nom")
        country = _text(lab.get("country_code")).lower()
        if country and country not in FRENCH_COUNTRY_CODES:
            raise Refused(f"hors de France ({country.upper()})")
        latitude, longitude = _float(lab.get("latitude")), _float(lab.get("longitude"))
        postcode, city = _text(lab.get("postal_code")), _text(lab.get("city"))
        if not country and not clean_postcode(postcode):
            raise Refused("impossible à placer : pays inconnu et pas de code postal")
        commune, why = locate_commune(postcode, city, latitude, longitude)
        if commune is None:
            raise Refused(f"impossible à placer : {why}")
        point, why = check_point(commune, latitude, longitude)
        if point is None:
            raise Refused(f"impossible à placer : {why}")
        if not self.scope.contains_commune(commune):
            raise Refused(f"{OUT_OF_SCOPE} ({commune.name})")

        external_id = f"fablabs.io:{_lab_slug(lab)}"[:120]
        hub = Hub.objects.filter(external_id=external_id).first()
        new = hub is None
        if new:
            hub = Hub(
                slug=_unique_slug(name),
                external_id=external_id,
                publication=Hub.Publication.DRAFT,
            )
        elif not self.scope.contains_commune(hub.commune):
            raise Refused(f"{OUT_OF_SCOPE} : ce lieu existant appartient à un autre territoire")
        before = {attr: getattr(hub, attr) for attr in TRACKED}

        hub.name = name[:200]
        hub.summary = _summary(lab)
        hub.description = strip_tags(_text(lab.get("description")))
        address = ", ".join(
            p for p in (_text(lab.get("address_1")), _text(lab.get("address_2"))) if p
        )
        hub.street_address = " ".join(address.split())[:250]
        code = clean_postcode(postcode)
        hub.postcode = code if code in commune.postcode_list else ""
        hub.commune = commune
        hub.latitude, hub.longitude = point
        website = _website(lab)
        hub.website = website or (hub.website if not new else "")
        email, bad = _email(_text(lab.get("email")))
        if bad and not email:
            self.warn(number, name, f"courriel « {_text(lab.get('email'))} » invalide, ignoré")
        elif bad:
            self.warn(number, name, f"courriel lu « {email} » dans « {_text(lab.get('email'))} »")
        hub.email = email or (hub.email if not new and bad else "")
        phone = _text(lab.get("phone"))
        if len(phone) > 30:
            self.warn(number, name, f"téléphone « {phone} » trop long, ignoré")
            phone = ""
        hub.phone = phone
        activity = _text(lab.get("activity_status")).lower()
        if activity == "closed":
            hub.status = Hub.Status.CLOSED
        elif activity == "planned":
            hub.status = Hub.Status.PROJECT
        elif activity or new:
            hub.status = Hub.Status.OPEN
        if self.publish:
            hub.publication = Hub.Publication.PUBLISHED
        source_line = f"fablabs.io : {_text(lab.get('url')) or external_id}"
        if source_line not in hub.sources.splitlines():
            hub.sources = "\n".join(p for p in (hub.sources, source_line) if p)
        hub.full_clean()

        equipment = [
            self.equipment[slug]
            for capability in lab.get("capabilities") or []
            if (slug := CAPABILITY_EQUIPMENT.get(str(capability))) in self.equipment
        ]
        changed = new or any(getattr(hub, attr) != value for attr, value in before.items())
        if changed:
            hub._change_reason = HISTORY_REASON
            if self.user is not None:
                hub._history_user = self.user
            hub.save()
        m2m_changed = False
        if not hub.kinds.filter(pk=self.kind.pk).exists():
            hub.kinds.add(self.kind)
            m2m_changed = True
        missing = [e for e in equipment if not hub.equipment.filter(pk=e.pk).exists()]
        if missing:
            hub.equipment.add(*missing)
            m2m_changed = True
        if new and self.label:
            hub.labels.add(self.label)
        if new:
            return "created", hub
        return ("updated" if changed or m2m_changed else "unchanged"), hub


def read_labs(data: bytes) -> list:
    try:
        labs = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as e:
        raise CommandError(f"Fichier JSON illisible : {e}") from e
    if isinstance(labs, dict):  # the old API wrapped the list: {"labs": [...]}
        labs = labs.get("labs", labs.get("data"))
    if not isinstance(labs, list):
        raise CommandError("Le fichier fablabs.io doit contenir une liste de labs.")
    return labs


def guess_format(path: Path, data: bytes) -> str:
    suffix = path.suffix.lower()
    if suffix == ".json" or data.lstrip()[:1] in (b"[", b"{"):
        return "fablabs"
    if suffix in (".xlsx", ".xlsm") or data[:2] == b"PK":
        return "xlsx"
    return "csv"


class Command(BaseCommand):
    help = (
        "Importe des lieux depuis le modèle CSV/XLSX (docs/import.md) ou depuis l'export JSON "
        "des labs de fablabs.io ; affiche un rapport (créés, mis à jour, inchangés, refusés)."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="Fichier à importer (.csv, .xlsx ou .json fablabs.io).")
        parser.add_argument(
            "--format",
            choices=["csv", "xlsx", "fablabs"],
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
        fmt = options["format"] or guess_format(path, data)
        stream = getattr(self.stderr, "_out", sys.stderr)
        self.show_progress = not options["no_progress"] and getattr(stream, "isatty", bool)()
        with translation.override(settings.LANGUAGE_CODE):
            if fmt == "fablabs":
                self.import_fablabs(path, data, user, options)
            else:
                self.import_table(path, data, fmt, user, options)

    def progress(self, total):
        # The raw stream: Django's OutputWrapper would end every refresh with a newline.
        return tqdm(
            total=total,
            file=getattr(self.stderr, "_out", sys.stderr),
            disable=not self.show_progress,
            unit="ligne",
            desc="Import",
        )

    # -- fablabs.io ------------------------------------------------------------
    def import_fablabs(self, path, data, user, options):
        labs = read_labs(data)
        with transaction.atomic():
            importer = FablabsImporter(user=user, publish=options["publish"])
            with self.progress(len(labs)) as bar:
                report = importer.run(labs, progress=bar)
            if options["dry_run"]:
                transaction.set_rollback(True)
        self.print_fablabs_report(path, len(labs), report, options["dry_run"])

    def print_fablabs_report(self, path, total, report, dry_run):
        write = self.stdout.write
        write(f"Import fablabs.io ({path.name}) : {total} fiche(s) lue(s).")
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
