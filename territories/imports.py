"""Shared rules of the bulk imports and exports (admin and ``manage.py import_hubs``).

One place decides, for every importer:

- **where a row is**: a commune from its INSEE code, or from a postcode and a
  city name (accents and case ignored, « CEDEX », « St », arrondissements of
  Paris, Lyon and Marseille, an INSEE code typed as a postcode), and whether
  coordinates agree with that commune (:func:`locate_commune`,
  :func:`check_point`);
- **who may import it**: a row whose commune is outside the importing user's
  :class:`~territories.scoping.Scope` is refused « hors de votre territoire »,
  and one refused row cancels the whole file (:class:`ScopedModelResource`);
- **how cells are read**: French spreadsheets (« 1 000,50 », « oui », 31/12/2017,
  « ; » separators, Windows-1252 files) and XLSX native values (widgets below);
- **the admin**: CSV and XLSX only, a dry-run preview, then an all-or-nothing
  commit (:class:`ScopedImportExportMixin`).
"""

from __future__ import annotations

import csv
import datetime
import io
import re
from decimal import Decimal, InvalidOperation

import tablib
from django.contrib import messages
from django.contrib.auth import get_permission_codename
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from import_export import widgets
from import_export.admin import ImportExportMixin
from import_export.fields import Field
from import_export.formats import base_formats
from import_export.forms import ExportForm, ImportForm
from import_export.resources import ModelResource
from import_export.results import RowResult

from .import_limits import (
    ImportLimitError,
    ImportLimits,
    check_file_size,
    check_xlsx_archive,
    read_rows,
    too_long_cell,
)
from .models import Commune
from .scoping import Scope
from .spreadsheets import restore_cell, safe_cell
from .text import normalize

#: fablabs.io country codes of the French overseas départements (DROM), which the
#: reference data covers; the other overseas collectivities are not covered.
FRENCH_COUNTRY_CODES = frozenset({"fr", "gp", "mq", "gf", "re", "yt"})
OUT_OF_SCOPE = gettext_lazy("hors de votre territoire")


# --------------------------------------------------------------------------- places
_CEDEX = re.compile(r"\bcedex\b(\s+\d+)?")
_ARRONDISSEMENT = re.compile(
    r"^(paris|lyon|marseille)(\s+\d+\s*(?:e|er|eme|ieme|me)?)?(\s+arrondissement)?$"
)
_DIGITS = re.compile(r"\b\d+\b")


def normalize_city(text) -> str:
    """« Lille CEDEX 9 » → « lille », « St-Malo » → « saint malo », « Paris 13e » → « paris »."""
    name = normalize(str(text) if text is not None else "")
    name = _CEDEX.sub(" ", name)
    name = re.sub(r"\bst\b", "saint", name)
    name = re.sub(r"\bste\b", "sainte", name)
    name = " ".join(name.split())
    match = _ARRONDISSEMENT.match(name)
    if match:
        return match.group(1)
    return " ".join(_DIGITS.sub(" ", name).split())


def clean_postcode(value) -> str:
    """Five digits, or "" (« 1000 » from a spreadsheet becomes « 01000 »)."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    digits = re.sub(r"\D", "", str(value))
    if len(digits) == 4:
        digits = "0" + digits
    return digits if len(digits) == 5 else ""


def clean_insee(value) -> str:
    """An INSEE code as written in a file: « 2A004 », « 59606 », 1053 (XLSX) → « 01053 »."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip().upper()
    if text.isdigit() and len(text) == 4:
        text = "0" + text
    return text


def departements_of_postcode(postcode: str) -> set[str]:
    if postcode.startswith("97"):
        return {postcode[:3]}
    if postcode.startswith("20"):
        return {"2A", "2B"}
    return {postcode[:2]}


def _nearest(candidates, latitude, longitude):
    if latitude is None or longitude is None:
        return None
    scored = []
    for commune in candidates:
        km = commune.distance_km(latitude, longitude)
        if km is not None and km <= commune.max_distance_km:
            scored.append((km, commune.insee, commune))
    return min(scored)[2] if scored else None


def _compatible(official: str, given: str) -> bool:
    """« cesson sevigne » and « cesson »: one name is the other's first words."""
    return bool(given) and (
        official == given or official.startswith(given + " ") or given.startswith(official + " ")
    )


def locate_commune(postcode="", city="", latitude=None, longitude=None):
    """The commune a postcode and a city name designate: ``(commune, "")`` or ``(None, why)``.

    Never a guess: when several communes fit and coordinates do not single one
    out, the answer is ``None`` with the reason.
    """
    code, name = clean_postcode(postcode), normalize_city(city)
    communes = Commune.objects.select_related("departement")
    if not code and not name:
        return None, "ni code postal ni commune"
    by_postcode = list(communes.filter(postcodes__contains=f" {code} ")) if code else []
    if by_postcode:
        named = [c for c in by_postcode if c.search_name == name]
        if len(named) == 1:
            return named[0], ""
        if len(by_postcode) == 1 and (not name or _compatible(by_postcode[0].search_name, name)):
            return by_postcode[0], ""
        if not name:
            nearest = _nearest(by_postcode, latitude, longitude)
            if nearest:
                return nearest, ""
            return None, _(
                "le code postal %(code)s est celui de plusieurs communes : donnez la ville"
            ) % {"code": code}
        names = ", ".join(sorted(c.name for c in by_postcode))
        return None, _("« %(city)s » ne correspond pas au code postal %(code)s (%(names)s)") % {
            "city": city,
            "code": code,
            "names": names,
        }
    elif code and name:
        # Not a distribution postcode (CEDEX, or an INSEE code written instead).
        by_insee = communes.filter(insee=code).first()
        if by_insee and by_insee.search_name == name:
            return by_insee, ""
    if not name:
        return None, _("code postal %(code)s inconnu") % {"code": code}
    candidates = list(communes.filter(search_name=name))
    if code:
        departements = departements_of_postcode(code)
        candidates = [c for c in candidates if c.departement_id in departements]
        if not candidates:
            return None, _(
                "commune « %(city)s » introuvable dans le département du code postal %(code)s"
            ) % {"city": city, "code": code}
    if len(candidates) == 1:
        return candidates[0], ""
    if not candidates:
        return None, _("commune « %(city)s » introuvable") % {"city": city}
    nearest = _nearest(candidates, latitude, longitude)
    if nearest:
        return nearest, ""
    return None, _("plusieurs communes s'appellent « %(city)s » : donnez le code postal") % {
        "city": city
    }


def check_point(commune: Commune, latitude, longitude):
    """The point to store: ``((lat, lng), "")``, or ``(None, why)``.

    Missing coordinates (or 0, 0, the « Null Island » of unlocated records) take
    the commune's reference point; coordinates far from the commune are refused.
    """
    if latitude in (None, "") or longitude in (None, "") or (latitude == 0 and longitude == 0):
        if commune.latitude is None or commune.longitude is None:
            return None, _("la commune %(name)s n'a pas de point de référence") % {
                "name": commune.name
            }
        return (commune.latitude, commune.longitude), ""
    if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
        return None, _("latitude ou longitude hors limites")
    km = commune.far_from(latitude, longitude)
    if km is not None:
        return None, _(
            "coordonnées à %(km).0f km de %(name)s (%(insee)s) : "
            "vérifiez la latitude, la longitude et la commune"
        ) % {"km": km, "name": commune.name, "insee": commune.insee}
    return (latitude, longitude), ""


def scope_for(user) -> Scope:
    """The importing user's scope; a command run without ``--user`` is unrestricted."""
    if user is None:
        return Scope(unrestricted=True)
    return Scope.for_user(user)


# --------------------------------------------------------------------------- formats
class CSVFormat(base_formats.CSV):
    """CSV read as bytes: UTF-8 (with or without BOM) or Windows-1252, « , » or « ; »."""

    def is_binary(self):
        return True

    def get_read_mode(self):
        return "rb"

    def create_dataset(self, in_stream, **kwargs):
        limits = ImportLimits.from_settings()
        check_file_size(len(in_stream), limits)
        if isinstance(in_stream, bytes):
            try:
                text = in_stream.decode("utf-8-sig")
            except UnicodeDecodeError:
                text = in_stream.decode("cp1252")
        else:
            text = in_stream.lstrip("\ufeff")
        first_line = text.split("\n", 1)[0]
        delimiter = max(",;\t", key=first_line.count)
        dataset = tablib.Dataset()
        try:
            header, rows = read_rows(csv.reader(io.StringIO(text), delimiter=delimiter), limits)
        except csv.Error as e:
            if "field larger than field limit" in str(e):
                raise too_long_cell(limits) from e
            raise
        if header:
            dataset.headers = [cell.strip() for cell in header]
            for row in rows:
                dataset.append(row)
        return dataset

    def export_data(self, dataset, **kwargs):
        # A BOM, so that Excel opens the UTF-8 file with its accents.
        return "\ufeff" + super().export_data(dataset, **kwargs)


class XLSXFormat(base_formats.XLSX):
    """The first sheet; trailing empty rows (left by spreadsheet editors) are dropped."""

    def create_dataset(self, in_stream):
        import openpyxl

        limits = ImportLimits.from_settings()
        check_file_size(len(in_stream), limits)
        check_xlsx_archive(in_stream, limits)
        # Read-only: the rows are parsed one at a time ('data_only': a formula's value).
        book = openpyxl.load_workbook(io.BytesIO(in_stream), read_only=True, data_only=True)
        try:
            sheet = book.active
            # The sheet's declared size could pad every row to 16,384 columns.
            sheet.reset_dimensions()
            header, rows = read_rows(sheet.iter_rows(values_only=True), limits, fill=None)
        finally:
            book.close()
        dataset = tablib.Dataset()
        if header:
            dataset.headers = [str(h).strip() if h is not None else "" for h in header]
            for row in rows:
                dataset.append(row)
        return dataset


FORMATS = [CSVFormat, XLSXFormat]


# --------------------------------------------------------------------------- widgets
def is_blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


class TextWidget(widgets.CharWidget):
    """Text, stripped; empty cells give "" (an export's « '=… » gives back « =… »)."""

    def clean(self, value, row=None, **kwargs):
        if is_blank(value):
            return ""
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        return restore_cell(str(value).strip())


class URLWidget(TextWidget):
    """« www.exemple.fr » becomes « https://www.exemple.fr » (as the admin form does)."""

    def clean(self, value, row=None, **kwargs):
        text = super().clean(value, row, **kwargs)
        if text and "://" not in text:
            text = "https://" + text
        return text


def _number_text(value) -> str:
    text = str(value).strip().replace("\u00a0", "").replace("\u202f", "").replace(" ", "")
    text = text.replace("€", "").replace("%", "")
    if "," in text and "." in text:
        text = text.replace(".", "").replace(",", ".")  # 1.000,50
    return text.replace(",", ".")


class DecimalWidget(widgets.Widget):
    def clean(self, value, row=None, **kwargs):
        if is_blank(value):
            return None
        if isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
            return Decimal(str(value))
        try:
            return Decimal(_number_text(value))
        except InvalidOperation:
            raise ValueError(_("« %(value)s » n'est pas un nombre") % {"value": value}) from None

    def render(self, value, obj=None, **kwargs):
        if value is None:
            return None if kwargs.get("force_native_type") else ""
        if kwargs.get("force_native_type"):
            return value
        return format(value, "f")


class FloatWidget(widgets.Widget):
    def clean(self, value, row=None, **kwargs):
        if is_blank(value):
            return None
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return float(value)
        try:
            return float(_number_text(value))
        except ValueError:
            raise ValueError(_("« %(value)s » n'est pas un nombre") % {"value": value}) from None

    def render(self, value, obj=None, **kwargs):
        if value is None:
            return None if kwargs.get("force_native_type") else ""
        return value if kwargs.get("force_native_type") else repr(float(value))


class IntegerWidget(widgets.Widget):
    def clean(self, value, row=None, **kwargs):
        if is_blank(value):
            return None
        number = DecimalWidget().clean(value)
        if number != number.to_integral_value():
            raise ValueError(_("« %(value)s » n'est pas un nombre entier") % {"value": value})
        return int(number)

    def render(self, value, obj=None, **kwargs):
        if value is None:
            return None if kwargs.get("force_native_type") else ""
        return value if kwargs.get("force_native_type") else str(value)


class DateWidget(widgets.Widget):
    """ISO dates (2017-12-31) or French ones (31/12/2017); XLSX dates as they are."""

    def clean(self, value, row=None, **kwargs):
        if is_blank(value):
            return None
        if isinstance(value, datetime.datetime):
            return value.date()
        if isinstance(value, datetime.date):
            return value
        text = str(value).strip()
        for fmt in ("%Y-%m-%d", "%d/%m/%Y", "%d/%m/%y", "%d.%m.%Y"):
            try:
                return datetime.datetime.strptime(text, fmt).date()
            except ValueError:
                continue
        raise ValueError(
            _("« %(value)s » n'est pas une date (AAAA-MM-JJ ou JJ/MM/AAAA)") % {"value": value}
        )

    def render(self, value, obj=None, **kwargs):
        if value is None:
            return None if kwargs.get("force_native_type") else ""
        return value if kwargs.get("force_native_type") else value.isoformat()


TRUE_WORDS = {"1", "oui", "o", "vrai", "true", "yes", "y", "x"}
FALSE_WORDS = {"0", "non", "n", "faux", "false", "no"}


NUMBER_WIDGETS = (DecimalWidget, FloatWidget, IntegerWidget)


class BooleanWidget(widgets.Widget):
    """« oui » / « non » (and 1/0, vrai/faux, true/false, x); empty gives None."""

    def clean(self, value, row=None, **kwargs):
        if is_blank(value):
            return None
        if isinstance(value, bool):
            return value
        word = normalize(str(value))
        if isinstance(value, (int, float)):
            word = str(int(value))
        if word in TRUE_WORDS:
            return True
        if word in FALSE_WORDS:
            return False
        raise ValueError(_("« %(value)s » : écrivez oui ou non") % {"value": value})

    def render(self, value, obj=None, **kwargs):
        if kwargs.get("force_native_type"):
            return value
        return "" if value is None else ("oui" if value else "non")


class ChoiceWidget(widgets.Widget):
    """A code (« open ») or its French label (« ouvert »); exported as the code."""

    def __init__(self, choices, **kwargs):
        super().__init__(**kwargs)
        self.choices = list(choices)

    def clean(self, value, row=None, **kwargs):
        if is_blank(value):
            return ""
        text = str(value).strip()
        wanted = normalize(text)
        for code, label in self.choices:
            if text == code or wanted in (normalize(code), normalize(str(label))):
                return code
        allowed = ", ".join(code for code, _label in self.choices)
        raise ValueError(
            _("« %(value)s » n'est pas une valeur possible (%(allowed)s)")
            % {"value": value, "allowed": allowed}
        )

    def render(self, value, obj=None, **kwargs):
        return value or ""


class CodeWidget(widgets.ForeignKeyWidget):
    """A related record by a code (INSEE code, slug); unknown codes are named in the error.

    A record of the territories (``scope_path``: from it to its commune) is looked
    up in the importing user's territories only, the ``scope`` the resource passes
    to ``clean``: one elsewhere is not found, and reads exactly as one that does
    not exist (the ``missing`` message), so that an import tells an editor nothing
    of other territories' records.
    """

    def __init__(
        self,
        model,
        field,
        label,
        clean_code=None,
        queryset=None,
        scope_path=None,
        missing=None,
        **kwargs,
    ):
        super().__init__(model, field=field, **kwargs)
        self.label = label
        self.clean_code = clean_code or (lambda v: str(v).strip())
        self._queryset = queryset
        self.scope_path = scope_path
        self.missing = missing or gettext_lazy("%(label)s inconnu : « %(code)s »")

    def get_queryset(self, value, row, *args, **kwargs):
        return self._queryset() if self._queryset else self.model.objects.all()

    def clean(self, value, row=None, scope=None, **kwargs):
        if is_blank(value):
            return None
        code = self.clean_code(value)
        queryset = self.get_queryset(value, row)
        if self.scope_path is not None:
            if scope is None:
                raise TypeError(f"{self.label}: the importing user's scope is needed")
            queryset = queryset.filter(scope.communes_q(self.scope_path))
        obj = queryset.filter(**{self.field: code}).first()
        if obj is None:
            raise ValueError(str(self.missing) % {"label": self.label, "code": code})
        return obj

    def render(self, value, obj=None, **kwargs):
        return getattr(value, self.field, "") if value is not None else ""


class SlugListWidget(widgets.ManyToManyWidget):
    """Comma-separated (or semicolon-separated) slugs of a vocabulary."""

    def __init__(self, model, label, **kwargs):
        super().__init__(model, separator=",", field="slug", **kwargs)
        self.label = label

    def clean(self, value, row=None, **kwargs):
        if is_blank(value):
            return []
        wanted = [s.strip() for s in re.split(r"[,;]", str(value)) if s.strip()]
        found = {obj.slug: obj for obj in self.model.objects.filter(slug__in=wanted)}
        unknown = [slug for slug in wanted if slug not in found]
        if unknown:
            allowed = ", ".join(self.model.objects.order_by("slug").values_list("slug", flat=True))
            raise ValueError(
                f"{self.label} inconnu(s) : {', '.join(unknown)} (identifiants possibles : {allowed})"
            )
        return [found[slug] for slug in dict.fromkeys(wanted)]

    def render(self, value, obj=None, **kwargs):
        if value is None:
            return ""
        return ", ".join(sorted(item.slug for item in value.all()))


# --------------------------------------------------------------------------- resources
class ScopedModelResource(ModelResource):
    """A resource that checks each row against the importing user's territories.

    Subclasses give ``row_communes(instance)`` (the communes a record lies in),
    ``scope_column`` (the column that carries the error) and may complete the
    instance in ``complete_instance``. Whatever the caller asks, an import runs
    in one transaction and any row error rolls the whole file back.
    """

    #: Columns that must be in the file's header.
    required_columns: tuple[str, ...] = ()
    #: Fields whose empty cell keeps the current value (a new record: the default).
    keep_if_blank: frozenset[str] = frozenset()
    scope_column = "commune"
    history_label = "import"

    class Meta:
        skip_unchanged = True
        report_skipped = True
        clean_model_instances = True
        use_transactions = True

    def __init__(self, user=None, on_row=None, default_publication=None, **kwargs):
        super().__init__(**kwargs)
        self.user = user
        self.scope = scope_for(user)
        self.on_row = on_row
        self.default_publication = default_publication
        self.file_name = ""

    # -- the whole file ----------------------------------------------------
    def import_data(self, dataset, dry_run=False, raise_errors=False, **kwargs):
        kwargs["use_transactions"] = True
        kwargs["rollback_on_validation_errors"] = True
        return super().import_data(dataset, dry_run=dry_run, raise_errors=raise_errors, **kwargs)

    def before_import(self, dataset, **kwargs):
        if kwargs.get("user") is not None:
            self.user = kwargs["user"]
            self.scope = scope_for(self.user)
        self.file_name = kwargs.get("file_name") or ""
        if dataset.headers:
            dataset.headers = [str(h or "").strip().lstrip("\ufeff") for h in dataset.headers]
        missing = [c for c in self.required_columns if c not in (dataset.headers or [])]
        if missing:
            raise ValueError(
                _(
                    "Colonne(s) absente(s) de l'en-tête : %(columns)s. "
                    "Partez du modèle documenté (docs/import.md)."
                )
                % {"columns": ", ".join(missing)}
            )

    # -- one row -------------------------------------------------------------
    def column_of(self, attribute: str) -> str:
        for field in self.fields.values():
            if field.attribute == attribute or field.attribute == f"{attribute}_id":
                return field.column_name
        return attribute

    def import_row(self, row, instance_loader, **kwargs):
        row_result = super().import_row(row, instance_loader, **kwargs)
        error = row_result.validation_error
        if error is not None:
            errors = getattr(error, "error_dict", None)
            if errors is None:
                errors = {NON_FIELD_ERRORS: error.error_list}
            row_result.validation_error = ValidationError(
                {
                    (key if key == NON_FIELD_ERRORS else self.column_of(key)): value
                    for key, value in errors.items()
                }
            )
        if self.on_row:
            self.on_row(row_result)
        return row_result

    def import_field(self, field, instance, row, is_m2m=False, **kwargs):
        if (
            field.attribute in self.keep_if_blank
            and field.column_name in row
            and is_blank(row[field.column_name])
        ):
            return
        # The widgets of territorial records (CodeWidget) look them up in the scope.
        super().import_field(field, instance, row, is_m2m, scope=self.scope, **kwargs)

    def after_init_instance(self, instance, new, row, **kwargs):
        if not new:
            self.check_scope(instance, before=True)

    def import_instance(self, instance, row, **kwargs):
        self.clean_exclude = set()
        errors = {}
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as e:
            errors = e.update_error_dict(errors)
        for field in self.get_import_fields():
            if isinstance(field.widget, widgets.ManyToManyWidget) and field.column_name in row:
                try:
                    field.clean(row)
                except ValueError as e:
                    errors[field.attribute] = [str(e)]
        self.complete_instance(instance, row, errors, **kwargs)
        if self.scope_column not in errors and not errors.get(self.column_of(self.scope_column)):
            try:
                self.check_scope(instance)
            except ValidationError as e:
                errors = e.update_error_dict(errors)
        if errors:
            raise ValidationError(errors)

    def complete_instance(self, instance, row, errors, **kwargs):
        """Fill what the row leaves to the importer (a point from the commune…).

        Fields that could not be filled because of another error go in
        ``self.clean_exclude``, so that the model's validation does not report
        them a second time.
        """

    #: True when the model's field validators and ``clean()`` already say what its
    #: CHECK constraints say: Django then skips one query per constraint and row
    #: (the database still enforces them, and the import is one transaction).
    constraints_checked_by_fields = False

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        errors = dict(import_validation_errors or {})
        exclude = set(errors) | getattr(self, "clean_exclude", set())
        try:
            instance.full_clean(
                exclude=exclude,
                validate_unique=validate_unique,
                validate_constraints=not self.constraints_checked_by_fields,
            )
        except ValidationError as e:
            errors = e.update_error_dict(errors)
        if errors:
            raise ValidationError(errors)

    #: Paths from a row's record to its communes (the admin's ``scope_paths``).
    scope_paths: tuple[str, ...] = ()

    def check_scope(self, instance, before=False):
        if self.scope.allows(instance, *self.scope_paths):
            return
        message = (
            _("hors de votre territoire : cette fiche existante appartient à un autre territoire")
            if before
            else f"{OUT_OF_SCOPE} ({self.scope.describe()})"
        )
        raise ValidationError({self.scope_column: [message]})

    def check_publication(self, instance, original_publication, errors):
        """Editors who must be reviewed cannot publish through an import either."""
        from territories.admin_scoping import can_publish

        published = type(instance).Publication.PUBLISHED
        if (
            self.user is not None
            and instance.publication == published
            and original_publication != published
            and not can_publish(self.user, type(instance))
        ):
            errors["publication"] = [
                _("vous ne pouvez pas publier : un administrateur régional relit les brouillons")
            ]

    # -- export --------------------------------------------------------------
    def export_field(self, field, instance, **kwargs):
        """Every text cell through ``safe_cell`` (no formula); numbers as they are."""
        value = super().export_field(field, instance, **kwargs)
        if isinstance(field.widget, NUMBER_WIDGETS):
            return value  # a number, even when written as text in a CSV ("-61.5")
        return safe_cell(value)

    # -- saving --------------------------------------------------------------
    def before_save_instance(self, instance, row, **kwargs):
        name = f" ({self.file_name})" if self.file_name else ""
        instance._change_reason = f"{self.history_label}{name}"[:100]
        if self.user is not None and getattr(self.user, "pk", None):
            instance._history_user = self.user

    def do_instance_save(self, instance, is_create):
        try:
            with transaction.atomic():
                instance.save(force_insert=is_create)
        except IntegrityError as e:
            raise ValidationError(
                {NON_FIELD_ERRORS: [_("refusé par la base de données (%(error)s)") % {"error": e}]}
            ) from e


# --------------------------------------------------------------------------- admin
class LimitedImportForm(ImportForm):
    """The import form: a file over the size cap is refused before it is read."""

    def clean_import_file(self):
        import_file = self.cleaned_data["import_file"]
        try:
            check_file_size(import_file.size)
        except ImportLimitError as e:
            raise ValidationError(str(e), code="too_large") from e
        return import_file


class ScopedImportExportMixin(ImportExportMixin):
    """Import (CSV, XLSX, dry run then confirm, all or nothing) and export for a scoped admin.

    Import needs the add and change permissions on ``import_models`` (the
    admin's model by default) and at least one territory; export needs the view
    permission and exports the rows of the changelist, filters and territory
    included.
    """

    import_formats = FORMATS
    export_formats = FORMATS
    import_form_class = LimitedImportForm
    # Every column, always: an export is a file that can be imported again.
    export_form_class = ExportForm
    import_models: tuple = ()

    def get_import_models(self):
        return self.import_models or (self.model,)

    def add_data_read_fail_error_to_form(self, form, e):
        """A file over a cap: the message names the cap (not « ImportLimitError »)."""
        if isinstance(e, ImportLimitError):
            form.add_error("import_file", str(e))
        else:
            super().add_data_read_fail_error_to_form(form, e)

    def has_import_permission(self, request):
        user = request.user
        for model in self.get_import_models():
            opts = model._meta
            for action in ("add", "change"):
                codename = get_permission_codename(action, opts)
                if not user.has_perm(f"{opts.app_label}.{codename}"):
                    return False
        return not Scope.for_user(user).is_empty

    def has_export_permission(self, request):
        return self.has_view_permission(request)

    def get_export_data(self, file_format, request, queryset, **kwargs):
        """The exported file; an XLSX gets numbers, dates and booleans as such.

        django-import-export asks the widgets for native values only when the
        format's class is one of its own (``type(format) in BINARY_FORMATS``),
        not a subclass such as ``XLSXFormat``: numbers would be text cells.
        """
        if not self.has_export_permission(request):
            raise PermissionDenied
        native = isinstance(file_format, tuple(base_formats.BINARY_FORMATS))
        data = self.get_data_for_export(request, queryset, force_native_type=native, **kwargs)
        return file_format.export_data(data)

    def get_resource_kwargs(self, request, *args, **kwargs):
        kwargs = super().get_resource_kwargs(request, *args, **kwargs)
        kwargs.pop("form", None)
        kwargs["user"] = request.user
        return kwargs

    def get_import_data_kwargs(self, **kwargs):
        kwargs = super().get_import_data_kwargs(**kwargs)
        kwargs.pop("request", None)
        kwargs["rollback_on_validation_errors"] = True
        return kwargs

    def get_export_filename(self, request, queryset, file_format):
        day = timezone.localdate().isoformat()
        name = slugify(str(self.model._meta.verbose_name_plural))
        return f"{name}-{day}.{file_format.get_extension()}"

    def process_result(self, result, request):
        if result.has_errors() or result.has_validation_errors():
            # The file changed between the preview and the confirmation: nothing
            # was saved (the transaction was rolled back).
            messages.error(
                request,
                _("Import annulé, rien n'a été enregistré : %(errors)s")
                % {"errors": summarize(result)},
            )
            url = reverse(
                "admin:{}_{}_import".format(*self.get_model_info()),
                current_app=self.admin_site.name,
            )
            return HttpResponseRedirect(url)
        return super().process_result(result, request)

    def add_success_message(self, result, request):
        totals = result.totals
        messages.success(
            request,
            _(
                "Import terminé : %(new)d création(s), %(updated)d mise(s) à jour, "
                "%(skipped)d ligne(s) inchangée(s)."
            )
            % {
                "new": totals[RowResult.IMPORT_TYPE_NEW],
                "updated": totals[RowResult.IMPORT_TYPE_UPDATE],
                "skipped": totals[RowResult.IMPORT_TYPE_SKIP],
            },
        )


def row_errors(result) -> list[tuple[int, str, str]]:
    """Every row error of an import result: ``(row number, column, message)``.

    Row 1 is the first line after the header.
    """
    found = []
    for error in result.base_errors:
        found.append((0, "", str(error.error)))
    for number, errors in result.row_errors():
        for error in errors:
            found.append((number, "", str(error.error)))
    for row in result.invalid_rows:
        for column, messages_ in row.error_dict.items():
            label = "" if column == NON_FIELD_ERRORS else column
            for message in messages_:
                found.append((row.number, label, str(message)))
    return sorted(found, key=lambda item: item[0])


def summarize(result, limit: int = 5) -> str:
    errors = row_errors(result)
    parts = [
        (_("ligne %(number)s, ") % {"number": n} if n else "")
        + (_("colonne « %(column)s » : ") % {"column": c} if c else "")
        + str(m)
        for n, c, m in errors[:limit]
    ]
    more = len(errors) - limit
    tail = _(" ; et %(count)d autre(s) erreur(s).") % {"count": more} if more > 0 else "."
    return " ; ".join(parts) + tail


# -- fields shared by the resources -------------------------------------------
def text_field(name: str) -> Field:
    return Field(attribute=name, column_name=name, widget=TextWidget())


def commune_field() -> Field:
    """``commune``: the INSEE code (hubs and event venues)."""
    return Field(
        attribute="commune",
        column_name="commune",
        widget=CodeWidget(
            Commune, "insee", gettext_lazy("code INSEE de commune"), clean_code=clean_insee
        ),
    )


def coordinate_field(name: str) -> Field:
    return Field(attribute=name, column_name=name, widget=FloatWidget())
