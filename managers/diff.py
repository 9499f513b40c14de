"""A change request read field by field: the hub's value now, the value proposed."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.text import capfirst
from django.utils.translation import gettext as _

from hubs import hours
from hubs.models import Hub

from .forms import EDITABLE_FIELDS


@dataclass(frozen=True)
class Row:
    name: str
    label: str
    current: str
    proposed: str

    @property
    def changed(self) -> bool:
        return self.current != self.proposed


def display(name: str, value) -> str:
    """A value as a person reads it: choices by their label, lists joined, empty said."""
    field = Hub._meta.get_field(name)
    if value in (None, "", []):
        return "—"
    if name == "opening_hours":  # the OSM syntax, then how the public page reads it
        return "\n".join([value, *hours.preview(value)])
    if name == "access_modes":
        labels = dict(Hub.AccessMode.choices)
        return "\n".join(str(labels.get(item, item)) for item in value)
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    return str(value)


def rows(change, hub: Hub | None = None) -> list[Row]:
    """One row per proposed field, in the form's order (``hub``: the current hub)."""
    hub = hub or change.hub
    return [
        Row(
            name=name,
            label=capfirst(Hub._meta.get_field(name).verbose_name),
            current=display(name, getattr(hub, name)),
            proposed=display(name, change.data[name]),
        )
        for name in EDITABLE_FIELDS
        if name in change.data
    ]


def summary(change) -> str:
    """The proposed fields' labels, for lists and e-mails."""
    names = [
        str(capfirst(Hub._meta.get_field(n).verbose_name))
        for n in EDITABLE_FIELDS
        if n in change.data
    ]
    if change.photo:
        names.append(_("nouvelle photo"))
    return ", ".join(names) or _("aucun champ")
