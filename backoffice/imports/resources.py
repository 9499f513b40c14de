"""The scoped resource every importer builds on, its error reports and shared fields.

A row whose commune is outside the importing user's territories is refused
« hors de votre territoire », and one refused row cancels the whole file.
"""

from __future__ import annotations

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from import_export import widgets
from import_export.fields import Field
from import_export.resources import ModelResource

from backoffice.scoping import Scope
from territories.locate import clean_insee
from territories.models import Commune
from web.spreadsheets import safe_cell

from .widgets import NUMBER_WIDGETS, CodeWidget, FloatWidget, TextWidget, is_blank

OUT_OF_SCOPE = gettext_lazy("hors de votre territoire")


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
        from backoffice.publication import can_publish

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


def scope_for(user) -> Scope:
    """The importing user's scope; a command run without ``--user`` is unrestricted."""
    if user is None:
        return Scope(unrestricted=True)
    return Scope.for_user(user)


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
