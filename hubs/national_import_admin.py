"""The admin's import of national-schema and fablabs.io files: a preview, then the import.

« Importer des lieux (schéma national, fablabs.io) » on the hubs' changelist. The
kind of file is read from its content (``hubs.imports.read``). The first step runs
the whole import in a transaction that is rolled back and shows what it would do
(created, updated, unchanged, refused with the reason, warnings, possible
duplicates); the file waits in a temporary file named by a signed token; the
second step imports it for real. Same permissions as the template import: add and
change on hubs, and a territory; rows outside the user's territories are refused.
"""

from __future__ import annotations

import os
import tempfile
import uuid

from django import forms
from django.contrib import messages
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from backoffice.imports.limits import ImportLimitError, check_file_size

from .imports.read import TEMPLATE, UnreadableFile, read
from .imports.run import import_records

SALT = "hubs.national-import"
MAX_AGE = 3600  # a preview confirmed within the hour


class NationalImportForm(forms.Form):
    import_file = forms.FileField(
        label=gettext_lazy("Fichier à importer"),
        help_text=gettext_lazy(
            "Schéma national des lieux de médiation numérique (CSV ou JSON, anciens noms de "
            "colonnes compris) ou export JSON des labs de fablabs.io."
        ),
    )

    def clean_import_file(self):
        upload = self.cleaned_data["import_file"]
        try:
            check_file_size(upload.size)
        except ImportLimitError as e:
            raise ValidationError(str(e), code="too_large") from e
        data = upload.read()
        try:
            source = read(data)
        except UnreadableFile as e:
            raise ValidationError(str(e), code="unreadable") from e
        if source.kind == TEMPLATE:
            raise ValidationError(
                _("Ce fichier suit le modèle de docs/import.md : importez-le par « Importer »."),
                code="template",
            )
        self.source, self.file_bytes = source, data
        return upload


def _stash(data: bytes) -> str:
    name = f"hubs-import-{uuid.uuid4().hex}"
    with open(os.path.join(tempfile.gettempdir(), name), "wb") as handle:
        handle.write(data)
    return name


def _unstash(name: str) -> bytes | None:
    file = os.path.join(tempfile.gettempdir(), name)
    try:
        with open(file, "rb") as handle:
            data = handle.read()
    except OSError:
        return None
    os.remove(file)
    return data


class NationalImportMixin:
    """Adds the national / fablabs.io import view to a ModelAdmin of hubs."""

    def get_urls(self):
        info = self.model._meta.app_label, self.model._meta.model_name
        return [
            path(
                "import-national/",
                self.admin_site.admin_view(self.national_import_view),
                name="{}_{}_import_national".format(*info),
            ),
            *super().get_urls(),
        ]

    def national_import_view(self, request):
        if not self.has_import_permission(request):
            raise PermissionDenied
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Importer des lieux (schéma national, fablabs.io)"),
        }
        if request.method == "POST" and "token" in request.POST:
            return self._confirm(request)
        form = NationalImportForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            report = import_records(
                form.source.kind,
                form.source.records,
                user=request.user,
                dry_run=True,
                file_name=form.cleaned_data["import_file"].name,
            )
            token = signing.dumps(
                {
                    "file": _stash(form.file_bytes),
                    "name": form.cleaned_data["import_file"].name[:100],
                    "user": request.user.pk,
                },
                salt=SALT,
            )
            context.update(
                report=report, token=token, file_name=form.cleaned_data["import_file"].name
            )
        context["form"] = form
        return TemplateResponse(request, "admin/hubs/import_national.html", context)

    def _confirm(self, request):
        changelist = reverse(
            f"admin:{self.model._meta.app_label}_{self.model._meta.model_name}_changelist",
            current_app=self.admin_site.name,
        )
        try:
            stash = signing.loads(request.POST["token"], salt=SALT, max_age=MAX_AGE)
        except signing.BadSignature:
            stash = None
        data = _unstash(stash["file"]) if stash and stash.get("user") == request.user.pk else None
        if data is None:
            messages.error(request, _("Aperçu expiré : envoyez le fichier de nouveau."))
            return HttpResponseRedirect(request.path)
        try:
            source = read(data)
        except UnreadableFile as e:
            messages.error(request, str(e))
            return HttpResponseRedirect(request.path)
        try:
            report = import_records(
                source.kind, source.records, user=request.user, file_name=stash["name"]
            )
        except DatabaseError as e:  # the bulk path: the whole file is rolled back
            messages.error(
                request,
                _(
                    "Import annulé, rien n'a été enregistré : erreur de la base de données (%(error)s)."
                )
                % {"error": e},
            )
            return HttpResponseRedirect(request.path)
        messages.success(
            request,
            _(
                "Import terminé : %(new)d création(s), %(updated)d mise(s) à jour, "
                "%(skipped)d inchangée(s), %(refused)d refusée(s), %(duplicates)d doublon(s) "
                "possible(s) à examiner."
            )
            % {
                "new": len(report.created),
                "updated": len(report.updated),
                "skipped": len(report.unchanged),
                "refused": len(report.refused),
                "duplicates": len(report.duplicates),
            },
        )
        return HttpResponseRedirect(changelist)
