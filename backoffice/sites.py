"""The back-office's admin site: Django's, with the query strings it cannot parse refused.

Django's change lists turn most bad filters into their own « ?e=1 » error page,
but not all: a date-hierarchy year out of Python's range (``?updated_at__year=0``
or twenty digits) breaks the query, and a NUL byte is refused by PostgreSQL.
Both are answered here with a 400 before any view runs.

« Voir sur le site » (``/admin/r/<content type>/<id>/``) redirects only those who
may view the record in the admin: Django's shortcut gave any staff account the
public URL of any record, a draft's slug included (issue 14).

« Mon compte » (``/admin/account/``) and the second factor of the login live
here too (backoffice/account_views.py).
"""

from __future__ import annotations

from functools import partial, wraps

from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.http import Http404, HttpResponseBadRequest
from django.urls import path
from django.utils.translation import gettext as _

#: ``<field>__year``, ``__month`` and ``__day`` of a date hierarchy, and their bounds.
DATE_PARTS = {"year": (1, 9998), "month": (1, 12), "day": (1, 31)}


def query_string_error(query) -> str | None:
    """Why the admin cannot use this query string, or None."""
    for key, values in query.lists():
        if "\x00" in key or any("\x00" in value for value in values):
            return _("Caractère nul dans le paramètre « %(name)s ».") % {
                "name": key.replace("\x00", "")
            }
        part = key.rpartition("__")[2]
        if part in DATE_PARTS and "__" in key:
            low, high = DATE_PARTS[part]
            for value in values:
                if not (value.isascii() and value.isdigit() and low <= int(value) <= high):
                    return _("Valeur impossible pour « %(name)s » : %(value)s.") % {
                        "name": key,
                        "value": value[:20],
                    }
    return None


class DirectoryAdminSite(admin.AdminSite):
    def admin_view(self, view, cacheable=False):
        # A view marked ``validates_its_query`` answers bad parameters itself (JSON API).
        if getattr(view, "validates_its_query", False):
            return super().admin_view(view, cacheable)

        @wraps(view)
        def checked(request, *args, **kwargs):
            error = query_string_error(request.GET)
            if error:
                return HttpResponseBadRequest(error, content_type="text/plain; charset=utf-8")
            return view(request, *args, **kwargs)

        return super().admin_view(checked, cacheable)

    def get_urls(self):
        # Imported here, as the models: this module loads before them.
        from . import account_views

        urls = super().get_urls()
        for index, pattern in enumerate(urls):
            if getattr(pattern, "name", None) == "view_on_site":
                view = self.admin_view(self.view_on_site)
                urls[index] = path(str(pattern.pattern), view, name="view_on_site")
        # « Mon compte » and the second factor of the login (backoffice/account_views.py).
        account = [
            path(route, self.admin_view(partial(view, site=self)), name=name)
            for route, view, name in account_views.PAGES
        ]
        return account + urls

    def view_on_site(self, request, content_type_id, object_id):
        """Django's shortcut, for a record the user may view in the admin (their
        territories: the record's ModelAdmin decides, as for its change page); a 404 else."""
        # Imported here, as in Django's get_urls: this module loads before the models.
        from django.contrib.contenttypes.models import ContentType
        from django.contrib.contenttypes.views import shortcut

        try:
            model = ContentType.objects.get_for_id(content_type_id).model_class()
        except (ContentType.DoesNotExist, ValueError):
            raise Http404 from None
        model_admin = self._registry.get(model)
        if model_admin is None:
            raise Http404
        obj = model_admin.get_object(request, unquote(object_id))
        if obj is None or not model_admin.has_view_permission(request, obj):
            raise Http404
        return shortcut(request, content_type_id, object_id)
