"""The English site: negotiation, the switcher, the JS catalog, caches, catalog completeness."""

import ast
import gettext
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation

from events.models import Event
from hubs.models import HubKind
from tests import factories

LOCALE = Path(settings.BASE_DIR) / "locale" / "en" / "LC_MESSAGES"
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def html_lang(response) -> str:
    return re.search(r'<html lang="([^"]+)"', response.content.decode()).group(1)


def h1(response) -> str:
    match = re.search(r"<h1[^>]*>(.*?)</h1>", response.content.decode(), re.S)
    return re.sub(r"<[^>]+>|\s+", " ", match.group(1)).strip()


@pytest.fixture
def hub(db):
    return factories.hub(name="La Fabrique", kinds=("fablab", "tiers-lieu"))


@pytest.fixture
def event(hub):
    return factories.event(title="Atelier Arduino", hub=hub, kind=Event.Kind.WORKSHOP)


# --------------------------------------------------------------------------- negotiation
@pytest.mark.django_db
def test_french_is_the_default(client, hub):
    response = client.get("/")
    assert html_lang(response) == "fr"
    content = response.content.decode()
    assert "Tous les lieux" in content and "Financements" in content
    # The switcher offers the other language, named in itself.
    assert '<button type="submit" name="language" value="en" lang="en">English</button>' in content


@pytest.mark.django_db
def test_an_unknown_language_falls_back_to_french(client, hub):
    assert html_lang(client.get("/", HTTP_ACCEPT_LANGUAGE="de, es;q=0.8")) == "fr"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("path", "heading"),
    [
        ("/", "Digital hubs near you"),
        ("/hubs/", "All digital hubs"),
        ("/events/", "Events"),
        ("/funding/", "Funding of digital hubs"),
    ],
)
def test_pages_in_english_with_accept_language(client, event, path, heading):
    response = client.get(path, **EN)
    assert response.status_code == 200
    assert html_lang(response) == "en"
    assert h1(response) == heading
    content = response.content.decode()
    for nav in (">Map<", ">All hubs<", ">Events<", ">Funding<"):
        assert nav in content
    assert '<button type="submit" name="language" value="fr" lang="fr">Français</button>' in (
        content
    )
    assert "Accept-Language" in response["Vary"]


@pytest.mark.django_db
def test_filters_and_kinds_in_english(client, hub):
    content = client.get("/hubs/", **EN).content.decode()
    assert "What are you looking for?" in content
    assert "More criteria" in content
    # Seeded kinds are translated; the hub's name (data) stays as typed.
    assert ">Third place<" in content and ">Fablab<" in content
    assert "La Fabrique" in content
    assert "1 hub found" in content


@pytest.mark.django_db
def test_hub_and_event_pages_in_english(client, hub, event):
    content = client.get(hub.get_absolute_url(), **EN).content.decode()
    assert "Third place" in content and "At a glance" in content
    content = client.get(event.get_absolute_url(), **EN).content.decode()
    assert "Practical information" in content and "Add to my calendar" in content
    assert "Atelier Arduino" in content  # the title is data


@pytest.mark.django_db
def test_a_renamed_kind_is_shown_as_typed(client, hub):
    HubKind.objects.filter(slug="tiers-lieu").update(name="Tiers-lieu rural")
    content = client.get("/hubs/", **EN).content.decode()
    assert "Tiers-lieu rural" in content and "Third place" not in content


def test_seeded_vocabulary_names_are_all_in_the_catalog():
    """hubs/vocabularies.py lists every name the seed migration creates."""
    from hubs.vocabularies import SEEDED_NAMES

    migration = Path(settings.BASE_DIR) / "hubs/migrations/0002_reference_vocabularies.py"
    tree = ast.parse(migration.read_text())
    seeded = set()
    for node in tree.body:
        if isinstance(node, ast.Assign) and node.targets[0].id in {
            "KINDS",
            "EQUIPMENT",
            "AUDIENCES",
            "LABELS",
        }:
            seeded |= {ast.literal_eval(row)[1] for row in node.value.elts}
    assert seeded == set(SEEDED_NAMES)
    with translation.override("en"):
        assert translation.gettext("Tiers-lieu") == "Third place"
        assert translation.gettext("Pépinière d'entreprises") == "Business incubator"


@pytest.mark.django_db
def test_the_language_cookie_chooses_english(client, hub):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get("/")
    assert html_lang(response) == "en"
    assert "Digital hubs near you" in response.content.decode()


@pytest.mark.django_db
def test_admin_change_form_in_english(client, hub):
    admin = factories.superuser("root")
    client.force_login(admin)
    response = client.get(f"/admin/hubs/hub/{hub.pk}/change/", **EN)
    assert response.status_code == 200
    content = response.content.decode()
    assert html_lang(response) == "en"
    assert "Digital hubs — administration" in content
    assert "Change hub" in content  # Django's chrome with our verbose name
    assert "Address and position" in content  # a fieldset
    assert "Opening hours" in content  # a field label
    assert "<label" in content and "Postcode" in content
    # The admin's own switcher (user links).
    assert 'value="fr" lang="fr">Français</button>' in content
    assert "Back to draft" in client.get("/admin/hubs/hub/", **EN).content.decode()


# --------------------------------------------------------------------------- switcher
@pytest.mark.django_db
def test_switcher_sets_the_cookie_and_goes_back_to_the_page(client, hub):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/hubs/?q=fab&page=1"})
    assert response.status_code == 302
    assert response["Location"] == "/hubs/?q=fab&page=1"
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    assert html_lang(client.get("/hubs/")) == "en"
    response = client.post("/i18n/setlang/", {"language": "fr", "next": "/"})
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "fr"
    assert html_lang(client.get("/")) == "fr"


@pytest.mark.django_db
@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/x", "javascript:x"])
def test_switcher_refuses_an_external_next(client, target):
    response = client.post("/i18n/setlang/", {"language": "en", "next": target})
    assert response.status_code == 302
    assert response["Location"] == "/"


@pytest.mark.django_db
def test_switcher_form_keeps_the_full_path(client, hub):
    content = client.get("/hubs/", {"q": "fab", "kind": "fablab"}).content.decode()
    form = re.search(r'<form class="lang-switch".*?</form>', content, re.S).group(0)
    assert 'action="/i18n/setlang/" method="post"' in form
    assert 'name="csrfmiddlewaretoken"' in form
    assert 'name="next" value="/hubs/?q=fab&amp;kind=fablab"' in form


@pytest.mark.django_db
def test_switcher_needs_the_csrf_token():
    from django.test import Client

    response = Client(enforce_csrf_checks=True).post("/i18n/setlang/", {"language": "en"})
    assert response.status_code == 403


# --------------------------------------------------------------------------- JavaScript
def test_js_catalog_per_language(client):
    response = client.get("/jsi18n/en.js")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    body = response.content.decode()
    assert '"Zoom in"' in body and '"See the hub page \\u2192"' in body
    assert "public, max-age=" in response["Cache-Control"]
    # The body depends on the URL only, not on the visitor's language.
    assert client.get("/jsi18n/en.js", HTTP_ACCEPT_LANGUAGE="fr").content == response.content
    french = client.get("/jsi18n/fr.js", **EN)
    assert french.status_code == 200 and "Zoom in" not in french.content.decode()
    assert client.get("/jsi18n/de.js").status_code == 404
    # Conditional requests: 304 while the catalogs are unchanged.
    again = client.get("/jsi18n/en.js", HTTP_IF_MODIFIED_SINCE=response["Last-Modified"])
    assert again.status_code == 304


@pytest.mark.django_db
def test_pages_load_the_catalog_of_their_language_before_the_scripts(client, hub):
    content = client.get("/", **EN).content.decode()
    catalog = content.index('<script src="/jsi18n/en.js"></script>')
    assert catalog < content.index('src="/static/js/map.js"')
    assert '<script src="/jsi18n/fr.js"></script>' in client.get("/").content.decode()


# --------------------------------------------------------------------------- caches
@pytest.mark.django_db
def test_api_responses_are_kept_per_language(client, hub):
    url = f"/api/v1/hubs/{hub.pk}.json"
    french = client.get(url)
    english = client.get(url, **EN)
    assert french.json()["status_label"] == "ouvert"
    assert english.json()["status_label"] == "open"
    assert french["ETag"] != english["ETag"]
    assert {"Accept-Language", "Cookie"} <= {v.strip() for v in english["Vary"].split(",")}
    # A French ETag does not give a 304 to an English visitor.
    assert client.get(url, HTTP_IF_NONE_MATCH=french["ETag"], **EN).status_code == 200


@pytest.mark.django_db
def test_cached_geojson_and_feeds_do_not_mix_languages(client, event):
    for url in ("/api/v1/events.geojson", "/api/v1/events.ics"):
        french = client.get(url).content.decode()
        english = client.get(url, **EN).content.decode()
        assert french != english, url
    assert "workshop" in client.get("/api/v1/events.geojson", **EN).content.decode()
    assert "atelier" in client.get("/api/v1/events.geojson").content.decode()


@pytest.mark.django_db
def test_funding_dashboard_cache_is_per_language(client, hub):
    from funding.models import FinancingLine, FundedOperation, Funder

    feder = Funder.objects.create(name="FEDER", slug="feder", category=Funder.Category.EU_FUND)
    operation = FundedOperation.objects.create(
        hub=hub, title="Aménagement", total_cost=100000, purpose=FundedOperation.Purpose.INVESTMENT
    )
    FinancingLine.objects.create(
        operation=operation, funder=feder, amount=60000, status=FinancingLine.Status.GRANTED
    )
    french = client.get("/funding/").content.decode()
    assert "Fonds européen" in french and "60\u202f000\u00a0€" in french
    content = client.get("/funding/", **EN).content.decode()
    assert "EU fund" in content and "Fonds européen" not in content
    assert "€60,000" in content and "60%" in content  # English number formats
    assert '<th scope="col">State</th>' in content  # « État », the funder, not a status


@pytest.mark.django_db
def test_autocomplete_varies_on_the_language(client, hub):
    response = client.get("/api/v1/territories/autocomplete", {"q": "nord"}, **EN)
    assert response.status_code == 200
    assert {"Accept-Language", "Cookie"} <= {v.strip() for v in response["Vary"].split(",")}


# --------------------------------------------------------------------------- catalogs
def parse_po(path: Path) -> list[dict]:
    """Entries of a .po file: msgctxt, msgid, msgid_plural, msgstr (dict by index), flags."""
    entries, entry, field = [], None, None
    for line in [*path.read_text(encoding="utf-8").splitlines(), ""]:
        if not line.strip():
            if entry is not None:
                entries.append(entry)
            entry = None
            continue
        if entry is None:
            entry = {
                "msgctxt": None,
                "msgid": "",
                "msgid_plural": None,
                "msgstr": {},
                "flags": set(),
            }
        if line.startswith("#,"):
            entry["flags"] |= {flag.strip() for flag in line[2:].split(",")}
        elif line.startswith("#"):
            continue
        elif match := re.match(
            r"^(msgctxt|msgid_plural|msgid|msgstr)(?:\[(\d+)\])? (\".*\")$", line
        ):
            key, index, text = match.groups()
            text = ast.literal_eval(text)
            if key == "msgstr":
                field = ("msgstr", int(index or 0))
                entry["msgstr"][field[1]] = text
            else:
                field = (key, None)
                entry[key] = text
        elif line.startswith('"'):
            text = ast.literal_eval(line)
            if field[0] == "msgstr":
                entry["msgstr"][field[1]] += text
            else:
                entry[field[0]] += text
    return entries


PO_FILES = sorted(LOCALE.glob("*.po"))
PLACEHOLDER = re.compile(r"%\(\w+\)[-#0 +]*\d*(?:\.\d+)?[sdf]|%%|%[sd]|\{\w*\}")


def test_catalogs_exist():
    assert {p.name for p in PO_FILES} == {"django.po", "djangojs.po"}


@pytest.mark.parametrize("po", PO_FILES, ids=lambda p: p.name)
def test_catalog_is_complete(po):
    entries = parse_po(po)
    header, entries = entries[0], entries[1:]
    assert header["msgid"] == "" and "fuzzy" not in header["flags"]
    assert len(entries) > 20
    for entry in entries:
        assert "fuzzy" not in entry["flags"], entry["msgid"]
        assert entry["msgstr"] and all(entry["msgstr"].values()), f"untranslated: {entry['msgid']}"
        if entry["msgid_plural"] is None:
            sources = {0: entry["msgid"]}
        else:
            assert sorted(entry["msgstr"]) == [0, 1], entry["msgid"]
            sources = {0: entry["msgid"], 1: entry["msgid_plural"]}
        for index, source in sources.items():
            assert sorted(PLACEHOLDER.findall(entry["msgstr"][index])) == sorted(
                PLACEHOLDER.findall(source)
            ), f"placeholders differ: {source!r}"


@pytest.mark.parametrize("po", PO_FILES, ids=lambda p: p.name)
def test_compiled_catalog_matches_its_po(po):
    """The committed .mo is compiled from the current .po (run ``make messages``)."""
    mo = po.with_suffix(".mo")
    assert mo.exists(), f"{mo.name} missing: run make messages"
    with mo.open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    catalog = compiled._catalog  # {msgid: str, (msgid, n): str} as gettext reads it
    expected = {}
    for entry in parse_po(po)[1:]:
        # gettext keys a message with a context as "context\x04msgid".
        context = "" if entry["msgctxt"] is None else entry["msgctxt"] + "\x04"
        if entry["msgid_plural"] is None:
            expected[context + entry["msgid"]] = entry["msgstr"][0]
        else:
            for index, text in entry["msgstr"].items():
                expected[(context + entry["msgid"], index)] = text
    actual = {key: value for key, value in catalog.items() if key != ""}
    assert actual == expected


# Not translated source files, as in the Makefile's I18N_IGNORE.
NOT_EXTRACTED = {".venv", "bench", "tests", "docs", "staticfiles", "media", "artifacts"}
NOT_EXTRACTED |= {"node_modules", ".git", ".pytest_cache", ".ruff_cache", ".hypothesis"}


@pytest.mark.skipif(
    shutil.which("xgettext") is None,
    reason="needs GNU gettext (apt-get install gettext), which .ci/run installs",
)
def test_catalogs_hold_every_source_string(tmp_path):
    """A French string added to the code or the templates is in the English catalogs
    (``make messages``): extracted again from a copy of the sources, none is missing
    and none is left over."""
    root = Path(settings.BASE_DIR)
    copy = tmp_path / "project"
    shutil.copytree(
        root,
        copy,
        ignore=lambda folder, names: [
            name
            for name in names
            if name in NOT_EXTRACTED
            or name.endswith((".sqlite3", ".pyc"))
            or (Path(folder) == root / "static" and name == "vendor")
            or (Path(folder) == root / "locale" / "en" / "LC_MESSAGES")
        ],
    )
    environment = {**os.environ, "DJANGO_DEBUG": "true", "DATABASE_URL": "sqlite://:memory:"}
    for arguments in (["--ignore=static"], ["-d", "djangojs"]):
        subprocess.run(  # noqa: S603 (our own manage.py, fixed arguments)
            [sys.executable, "manage.py", "makemessages", "-l", "en", *arguments],
            cwd=copy,
            env=environment,
            check=True,
            capture_output=True,
        )
    for po in PO_FILES:
        extracted = copy / "locale" / "en" / "LC_MESSAGES" / po.name

        def keys(path):
            return {(e["msgctxt"], e["msgid"]) for e in parse_po(path)[1:]}

        assert keys(extracted) - keys(po) == set(), f"missing from {po.name}: run make messages"
        assert keys(po) - keys(extracted) == set(), f"left over in {po.name}: run make messages"


@pytest.mark.django_db
def test_french_texts_are_marked_french_on_the_english_site(client, hub):
    """WCAG 3.1.2: typed texts keep lang="fr" on an English page, with one line saying so."""
    hub.description = "Un atelier partagé."
    hub.save()
    english = client.get(hub.get_absolute_url(), **EN).content.decode()
    assert re.search(r'<h1 lang="fr">La Fabrique</h1>', english)
    assert re.search(r'<p class="hub__summary" lang="fr">', english)
    assert '<div lang="fr"><p>Un atelier partagé.</p></div>' in english
    assert "Descriptions are written in French" in english
    listing = client.get("/hubs/", **EN).content.decode()
    assert 'class="hub-card__summary" lang="fr"' in listing
    french = client.get(hub.get_absolute_url()).content.decode()
    assert 'lang="fr">' not in french.split("<body", 1)[1]  # the page is French already
    assert "rédigées en français" not in french


@pytest.mark.django_db
def test_event_texts_are_marked_french_on_the_english_site(client, event):
    english = client.get(event.get_absolute_url(), **EN).content.decode()
    assert '<h1 lang="fr">Atelier Arduino</h1>' in english
    agenda = client.get("/events/", **EN).content.decode()
    assert 'class="event-card__title" lang="fr"' in agenda


@pytest.mark.django_db
def test_funder_names_are_marked_french_on_the_english_dashboard(client, demo_funding):
    english = client.get("/funding/", **EN).content.decode()
    assert '<abbr lang="fr" title="Fonds social européen">FSE</abbr>' in english
    french = client.get("/funding/").content.decode()
    assert '<abbr title="Fonds social européen">FSE</abbr>' in french


# --------------------------------------------------------------------------- French plurals
def _unquote(lines: str) -> str:
    return "".join(ast.literal_eval(line) for line in lines.split("\n"))


def test_french_says_zero_in_the_singular():
    """« 0 lieu trouvé », never « 0 lieux trouvés »: every plural message of the site
    is in the French catalogue (scripts/french_plurals.py), under French's rule."""
    import scripts.french_plurals as french

    english = french.plural_entries((LOCALE / "django.po").read_text(encoding="utf-8"))
    assert len(english) > 20
    written = french.plural_entries(french.TARGET.read_text(encoding="utf-8"))
    assert [{k: _unquote(v) for k, v in e.items()} for e in written] == [
        {k: _unquote(v) for k, v in e.items()} for e in english
    ], "the French plurals are behind the English catalogue: run `make messages`"
    with translation.override("fr"):
        for entry in english:
            singular, plural = _unquote(entry["msgid"]), _unquote(entry["msgid_plural"])
            assert translation.ngettext(singular, plural, 0) == singular
            assert translation.ngettext(singular, plural, 1) == singular
            assert translation.ngettext(singular, plural, 2) == plural


@pytest.mark.django_db
def test_an_empty_search_is_counted_in_the_singular(client):
    response = client.get("/hubs/", {"q": "aucun lieu ne porte ce nom"})
    assert "0 lieu trouvé" in response.content.decode()
    assert "0 lieux" not in response.content.decode()
