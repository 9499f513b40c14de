"""Bulk import and export of funded operations with their financing lines.

One row per financing line, the operation's columns repeated on each of its
lines (an operation without lines is one row whose line columns are empty).
Which operation a row belongs to:

1. ``operation_id`` when given (the number the export writes);
2. otherwise ``hub`` + ``operation_title``: the hub's operation of that title,
   created when there is none. Rows of one file with the same hub and title
   are the same operation, and must repeat the same operation columns.

Which line: ``line_id`` when given, otherwise the operation's line of that
``funder`` (created when there is none). See ``docs/import.md``.

The database checks the lines of an operation after every single row
(shares ≤ 100 %, amounts ≤ total cost). So that a file may move money between
the lines of an operation (60/40 → 40/60), the lines the file changes are first
lowered, inside the import's transaction, to the smaller of their old and new
values; each row then raises its line to its new value, and the totals never
exceed what the whole file asks for.
"""

import copy
from decimal import Decimal

import tablib
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from import_export.fields import Field
from import_export.results import RowResult

from backoffice.imports.resources import OUT_OF_SCOPE, ScopedModelResource
from backoffice.imports.widgets import (
    ChoiceWidget,
    CodeWidget,
    DateWidget,
    DecimalWidget,
    IntegerWidget,
    TextWidget,
    is_blank,
)
from hubs.resources import hub_by_slug

from .models import FinancingLine, FundedOperation, Funder

# column: (attribute of the operation, widget)
OPERATION_FIELDS = {
    "operation_id": ("pk", IntegerWidget()),
    "hub": ("hub", hub_by_slug(gettext_lazy("lieu (slug)"))),
    "operation_title": ("title", TextWidget()),
    "operation_purpose": ("purpose", ChoiceWidget(FundedOperation.Purpose.choices)),
    "operation_total_cost": ("total_cost", DecimalWidget()),
    "operation_start_date": ("start_date", DateWidget()),
    "operation_end_date": ("end_date", DateWidget()),
    "operation_programme": ("programme", TextWidget()),
    "operation_notes": ("notes", TextWidget()),
    "operation_source": ("source", TextWidget()),
}
OPERATION_COLUMN_OF = {attr: column for column, (attr, _w) in OPERATION_FIELDS.items()}
LINE_VALUE_COLUMNS = ("funder", "amount", "share", "status", "decision_date", "source")
COLUMNS = (*OPERATION_FIELDS, "line_id", *LINE_VALUE_COLUMNS)


def _operation_field(column, attribute):
    widget = OPERATION_FIELDS[column][1]
    return Field(attribute=attribute, column_name=column, widget=widget, readonly=True)


def _lower(old, new):
    """The smaller contribution of two values (an empty value counts as 0)."""
    return None if old is None or new is None else min(old, new)


class OperationLineResource(ScopedModelResource):
    scope_paths = ("operation__hub__commune",)
    operation_id = _operation_field("operation_id", "operation__pk")
    hub = _operation_field("hub", "operation__hub")
    operation_title = _operation_field("operation_title", "operation__title")
    operation_purpose = _operation_field("operation_purpose", "operation__purpose")
    operation_total_cost = _operation_field("operation_total_cost", "operation__total_cost")
    operation_start_date = _operation_field("operation_start_date", "operation__start_date")
    operation_end_date = _operation_field("operation_end_date", "operation__end_date")
    operation_programme = _operation_field("operation_programme", "operation__programme")
    operation_notes = _operation_field("operation_notes", "operation__notes")
    operation_source = _operation_field("operation_source", "operation__source")
    line_id = Field(attribute="id", column_name="line_id", widget=IntegerWidget(), readonly=True)
    funder = Field(
        attribute="funder",
        column_name="funder",
        widget=CodeWidget(Funder, "slug", gettext_lazy("financeur")),
    )
    amount = Field(attribute="amount", column_name="amount", widget=DecimalWidget())
    share = Field(attribute="share", column_name="share", widget=DecimalWidget())
    status = Field(
        attribute="status",
        column_name="status",
        widget=ChoiceWidget(FinancingLine.Status.choices),
    )
    decision_date = Field(
        attribute="decision_date", column_name="decision_date", widget=DateWidget()
    )
    source = Field(attribute="source", column_name="source", widget=TextWidget())

    required_columns = ("hub", "operation_title", "funder")
    keep_if_blank = frozenset({"status"})
    scope_column = "hub"
    history_label = "import d'opérations"

    class Meta:
        name = gettext_lazy("Opérations et lignes de financement")
        model = FinancingLine
        fields = COLUMNS
        import_order = COLUMNS
        export_order = COLUMNS

    # -- the whole file ------------------------------------------------------
    def before_import(self, dataset, **kwargs):
        super().before_import(dataset, **kwargs)
        self._operations = {}  # key → {"op", "row", "values", "before", "new"}
        self._line_keys = {}  # (operation key, funder slug) → row number
        self._snapshots = {}  # line pk → (share, amount) before the pre-pass
        self._lower_changed_lines(dataset)

    def _clean(self, column, row):
        try:
            return OPERATION_FIELDS[column][1].clean(row.get(column), scope=self.scope)
        except ValueError:
            return None

    def _scoped_operations(self):
        """The operations of the importing user's territories: the only ones a row finds."""
        return FundedOperation.objects.filter(self.scope.communes_q("hub__commune"))

    def _scoped_lines(self):
        return FinancingLine.objects.filter(self.scope.communes_q("operation__hub__commune"))

    def _existing_operation(self, row):
        op_id = self._clean("operation_id", row)
        if op_id:
            return self._scoped_operations().filter(pk=op_id).first()
        hub = self._clean("hub", row)
        title = self._clean("operation_title", row)
        if hub and title:
            found = list(self._scoped_operations().filter(hub=hub, title__iexact=title)[:2])
            return found[0] if len(found) == 1 else None
        return None

    def _lower_changed_lines(self, dataset):
        for values in dataset.dict:
            try:
                line_id = IntegerWidget().clean(values.get("line_id"))
                share = DecimalWidget().clean(values.get("share"))
                amount = DecimalWidget().clean(values.get("amount"))
            except ValueError:
                continue
            line = None
            if line_id:
                line = self._scoped_lines().filter(pk=line_id).first()
            else:
                operation = self._existing_operation(values)
                funder_slug = str(values.get("funder") or "").strip()
                if operation and funder_slug:
                    lines = list(operation.lines.filter(funder__slug=funder_slug)[:2])
                    line = lines[0] if len(lines) == 1 else None
            if line is None or line.pk in self._snapshots:
                continue
            if line.share == share and line.amount == amount:
                continue
            self._snapshots[line.pk] = (line.share, line.amount)
            low_share, low_amount = _lower(line.share, share), _lower(line.amount, amount)
            if low_share is None and low_amount is None:
                low_amount = Decimal(0)
            FinancingLine.objects.filter(pk=line.pk).update(share=low_share, amount=low_amount)

    # -- one row: its operation ----------------------------------------------
    def before_import_row(self, row, **kwargs):
        number = kwargs.get("row_number")
        self._line_only_blank = all(is_blank(row.get(c)) for c in ("funder", "amount", "share"))
        errors, values = {}, {}
        for column in OPERATION_FIELDS:
            if column not in row:
                continue
            try:
                values[column] = OPERATION_FIELDS[column][1].clean(
                    row.get(column), scope=self.scope
                )
            except ValueError as e:
                errors[column] = [str(e)]
        if errors:
            raise ValidationError(errors)
        operation, key = self._find_operation(values)
        entry = self._operations.get(key)
        if entry is not None:
            for column, value in values.items():
                if column != "operation_id" and value != entry["values"].get(column, value):
                    errors[column] = [
                        _(
                            "diffère de la ligne %(row)s pour la même opération : "
                            "répétez les mêmes valeurs d'opération sur chacune de ses lignes"
                        )
                        % {"row": entry["row"]}
                    ]
            if errors:
                raise ValidationError(errors)
            self._entry, self._first_row_of_operation = entry, False
            return
        entry = self._apply_operation(operation, values, number)
        self._operations[key] = entry
        if entry["op"].pk:  # later rows find it in the database by its number
            self._operations[("id", entry["op"].pk)] = entry
        self._entry, self._first_row_of_operation = entry, True

    def _find_operation(self, values):
        op_id, hub = values.get("operation_id"), values.get("hub")
        title = values.get("operation_title") or ""
        if op_id:
            operation = (
                self._scoped_operations().select_related("hub__commune").filter(pk=op_id).first()
            )
            if operation is None:  # unknown, or another territory's: the same message
                raise ValidationError(
                    {
                        "operation_id": [
                            _("Aucune opération n° %(id)s dans vos territoires.") % {"id": op_id}
                        ]
                    }
                )
            if hub is not None and operation.hub_id != hub.pk:
                raise ValidationError(
                    {
                        "hub": [
                            _("l'opération n° %(id)s est celle du lieu « %(slug)s »")
                            % {"id": op_id, "slug": operation.hub.slug}
                        ]
                    }
                )
            return operation, ("id", operation.pk)
        errors = {}
        if hub is None:
            errors["hub"] = [_("obligatoire : le slug du lieu financé")]
        if not title:
            errors["operation_title"] = [_("obligatoire : l'intitulé de l'opération")]
        if errors:
            raise ValidationError(errors)
        found = list(
            FundedOperation.objects.select_related("hub__commune").filter(
                hub=hub, title__iexact=title
            )[:2]
        )
        if len(found) > 1:
            raise ValidationError(
                {
                    "operation_title": [
                        _("le lieu a plusieurs opérations de cet intitulé : indiquez operation_id")
                    ]
                }
            )
        if found:
            return found[0], ("id", found[0].pk)
        return None, ("new", hub.pk, title.lower())

    def _apply_operation(self, operation, values, number):
        new = operation is None
        before = None if new else copy.deepcopy(operation)
        if new:
            operation = FundedOperation()
        else:
            self._check_operation_scope(operation, before=True)
        for column, value in values.items():
            attribute = OPERATION_FIELDS[column][0]
            if attribute == "pk":
                continue
            if value in (None, "") and attribute == "purpose" and not new:
                continue  # keep
            if value is None and attribute in ("title", "programme", "notes", "source"):
                value = ""
            setattr(operation, attribute, value)
        errors = {}
        if new and not operation.purpose:
            errors["operation_purpose"] = [
                _("obligatoire pour une nouvelle opération (%(allowed)s)")
                % {"allowed": ", ".join(code for code, _label in FundedOperation.Purpose.choices)}
            ]
        if operation.hub_id:
            self._check_operation_scope(operation)
        try:
            operation.full_clean(exclude=["purpose"] if errors else None)
        except ValidationError as e:
            for attribute, messages in e.message_dict.items():
                column = OPERATION_COLUMN_OF.get(attribute, NON_FIELD_ERRORS)
                errors.setdefault(column, []).extend(messages)
        if errors:
            raise ValidationError(errors)
        changed = new or any(
            getattr(before, OPERATION_FIELDS[c][0]) != getattr(operation, OPERATION_FIELDS[c][0])
            for c in values
            if c != "operation_id"
        )
        if changed:
            operation._change_reason = self.history_reason()
            if self.user is not None and getattr(self.user, "pk", None):
                operation._history_user = self.user
            with transaction.atomic():
                operation.save()
        return {
            "op": operation,
            "row": number,
            "values": values,
            "before": before,
            "new": new,
            "changed": changed,
        }

    def history_reason(self):
        name = f" ({self.file_name})" if self.file_name else ""
        return f"{self.history_label}{name}"[:100]

    def _check_operation_scope(self, operation, before=False):
        if self.scope.allows(operation, "hub__commune"):
            return
        message = (
            _("hors de votre territoire : cette opération appartient à un autre territoire")
            if before
            else f"{OUT_OF_SCOPE} ({self.scope.describe()})"
        )
        raise ValidationError({"hub": [message]})

    # -- one row: its line -----------------------------------------------------
    def get_instance(self, instance_loader, row):
        entry = self._entry
        operation = entry["op"]
        if self._line_only_blank:
            return None
        line_id = IntegerWidget().clean(row.get("line_id")) if row.get("line_id") else None
        line = None
        if line_id:
            line = self._scoped_lines().filter(pk=line_id).first()
            if line is None:  # unknown, or another territory's: the same message
                raise ValidationError(
                    {
                        "line_id": [
                            _("Aucune ligne de financement n° %(id)s dans vos territoires.")
                            % {"id": line_id}
                        ]
                    }
                )
            if line.operation_id != operation.pk:
                raise ValidationError(
                    {
                        "line_id": [
                            _("la ligne n° %(id)s n'appartient pas à cette opération")
                            % {"id": line_id}
                        ]
                    }
                )
        else:
            funder_slug = str(row.get("funder") or "").strip()
            key = (operation.pk or id(operation), funder_slug)
            if key in self._line_keys:
                raise ValidationError(
                    {
                        "funder": [
                            _(
                                "même opération et même financeur qu'à la ligne %(row)s : "
                                "indiquez line_id pour distinguer les deux lignes"
                            )
                            % {"row": self._line_keys[key]}
                        ]
                    }
                )
            self._line_keys[key] = self._current_row_number
            if operation.pk and funder_slug:
                lines = list(operation.lines.filter(funder__slug=funder_slug)[:2])
                if len(lines) > 1:
                    raise ValidationError(
                        {
                            "funder": [
                                _(
                                    "cette opération a plusieurs lignes de ce financeur : "
                                    "indiquez line_id"
                                )
                            ]
                        }
                    )
                line = lines[0] if lines else None
        if line is not None:
            if line.pk in self._snapshots:
                line.share, line.amount = self._snapshots[line.pk]
            # Compare with the operation as it was before this file changed it.
            line.operation = (
                entry["before"] if self._first_row_of_operation and entry["before"] else operation
            )
        return line

    def import_row(self, row, instance_loader, **kwargs):
        self._current_row_number = kwargs.get("row_number")
        self._entry = None
        return super().import_row(row, instance_loader, **kwargs)

    def import_instance(self, instance, row, **kwargs):
        instance.operation = self._entry["op"]
        if self._line_only_blank:
            return
        super().import_instance(instance, row, **kwargs)

    def complete_instance(self, instance, row, errors, **kwargs):
        if "funder" not in errors and not instance.funder_id:
            errors["funder"] = ["obligatoire : l'identifiant (slug) du financeur"]

    def skip_row(self, instance, original, row, import_validation_errors=None):
        if self._line_only_blank:
            return True
        return super().skip_row(instance, original, row, import_validation_errors)

    def after_import_row(self, row, row_result, **kwargs):
        entry = self._entry
        if entry is None or not self._line_only_blank or row_result.validation_error:
            return
        # A row of an operation without lines: report the operation itself.
        operation = entry["op"]
        if self._first_row_of_operation and entry["new"]:
            row_result.import_type = RowResult.IMPORT_TYPE_NEW
        elif self._first_row_of_operation and entry["changed"]:
            row_result.import_type = RowResult.IMPORT_TYPE_UPDATE
        row_result.object_id = operation.pk
        row_result.object_repr = str(operation)
        row_result.instance = operation

    def after_init_instance(self, instance, new, row, **kwargs):
        if not new:
            self._check_operation_scope(instance.operation, before=True)

    # -- export --------------------------------------------------------------
    def export(self, queryset=None, **kwargs):
        """Lines, or operations (each with its lines, or one row if it has none)."""
        selected = kwargs.get("export_fields")
        if queryset is None:
            queryset = FundedOperation.objects.all()
        line_ids = None
        if queryset.model is FinancingLine:
            line_ids = set(queryset.values_list("pk", flat=True))
            queryset = FundedOperation.objects.filter(pk__in=queryset.values("operation_id"))
        operations = (
            FundedOperation.objects.filter(pk__in=queryset.values("pk"))
            .filter(self.scope.communes_q("hub__commune"))
            .select_related("hub")
            .prefetch_related("lines__funder")
            .order_by("hub__slug", "start_date", "title", "pk")
        )
        fields = self.get_export_fields(selected)
        dataset = tablib.Dataset(headers=self.get_export_headers(selected_fields=selected))
        line_columns = {"line_id", *LINE_VALUE_COLUMNS}
        for operation in operations:
            lines = sorted(operation.lines.all(), key=lambda line: line.pk)
            if line_ids is not None:
                lines = [line for line in lines if line.pk in line_ids]
            for line in lines:
                line.operation = operation
                dataset.append(self.export_resource(line, selected_fields=selected, **kwargs))
            if not lines and line_ids is None:
                empty = FinancingLine(operation=operation)
                row = self.export_resource(empty, selected_fields=selected, **kwargs)
                dataset.append(
                    [
                        ("" if not kwargs.get("force_native_type") else None)
                        if field.column_name in line_columns
                        else value
                        for field, value in zip(fields, row, strict=True)
                    ]
                )
        return dataset
