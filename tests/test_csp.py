"""Content-Security-Policy: no inline or eval'd script anywhere, framing only for /embed/.

The browser tests (tests/browser) fail on any console error, so a script or a
style the policy blocks on a real page fails them too; these tests pin the
policy itself and look for inline code in what we render.
"""

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from tests import factories

ROOT = Path(__file__).resolve().parent.parent


def policy(response) -> dict[str, list[str]]:
    directives = {}
    for part in response["Content-Security-Policy"].split(";"):
        name, *values = part.split()
        directives[name] = values
    return directives


def test_scripts_only_from_our_origin_and_framing_refused(client, db):
    csp = policy(client.get("/hubs/"))
    assert csp["script-src"] == ["'self'"]
    for directive, values in csp.items():
        assert "'unsafe-eval'" not in values, directive
        if directive.startswith("script-src") or directive == "default-src":
            assert "'unsafe-inline'" not in values, directive
    assert csp["default-src"] == ["'self'"]
    assert csp["object-src"] == ["'none'"]
    assert csp["base-uri"] == ["'self'"]
    assert csp["form-action"] == ["'self'"]
    assert csp["frame-ancestors"] == ["'none'"]
    # No inline <style> element; inline style attributes (kind colours) allowed.
    assert csp["style-src-elem"] == ["'self'"]
    assert csp["style-src-attr"] == ["'unsafe-inline'"]


def test_tiles_of_the_configured_server_are_allowed():
    img_src = settings.CONTENT_SECURITY_POLICY["DIRECTIVES"]["img-src"]
    assert "https://*.tile.openstreetmap.fr" in img_src or not settings.MAP_TILES_URL.startswith(
        "https://{s}.tile.openstreetmap.fr"
    )
    from config.settings import _tile_origins

    assert _tile_origins("https://{s}.tile.openstreetmap.fr/osmfr/{z}/{x}/{y}.png") == [
        "https://*.tile.openstreetmap.fr"
    ]
    assert _tile_origins("https://tiles.example.org/{z}/{x}/{y}.png") == [
        "https://tiles.example.org"
    ]
    assert _tile_origins("/local/{z}/{x}/{y}.png") == []


def test_only_the_embed_may_be_framed(client, db):
    embed = client.get("/embed/")
    assert embed.status_code == 200
    assert policy(embed)["frame-ancestors"] == settings.EMBED_FRAME_ANCESTORS == ["*"]
    assert "X-Frame-Options" not in embed
    home = client.get("/")
    assert policy(home)["frame-ancestors"] == ["'none'"]
    assert home["X-Frame-Options"] == "DENY"


class InlineCode(HTMLParser):
    """Collects executable inline scripts, event-handler attributes and javascript: URLs."""

    DATA_TYPES = {"application/json", "application/ld+json"}

    def __init__(self):
        super().__init__()
        self.found: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        for name, value in attrs:
            if name.startswith("on"):
                self.found.append(f"<{tag} {name}=…>")
            if name in {"href", "src", "action"} and (value or "").strip().lower().startswith(
                "javascript:"
            ):
                self.found.append(f"<{tag} {name}=javascript:…>")
        if tag == "script" and "src" not in attributes:
            self._in_script = attributes.get("type") not in self.DATA_TYPES
        if tag == "style":
            self.found.append("<style> element")

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_script = False

    def handle_data(self, data):
        if self._in_script and data.strip():
            self.found.append(f"inline <script>: {data.strip()[:60]}")


def inline_code(html: str) -> list[str]:
    parser = InlineCode()
    parser.feed(html)
    return parser.found


def test_the_checker_finds_inline_code():
    assert inline_code('<script>alert(1)</script><a href="javascript:x()">') == [
        "inline <script>: alert(1)",
        "<a href=javascript:…>",
    ]
    assert inline_code('<button onclick="x()"></button><style>p{}</style>') == [
        "<button onclick=…>",
        "<style> element",
    ]
    assert inline_code('<script type="application/json">{"a": 1}</script>') == []


@pytest.mark.parametrize(
    "template", sorted(p.relative_to(ROOT) for p in ROOT.glob("templates/**/*.html"))
)
def test_no_template_carries_inline_code(template):
    text = (ROOT / template).read_text()
    assert not re.search(r"<script(?![^>]*\bsrc=)(?![^>]*application/(ld\+)?json)[^>]*>", text), (
        template
    )
    assert not re.search(r"\son[a-z]+=", text), template
    assert "javascript:" not in text, template


def test_rendered_pages_carry_no_inline_code(client, demo_hubs):
    hub = next(h for h in demo_hubs.values() if h.publication == "published")
    urls = [
        "/",
        "/embed/",
        reverse("hubs:list"),
        hub.get_absolute_url(),
        reverse("events:agenda"),
        reverse("funding:dashboard"),
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        assert inline_code(response.content.decode()) == [], url
    admin = factories.superuser("root")
    client.force_login(admin)
    for url in [
        reverse("admin:index"),
        reverse("admin:hubs_hub_changelist"),
        reverse("admin:hubs_hub_change", args=[hub.pk]),
        reverse("admin:hubs_hub_history", args=[hub.pk]),
        reverse("admin:hubs_hub_import"),
        reverse("admin:hubs_hub_export"),
        reverse("admin:events_event_add"),
        reverse("admin:funding_fundedoperation_changelist"),
    ]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert inline_code(response.content.decode()) == [], url
