"""The back-office's admin site: Django's, with the query strings it cannot parse refused.

Django's change lists turn most bad filters into their own « ?e=1 » error page,
but not all: a date-hierarchy year out of Python's range (``?updated_at__year=0``
or twenty digits) breaks the query, and a NUL byte is refused by PostgreSQL.
Both are answered here with a 400 before any view runs.
"""

from __future__ import annotations

from functools import wraps

from django.contrib import admin
from django.http import HttpResponseBadRequest
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
        @wraps(view)
        def checked(request, *args, **kwargs):
            error = query_string_error(request.GET)
            if error:
                return HttpResponseBadRequest(error, content_type="text/plain; charset=utf-8")
            return view(request, *args, **kwargs)

        return super().admin_view(checked, cacheable)
