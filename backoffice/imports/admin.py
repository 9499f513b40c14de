"""The admin's import and export: CSV and XLSX, a dry-run preview, then all or nothing."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import get_permission_codename
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from import_export.admin import ImportExportMixin
from import_export.formats import base_formats
from import_export.forms import ExportForm, ImportForm
from import_export.results import RowResult

from backoffice.scoping import Scope

from .formats import FORMATS
from .limits import (
    ImportLimitError,
    check_file_size,
)
from .resources import summarize


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
