"""schema.org description of a hub, embedded in its page as JSON-LD."""


def hub_jsonld(hub, request) -> dict:
    data = {
        "@context": "https://schema.org",
        "@type": "Place",
        "@id": request.build_absolute_uri(hub.get_absolute_url()),
        "name": hub.name,
        "description": hub.summary,
        "url": request.build_absolute_uri(hub.get_absolute_url()),
        "address": {
            "@type": "PostalAddress",
            "streetAddress": hub.street_address or None,
            "postalCode": hub.postcode or hub.commune.main_postcode or None,
            "addressLocality": hub.commune.name,
            "addressRegion": hub.commune.departement.name,
            "addressCountry": "FR",
        },
        "geo": {
            "@type": "GeoCoordinates",
            "latitude": round(hub.latitude, 6),
            "longitude": round(hub.longitude, 6),
        },
        "telephone": hub.phone or None,
        "email": hub.email or None,
        "sameAs": hub.website or None,
        "amenityFeature": [
            {"@type": "LocationFeatureSpecification", "name": item.name, "value": True}
            for item in hub.equipment.all()
        ]
        or None,
        "photo": [
            {
                "@type": "ImageObject",
                "contentUrl": request.build_absolute_uri(photo.image.url),
                "description": photo.alt_text,
            }
            for photo in hub.photos.all()
        ]
        or None,
    }
    if hub.parent and hub.parent.is_published:
        data["containedInPlace"] = {
            "@type": "Place",
            "name": hub.parent.name,
            "url": request.build_absolute_uri(hub.parent.get_absolute_url()),
        }
    return prune(data)


def prune(value):
    """Drop empty values so the JSON-LD carries only what we know."""
    if isinstance(value, dict):
        return {k: prune(v) for k, v in value.items() if v not in (None, "", [], {})}
    if isinstance(value, list):
        return [prune(v) for v in value]
    return value
