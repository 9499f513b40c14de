"""Form fields that parse geographic query parameters strictly.

Each raises a ``ValidationError`` naming what is wrong, so a bad query string
becomes a 400 or a form error, never a 500.
"""

import math

from django import forms
from django.utils.translation import gettext_lazy as _

from .geo import BBox
from .lookup import resolve_territory

MAX_BBOX_SPAN_DEGREES = 360


MAX_PARAM_LENGTH = 200


def _parse_floats(value: str, count: int, message) -> list[float]:
    if len(value) > MAX_PARAM_LENGTH:
        raise forms.ValidationError(message, code="invalid")
    parts = [part.strip() for part in value.split(",")]
    if len(parts) != count:
        raise forms.ValidationError(message, code="invalid")
    try:
        numbers = [float(part) for part in parts]
    except ValueError:
        raise forms.ValidationError(message, code="invalid") from None
    if not all(math.isfinite(number) for number in numbers):
        raise forms.ValidationError(message, code="invalid")
    return numbers


def _check_lat_lng(lat: float, lng: float):
    if not -90 <= lat <= 90:
        raise forms.ValidationError(
            _("La latitude doit être comprise entre -90 et 90 (reçu : %(value)s)."),
            code="out_of_range",
            params={"value": f"{lat:g}"},
        )
    if not -180 <= lng <= 180:
        raise forms.ValidationError(
            _("La longitude doit être comprise entre -180 et 180 (reçu : %(value)s)."),
            code="out_of_range",
            params={"value": f"{lng:g}"},
        )


class BBoxField(forms.CharField):
    """``minLon,minLat,maxLon,maxLat`` in WGS84 degrees."""

    default_error_messages = {
        "invalid": _(
            "Attendu : quatre nombres minLon,minLat,maxLon,maxLat (ex. 3.4,50.3,3.6,50.4)."
        ),
    }

    def to_python(self, value):
        value = super().to_python(value)
        if not value:
            return None
        min_lng, min_lat, max_lng, max_lat = _parse_floats(value, 4, self.error_messages["invalid"])
        _check_lat_lng(min_lat, min_lng)
        _check_lat_lng(max_lat, max_lng)
        if min_lat > max_lat or min_lng > max_lng:
            raise forms.ValidationError(
                _(
                    "Le coin sud-ouest doit précéder le coin nord-est (minLon ≤ maxLon, minLat ≤ maxLat)."
                ),
                code="inverted",
            )
        return BBox(min_lng, min_lat, max_lng, max_lat)


class PointField(forms.CharField):
    """``lat,lng`` in WGS84 degrees."""

    default_error_messages = {
        "invalid": _("Attendu : latitude,longitude (ex. 50.3579,3.5234)."),
    }

    def to_python(self, value):
        value = super().to_python(value)
        if not value:
            return None
        lat, lng = _parse_floats(value, 2, self.error_messages["invalid"])
        _check_lat_lng(lat, lng)
        return (lat, lng)


class TerritoryField(forms.CharField):
    """A territory code (see ``territories.lookup``), resolved to a TerritoryRef."""

    default_error_messages = {
        "unknown": _(
            "Territoire inconnu : « %(value)s ». Donnez un code INSEE de commune, un SIREN "
            "d'intercommunalité, un code de département ou « region:CODE »."
        ),
    }

    def to_python(self, value):
        value = super().to_python(value)
        if not value:
            return None
        ref = resolve_territory(value) if len(value) <= 40 else None
        if ref is None:
            raise forms.ValidationError(
                self.error_messages["unknown"], code="unknown", params={"value": value}
            )
        return ref
