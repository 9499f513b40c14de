"""Find a point from an address: the Base Adresse Nationale, or the commune's point.

The admin's point picker asks here. The national address API
(``api-adresse.data.gouv.fr/search/``) answers a GeoJSON FeatureCollection; its
best feature is kept only when it is confident enough and lies in the commune
the editor chose. Anything else (no network, a timeout, an error status, a
garbled body, no or a doubtful answer) falls back to the commune's point from
the local reference data. Nothing here raises on a network problem.

``settings.GEOCODER_URL`` empty means "do not ask": the test run sets it so (pyproject.toml).
"""

import logging
import re
from dataclasses import asdict, dataclass
from urllib.parse import urlencode, urlsplit

from django.conf import settings
from django.utils.translation import gettext as _

from territories.models import Commune
from web.http import FetchError, NotJSON, ResponseTooLarge, fetch_json

logger = logging.getLogger(__name__)

BAN_SEARCH_URL = "https://api-adresse.data.gouv.fr/search/"
USER_AGENT = "lieux-numeriques/1.0 (back-office, point picker)"
MAX_QUERY_LENGTH = 200  # the API refuses longer queries
MAX_BODY_BYTES = 256 * 1024  # one feature is a few hundred bytes

SOURCE_BAN = "ban"
SOURCE_COMMUNE = "commune"

_POSTCODE = re.compile(r"^\d{5}$")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]+")

# The address API files Paris, Lyon and Marseille addresses under their
# arrondissements municipaux; our reference data has the communes only.
_ARRONDISSEMENTS = {
    "75056": {f"751{n:02d}" for n in range(1, 21)},
    "69123": {f"6938{n}" for n in range(1, 10)},
    "13055": {f"132{n:02d}" for n in range(1, 17)},
}


@dataclass(frozen=True)
class GeocodeResult:
    lat: float | None
    lng: float | None
    label: str
    source: str  # SOURCE_BAN or SOURCE_COMMUNE
    score: float | None = None
    message: str = ""

    def as_dict(self) -> dict:
        return asdict(self)


def geocode(address: str, commune: Commune, postcode: str = "") -> GeocodeResult:
    """The address's point in ``commune``, or the commune's own point."""
    address = _clean(address)
    if not address:
        return _commune_point(
            commune, _("Aucune adresse saisie : position de la commune utilisée.")
        )
    found = _ask_ban(address, commune, _clean(postcode))
    if found is not None:
        return found
    return _commune_point(
        commune, _("Adresse introuvable ou service indisponible : position de la commune utilisée.")
    )


def _clean(text: str) -> str:
    return " ".join(_CONTROL.sub(" ", text or "").split())


def _commune_point(commune: Commune, reason: str) -> GeocodeResult:
    if commune.latitude is None or commune.longitude is None:
        return GeocodeResult(
            lat=None,
            lng=None,
            label=str(commune),
            source=SOURCE_COMMUNE,
            message=_(
                "Adresse introuvable et commune sans position connue : "
                "placez le marqueur sur la carte."
            ),
        )
    return GeocodeResult(
        lat=commune.latitude,
        lng=commune.longitude,
        label=str(commune),
        source=SOURCE_COMMUNE,
        message=f"{reason} {_('Déplacez le marqueur sur le bâtiment.')}",
    )


def _ask_ban(address: str, commune: Commune, postcode: str) -> GeocodeResult | None:
    base = getattr(settings, "GEOCODER_URL", BAN_SEARCH_URL)
    if not base:
        return None
    if urlsplit(base).scheme not in {"http", "https"}:
        logger.warning("GEOCODER_URL is not an http(s) URL: %r", base)
        return None
    timeout = float(getattr(settings, "GEOCODER_TIMEOUT", 3))
    min_score = float(getattr(settings, "GEOCODER_MIN_SCORE", 0.4))

    accepted = {commune.insee} | _ARRONDISSEMENTS.get(commune.insee, set())
    params = {"q": _query(address, commune, postcode), "limit": "1"}
    if commune.insee not in _ARRONDISSEMENTS:
        params["citycode"] = commune.insee
    if _POSTCODE.match(postcode) and postcode in commune.postcode_list:
        params["postcode"] = postcode
    url = f"{base}{'&' if '?' in base else '?'}{urlencode(params)}"
    try:
        data = fetch_json(url, timeout=timeout, max_bytes=MAX_BODY_BYTES, user_agent=USER_AGENT)
    except ResponseTooLarge:
        logger.warning("Geocoder answer too large for %s", url)
        return None
    except NotJSON as error:
        logger.warning("Geocoder answer unreadable (%s) for %s", error.__cause__, url)
        return None
    except FetchError as error:
        if error.status is not None:
            logger.warning("Geocoder answered %s for %s", error.status, url)
        else:  # "unreachable (…)"
            logger.warning("Geocoder %s for %s", error, url)
        return None
    try:
        return _read_answer(data, accepted, min_score, fallback_label=address)
    except (ValueError, TypeError, KeyError, IndexError, AttributeError) as error:
        logger.warning("Geocoder answer unreadable (%s) for %s", error, url)
        return None


def _query(address: str, commune: Commune, postcode: str) -> str:
    """The free text sent: the address, then the postcode and the commune if missing."""
    query = address
    folded = address.casefold()
    if _POSTCODE.match(postcode) and postcode not in address:
        query += f" {postcode}"
    if commune.name.casefold() not in folded:
        query += f" {commune.name}"
    return query[:MAX_QUERY_LENGTH]


def _read_answer(
    data, accepted: set[str], min_score: float, fallback_label: str
) -> GeocodeResult | None:
    """The first feature when it is confident and in the commune, else ``None``."""
    features = data["features"]
    if not features:
        return None
    feature = features[0]
    properties = feature["properties"]
    score = float(properties.get("score", 0))
    if not score >= min_score:  # NaN too
        logger.info("Geocoder result below the minimum score (%.2f)", score)
        return None
    if str(properties.get("citycode", "")) not in accepted:
        logger.info("Geocoder result in another commune (%s)", properties.get("citycode"))
        return None
    lng, lat = (float(value) for value in feature["geometry"]["coordinates"][:2])
    if not (-90 <= lat <= 90 and -180 <= lng <= 180):
        return None
    label = str(properties.get("label") or "").strip() or fallback_label
    return GeocodeResult(
        lat=round(lat, 6),
        lng=round(lng, 6),
        label=label,
        source=SOURCE_BAN,
        score=round(score, 3),
        message=_(
            "Position trouvée : %(label)s (Base Adresse Nationale). "
            "Déplacez le marqueur pour préciser."
        )
        % {"label": label},
    )
