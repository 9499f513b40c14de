"""Admin change forms posted as a browser would: every field with its current value."""

from django import forms
from django.db.models.fields.files import FieldFile


def change_form_data(client, url: str, **changes) -> dict:
    """The POST data of the admin change form at ``url``, with ``changes`` applied."""
    response = client.get(url)
    assert response.status_code == 200
    data = {}

    def add(form):
        for bound in form:
            value = bound.value()
            if value is None or value is False or isinstance(value, FieldFile):
                continue  # (a stored file is not sent back by a browser)
            widget = getattr(bound.field.widget, "widget", bound.field.widget)  # (admin wrapper)
            if isinstance(widget, forms.MultiWidget):  # a date and a time, say
                parts = value if isinstance(value, list) else widget.decompress(value)
                for index, (sub, part) in enumerate(zip(widget.widgets, parts, strict=True)):
                    data[f"{bound.html_name}{widget.widgets_names[index]}"] = sub.format_value(part)
                continue
            if isinstance(value, (list, tuple)):
                value = [str(item.pk if hasattr(item, "pk") else item) for item in value]
            elif value is True:
                value = "on"
            data[bound.html_name] = value

    add(response.context["adminform"].form)
    # (a history version's form has no inlines)
    inlines = response.context.get("inline_admin_formsets", [])
    for inline in inlines:
        add(inline.formset.management_form)
        for form in inline.formset.forms:
            add(form)
    return {**data, **changes}
