"""What the back-office's pages say and how they fit the screen (issue 18, item 7).

- :func:`error_summary`: the errors of a change form, each named with a link to
  its field (inline formsets' errors too), for the summary at the top of the
  form (``templates/admin/change_form.html``);
- :class:`InlineAddLabelsMixin`: an inline's « add » link in plain French
  (« Ajouter une photo ») instead of Django's « Ajouter un objet Photo
  supplémentaire »;
- :func:`short_datetime`: a changelist date that fits its column.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from django.contrib.admin import helpers
from django.forms.forms import NON_FIELD_ERRORS
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.text import capfirst
from django.utils.timezone import localtime
from django.utils.translation import gettext as _


@dataclass(frozen=True)
class FormError:
    """One line of the error summary: what is wrong (``label``), why, and where."""

    label: str
    message: str
    anchor: str  # an element id of the page, without « # »


def _field_anchor(form, name: str) -> str:
    bound = form[name]
    return bound.id_for_label or bound.auto_id or ""


def _form_errors(form, label_prefix: str = "", row_anchor: str = "") -> list[FormError]:
    errors = []
    for name, messages in form.errors.items():
        if name == NON_FIELD_ERRORS:
            # The main form's own are shown under Django's note already; a row's
            # link to the row.
            if not row_anchor:
                continue
            label, anchor = label_prefix, row_anchor
        elif name in form.fields:
            field_label = capfirst(form[name].label)
            label = f"{label_prefix} : {field_label}" if label_prefix else field_label
            anchor = _field_anchor(form, name) or row_anchor
        else:  # an error added for a field the form does not show
            label, anchor = label_prefix or _("Formulaire"), row_anchor
        errors.extend(FormError(str(label), str(message), anchor) for message in messages)
    return errors


def error_summary(adminform, inline_admin_formsets=()) -> list[FormError]:
    """The errors of an admin change form and its inlines, in the page's order.

    A field's error links to its input; an inline formset's own error (« Les
    parts des financeurs font 110 % ») to the inline; a row's error to the row.
    """
    summary = _form_errors(adminform.form) if adminform else []
    for inline_admin_formset in inline_admin_formsets:
        formset = inline_admin_formset.formset
        opts = inline_admin_formset.opts
        group = f"{formset.prefix}-group"  # the id of Django's inline templates
        summary.extend(
            FormError(str(capfirst(opts.verbose_name_plural)), str(message), group)
            for message in formset.non_form_errors()
        )
        for index, form in enumerate(formset.forms):
            if not form.errors:
                continue
            prefix = _("%(name)s n° %(number)d") % {
                "name": capfirst(opts.verbose_name),
                "number": index + 1,
            }
            summary.extend(_form_errors(form, prefix, f"{formset.prefix}-{index}"))
    return summary


class LabelledInlineAdminFormSet(helpers.InlineAdminFormSet):
    """Django's inline helper, whose « add » text is the inline's ``add_label``."""

    def inline_formset_data(self):
        data = json.loads(super().inline_formset_data())
        data["options"]["addText"] = str(self.opts.add_label)
        return json.dumps(data)


class InlineAddLabelsMixin:
    """A ModelAdmin whose inlines may name their « add » link (``add_label``).

    Django's admin script reads the link's text from the inline's
    ``data-inline-formset`` attribute, built from « Add another
    %(verbose_name)s »: in French « Ajouter un objet Photo supplémentaire »,
    which no gender or article can mend. An inline with ``add_label =
    _("Ajouter une photo")`` says that instead.
    """

    def get_inline_formsets(self, request, formsets, inline_instances, obj=None):
        inline_admin_formsets = super().get_inline_formsets(
            request, formsets, inline_instances, obj
        )
        for inline_admin_formset in inline_admin_formsets:
            if getattr(inline_admin_formset.opts, "add_label", None):
                # Same object and state, one method changed: Django builds these
                # helpers itself, with no hook for their class.
                inline_admin_formset.__class__ = LabelledInlineAdminFormSet
        return inline_admin_formsets


def short_datetime(value):
    """A changelist date that fits its column: « 30/11/2026 », the full date and
    time on hover, a ``<time>`` for machines; « — » when empty."""
    if value is None:
        return "—"
    local = localtime(value)
    return format_html(
        '<time datetime="{}" title="{}">{}</time>',
        local.isoformat(),
        date_format(local, "DATETIME_FORMAT"),
        date_format(local, "SHORT_DATE_FORMAT"),
    )
