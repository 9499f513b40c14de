"""Distances and bounding boxes on WGS84 points stored as two float columns.

No GeoDjango: the haversine formula is written with Django's database
functions, which exist on SQLite (native math functions) and PostgreSQL.
A bounding-box prefilter on indexed columns keeps it fast.
"""

import math
from dataclasses import dataclass

from django.db.models import F, FloatField, Value
from django.db.models.expressions import ExpressionWrapper
from django.db.models.functions import ASin, Cos, Least, Power, Radians, Sin, Sqrt

EARTH_RADIUS_KM = 6371.0088
KM_PER_DEGREE_LAT = 111.32


@dataclass(frozen=True)
class BBox:
    min_lng: float
    min_lat: float
    max_lng: float
    max_lat: float

    def as_lookup(self, lat_field: str = "latitude", lng_field: str = "longitude") -> dict:
        return {
            f"{lat_field}__gte": self.min_lat,
            f"{lat_field}__lte": self.max_lat,
            f"{lng_field}__gte": self.min_lng,
            f"{lng_field}__lte": self.max_lng,
        }


def bbox_around(lat: float, lng: float, km: float) -> BBox:
    """The smallest lat/lng box that contains the circle of radius ``km``."""
    dlat = km / KM_PER_DEGREE_LAT
    # Near the poles the longitude span explodes; clamp to the whole range.
    cos_lat = max(math.cos(math.radians(lat)), 1e-6)
    dlng = min(km / (KM_PER_DEGREE_LAT * cos_lat), 180.0)
    return BBox(
        min_lng=max(lng - dlng, -180.0),
        min_lat=max(lat - dlat, -90.0),
        max_lng=min(lng + dlng, 180.0),
        max_lat=min(lat + dlat, 90.0),
    )


def distance_km_expression(lat: float, lng: float, lat_field="latitude", lng_field="longitude"):
    """A database expression: great-circle distance in km from (lat, lng)."""
    lat0 = Value(math.radians(lat), output_field=FloatField())
    lng0 = Value(math.radians(lng), output_field=FloatField())
    cos_lat0 = Value(math.cos(math.radians(lat)), output_field=FloatField())
    half = Value(0.5, output_field=FloatField())
    dlat = (Radians(F(lat_field)) - lat0) * half
    dlng = (Radians(F(lng_field)) - lng0) * half
    a = Power(Sin(dlat), 2) + cos_lat0 * Cos(Radians(F(lat_field))) * Power(Sin(dlng), 2)
    # Least() guards against a rounding error pushing sqrt(a) a hair above 1.
    central_angle = ASin(Least(Sqrt(a), Value(1.0, output_field=FloatField())))
    return ExpressionWrapper(
        Value(2 * EARTH_RADIUS_KM, output_field=FloatField()) * central_angle,
        output_field=FloatField(),
    )


def haversine_km(lat1: float, lng1: float, lat2: float, lng2: float) -> float:
    """The same distance computed in Python (tests and small lists)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lng2 - lng1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))
