"""The admin point picker: latitude/longitude inputs beside a Leaflet map.

django-leaflet's own widget needs GeoDjango (GDAL); ours works on two float
fields. Click the map or drag the marker to set the point; typing in the
inputs moves the marker. "Localiser d'après l'adresse" asks the geocoding view
(``hubs.admin_views``) with the form's address, postcode and commune.
"""

import json

from django import forms
from django.urls import NoReverseMatch, reverse

from web.maps import map_settings


class PointPickerWidget(forms.NumberInput):
    """Put on the longitude field; it finds the other inputs by id.

    The map comes after the longitude input, so after both when the fieldset
    puts latitude and longitude on one line (``("latitude", "longitude")``):
    static/css/admin_point_picker.css then sets it to their right.

    The address, postcode, commune and hub inputs are optional: the script uses
    those the form has (the event form has no postcode, and may have a hub).
    """

    template_name = "hubs/widgets/point_picker.html"  # the form renderer reads app templates

    def __init__(
        self,
        lat_field: str = "latitude",
        attrs=None,
        address_field: str = "street_address",
        postcode_field: str = "postcode",
        commune_field: str = "commune",
        hub_field: str = "hub",
    ):
        self.lat_field = lat_field
        self.address_field = address_field
        self.postcode_field = postcode_field
        self.commune_field = commune_field
        self.hub_field = hub_field
        super().__init__(attrs={"step": "any", **(attrs or {})})

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        # A form prefix ("form-0-longitude") applies to the sibling inputs too.
        prefix = name.rpartition("-")[0]
        prefix = f"{prefix}-" if prefix else ""

        def input_id(field):
            return f"id_{prefix}{field}" if field else ""

        try:
            geocode_url = reverse("admin_geocode")
        except NoReverseMatch:
            geocode_url = ""
        context["picker_config"] = json.dumps(
            map_settings(
                latInput=input_id(self.lat_field),
                lngInput=context["widget"]["attrs"].get("id", f"id_{name}"),
                addressInput=input_id(self.address_field),
                postcodeInput=input_id(self.postcode_field),
                communeInput=input_id(self.commune_field),
                hubInput=input_id(self.hub_field),
                geocodeUrl=geocode_url,
            )
        )
        return context

    class Media:
        css = {"all": ["leaflet/leaflet.css", "css/admin_point_picker.css"]}
        js = ["leaflet/leaflet.js", forms.Script("js/admin_point_picker.js", type="module")]


class OpeningHoursWidget(forms.Textarea):
    """The OpenStreetMap hours, with their plain-French reading below the input
    (``hubs.hours.preview``) once the value parses."""

    template_name = "hubs/widgets/opening_hours.html"

    def __init__(self, attrs=None):
        super().__init__(attrs={"rows": 2, "spellcheck": "false", **(attrs or {})})

    def get_context(self, name, value, attrs):
        from . import hours  # the widget module loads with the forms, before apps

        context = super().get_context(name, value, attrs)
        context["preview"] = hours.preview(value) if value else []
        return context
