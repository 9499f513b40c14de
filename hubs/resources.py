"""Bulk import and export of hubs (django-import-export): one row per hub.

The columns are documented in ``docs/import.md``; the key is ``slug`` (a row
whose slug exists updates that hub, otherwise it creates one).
"""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from import_export.fields import Field

from backoffice.imports.resources import (
    ScopedModelResource,
    commune_field,
    coordinate_field,
    text_field,
)
from backoffice.imports.widgets import (
    ChoiceWidget,
    CodeWidget,
    DateWidget,
    IntegerWidget,
    SlugListWidget,
    URLWidget,
    is_blank,
)
from territories.locate import check_point

from .models import Audience, Equipment, Hub, HubKind, Label

HUB_COLUMNS = (
    "slug",
    "name",
    "kinds",
    "summary",
    "description",
    "street_address",
    "postcode",
    "commune",
    "commune_name",
    "latitude",
    "longitude",
    "website",
    "email",
    "phone",
    "opening_hours",
    "equipment",
    "audiences",
    "labels",
    "operator",
    "operator_kind",
    "surface_m2",
    "status",
    "opened_on",
    "parent",
    "publication",
    "sources",
    "external_id",
)


def hub_by_slug(label) -> CodeWidget:
    """A hub named by its slug, looked up in the importing user's territories only.

    A hub elsewhere reads as one that does not exist: « Aucun lieu « x » dans vos
    territoires. » (parent hubs, the hubs of operations and events).
    """
    return CodeWidget(
        Hub,
        "slug",
        label,
        scope_path="commune",
        missing=gettext_lazy("Aucun lieu « %(code)s » dans vos territoires."),
    )


class HubResource(ScopedModelResource):
    scope_paths = ("commune",)
    # Ranges by field validators, parent cycles by Hub.clean(), external_id below.
    constraints_checked_by_fields = True

    slug = text_field("slug")
    name = text_field("name")
    kinds = Field(attribute="kinds", column_name="kinds", widget=SlugListWidget(HubKind, "type"))
    summary = text_field("summary")
    description = text_field("description")
    street_address = text_field("street_address")
    postcode = text_field("postcode")
    commune = commune_field()
    commune_name = Field(attribute="commune__name", column_name="commune_name", readonly=True)
    latitude = coordinate_field("latitude")
    longitude = coordinate_field("longitude")
    website = Field(attribute="website", column_name="website", widget=URLWidget())
    email = text_field("email")
    phone = text_field("phone")
    opening_hours = text_field("opening_hours")
    equipment = Field(
        attribute="equipment",
        column_name="equipment",
        widget=SlugListWidget(Equipment, "équipement"),
    )
    audiences = Field(
        attribute="audiences", column_name="audiences", widget=SlugListWidget(Audience, "public")
    )
    labels = Field(attribute="labels", column_name="labels", widget=SlugListWidget(Label, "label"))
    operator = text_field("operator")
    operator_kind = Field(
        attribute="operator_kind",
        column_name="operator_kind",
        widget=ChoiceWidget(Hub.OperatorKind.choices),
    )
    surface_m2 = Field(attribute="surface_m2", column_name="surface_m2", widget=IntegerWidget())
    status = Field(
        attribute="status", column_name="status", widget=ChoiceWidget(Hub.Status.choices)
    )
    opened_on = Field(attribute="opened_on", column_name="opened_on", widget=DateWidget())
    parent = Field(
        attribute="parent",
        column_name="parent",
        widget=hub_by_slug(gettext_lazy("lieu parent (slug)")),
    )
    publication = Field(
        attribute="publication",
        column_name="publication",
        widget=ChoiceWidget(Hub.Publication.choices),
    )
    sources = text_field("sources")
    external_id = text_field("external_id")

    required_columns = ("slug",)
    keep_if_blank = frozenset({"status", "publication"})
    scope_column = "commune"
    history_label = "import de lieux"

    class Meta:
        name = gettext_lazy("Lieux")
        model = Hub
        fields = HUB_COLUMNS
        import_order = HUB_COLUMNS
        export_order = HUB_COLUMNS
        import_id_fields = ["slug"]

    def after_init_instance(self, instance, new, row, **kwargs):
        self._original_publication = None if new else instance.publication
        super().after_init_instance(instance, new, row, **kwargs)

    def complete_instance(self, instance, row, errors, **kwargs):
        new = instance._state.adding
        if "commune" not in errors and not instance.commune_id:
            errors["commune"] = [_("obligatoire : le code INSEE de la commune (ex. 59606)")]
        if "kinds" not in errors and ("kinds" in row or new) and is_blank(row.get("kinds")):
            errors["kinds"] = [_("au moins un type est obligatoire (ex. fablab, coworking)")]
        self.complete_point(instance, errors)
        if instance.external_id and "external_id" not in errors:
            taken = (
                Hub.objects.select_related("commune__departement")
                .filter(external_id=instance.external_id)
                .exclude(pk=instance.pk)
                .first()
            )
            if taken is not None and self.scope.contains_commune(taken.commune):
                errors["external_id"] = [
                    _(
                        "déjà utilisé par le lieu « %(slug)s » : un identifiant "
                        "externe désigne un seul lieu"
                    )
                    % {"slug": taken.slug}
                ]
            elif taken is not None:  # another territory's hub: not named
                errors["external_id"] = [
                    _("déjà utilisé : un identifiant externe désigne un seul lieu")
                ]
        if new and self.default_publication and is_blank(row.get("publication")):
            instance.publication = self.default_publication
        self.check_publication(instance, self._original_publication, errors)

    def complete_point(self, instance, errors):
        lat, lng = instance.latitude, instance.longitude
        if (lat is None) != (lng is None):
            missing = "longitude" if lng is None else "latitude"
            errors.setdefault(missing, []).append(
                _("donnez la latitude et la longitude, ou aucune des deux (point de la commune)")
            )
            return
        if (
            "commune" in errors
            or not instance.commune_id
            or {"latitude", "longitude"} & set(errors)
        ):
            if lat is None:
                self.clean_exclude |= {"latitude", "longitude"}
            return
        point, why = check_point(instance.commune, lat, lng)
        if why:
            errors["latitude"] = [why]
        else:
            instance.latitude, instance.longitude = point

    def filter_export(self, queryset, **kwargs):
        queryset = queryset.filter(self.scope.communes_q("commune"))
        return (
            queryset.select_related("commune", "parent")
            .prefetch_related("kinds", "equipment", "audiences", "labels")
            .order_by("slug")
        )
