"""Map settings handed to the front-end as JSON (one place for tiles and view)."""

from django.conf import settings


def map_settings(**overrides) -> dict:
    """Tiles, default view and zoom bounds from LEAFLET_CONFIG and the environment."""
    leaflet = settings.LEAFLET_CONFIG
    config = {
        "center": leaflet["DEFAULT_CENTER"],
        "zoom": leaflet["DEFAULT_ZOOM"],
        "minZoom": leaflet["MIN_ZOOM"],
        "maxZoom": leaflet["MAX_ZOOM"],
        "tiles": {"url": settings.MAP_TILES_URL, "attribution": settings.MAP_TILES_ATTRIBUTION},
    }
    config.update(overrides)
    return config
