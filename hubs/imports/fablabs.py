"""A lab of the fablabs.io export (a JSON list of labs) → a :class:`MappedHub`.

Matched by ``external_id`` « fablabs.io:<slug> »; ``capabilities`` as the export
writes them (a list, or a ``;``-separated string) become equipment; labs abroad
are refused (the French overseas départements are in France).
"""

from __future__ import annotations

import re
from urllib.parse import urlparse

from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator, URLValidator
from django.utils.html import strip_tags
from django.utils.text import Truncator, slugify
from django.utils.translation import gettext as _

from territories.locate import FRENCH_COUNTRY_CODES, clean_postcode

from ..models import Hub
from .mapped import MappedHub

FABLAB_KIND = "fablab"
NETWORK_LABEL = "reseau-fablab"
HISTORY_REASON = "import fablabs.io"
#: fablabs.io capabilities → equipment of the directory (the others have no equivalent).
CAPABILITY_EQUIPMENT = {
    "three_d_printing": "imprimante-3d",
    "laser": "decoupe-laser",
    "circuit_production": "electronique",
}
SOCIAL_HOSTS = (
    "facebook.com",
    "twitter.com",
    "x.com",
    "instagram.com",
    "linkedin.com",
    "youtube.com",
    "plus.google.com",
    "github.com",
    "wikifactory.com",
)
_EMAIL_IN_TEXT = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")


def _text(value) -> str:
    return str(value).strip() if value not in (None, "") else ""


def lab_slug(lab: dict) -> str:
    url = _text(lab.get("url"))
    if "fablabs.io" in url:
        parts = [part for part in urlparse(url).path.split("/") if part]
        if parts:
            return parts[-1]
    return _text(lab.get("slug")) or slugify(_text(lab.get("name")))


def _valid_url(value: str) -> str:
    if not value:
        return ""
    if "://" not in value:
        value = "https://" + value
    try:
        URLValidator()(value)
    except ValidationError:
        return ""
    return value if len(value) <= 200 else ""


def website(lab: dict) -> str:
    links = []
    for link in lab.get("links") or []:
        url = link.get("url") if isinstance(link, dict) else link
        url = _valid_url(_text(url))
        if url:
            links.append(url)
    own = [u for u in links if not any(host in urlparse(u).netloc for host in SOCIAL_HOSTS)]
    if own or links:
        return (own or links)[0]
    return _valid_url(_text(lab.get("url")))


def email(value: str) -> tuple[str, bool]:
    """A valid address, and whether the given value was unusable as it is."""
    if not value:
        return "", False
    for candidate in [value, *_EMAIL_IN_TEXT.findall(value)]:
        try:
            EmailValidator()(candidate)
        except ValidationError:
            continue
        return candidate, candidate != value
    return "", True


def summary(lab: dict) -> str:
    for text in (lab.get("blurb"), lab.get("description")):
        text = " ".join(strip_tags(_text(text)).split())
        if text:
            return Truncator(text).chars(300)
    return "Fablab référencé sur fablabs.io."


def capabilities(value) -> list[str]:
    """``["laser", "three_d_printing"]`` or « laser;three_d_printing »: the names."""
    if isinstance(value, str):
        items = re.split(r"[;,|]", value)
    elif isinstance(value, list):
        items = [str(item) for item in value]
    else:
        items = []
    return [item.strip().lower() for item in items if item and item.strip()]


def map_lab(lab: dict) -> MappedHub:
    if "__invalid__" in lab:
        return MappedHub("", "", error="fiche illisible (pas un objet JSON)")
    name = _text(lab.get("name"))
    external_id = f"fablabs.io:{lab_slug(lab)}"[:120]
    if not name:
        return MappedHub(external_id, "", error="fiche sans nom")
    country = _text(lab.get("country_code")).lower()
    postcode, city = _text(lab.get("postal_code")), _text(lab.get("city"))
    if country and country not in FRENCH_COUNTRY_CODES:
        return MappedHub(external_id, name, error=f"hors de France ({country.upper()})")
    if not country and not clean_postcode(postcode):
        return MappedHub(
            external_id, name, error="impossible à placer : pays inconnu et pas de code postal"
        )
    warnings = []
    address = ", ".join(p for p in (_text(lab.get("address_1")), _text(lab.get("address_2"))) if p)
    found_email, bad = email(_text(lab.get("email")))
    if bad and not found_email:
        warnings.append(f"courriel « {_text(lab.get('email'))} » invalide, ignoré")
    elif bad:
        warnings.append(f"courriel lu « {found_email} » dans « {_text(lab.get('email'))} »")
    phone = _text(lab.get("phone"))
    if len(phone) > 30:
        warnings.append(f"téléphone « {phone} » trop long, ignoré")
        phone = ""
    fields = {
        "name": name[:200],
        "summary": summary(lab),
        "description": strip_tags(_text(lab.get("description"))),
        "street_address": " ".join(address.split())[:250],
        "website": website(lab),
        "email": found_email,
        "phone": phone,
    }
    keep_if_blank = {"website"} | ({"email"} if bad else set())
    activity = _text(lab.get("activity_status")).lower()
    status = {"closed": Hub.Status.CLOSED, "planned": Hub.Status.PROJECT}.get(activity)
    if status or activity:
        fields["status"] = status or Hub.Status.OPEN
    equipment = [
        CAPABILITY_EQUIPMENT[c]
        for c in capabilities(lab.get("capabilities"))
        if c in CAPABILITY_EQUIPMENT
    ]
    return MappedHub(
        external_id=external_id,
        name=name,
        fields=fields,
        keep_if_blank=frozenset(keep_if_blank),
        address={
            "latitude": lab.get("latitude"),
            "longitude": lab.get("longitude"),
            "postcode": postcode,
            "city": city,
        },
        kinds=[FABLAB_KIND],
        equipment=list(dict.fromkeys(equipment)),
        labels_if_new=[NETWORK_LABEL],
        source_line=_("fablabs.io : %(url)s") % {"url": _text(lab.get("url")) or external_id},
        warnings=warnings,
    )
