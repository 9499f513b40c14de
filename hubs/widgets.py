"""The admin point picker: latitude/longitude inputs beside a Leaflet map.

django-leaflet's own widget needs GeoDjango (GDAL); ours works on two float
fields. Click the map or drag the marker to set the point; typing in the
inputs moves the marker.
"""

import json

from django import forms

from config.maps import map_settings


class PointPickerWidget(forms.NumberInput):
    """Put on the latitude field; it finds the longitude input by id."""

    template_name = "hubs/widgets/point_picker.html"  # the form renderer reads app templates

    def __init__(self, lng_field: str = "longitude", attrs=None):
        self.lng_field = lng_field
        super().__init__(attrs={"step": "any", **(attrs or {})})

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["picker_config"] = json.dumps(
            map_settings(
                latInput=context["widget"]["attrs"].get("id", f"id_{name}"),
                lngInput=f"id_{self.lng_field}",
            )
        )
        return context

    class Media:
        css = {"all": ["leaflet/leaflet.css", "css/admin_point_picker.css"]}
        js = ["leaflet/leaflet.js", "js/admin_point_picker.js"]
