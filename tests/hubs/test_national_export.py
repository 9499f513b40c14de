"""/api/v1/lieux-mediation-numerique.csv and .json: the national schema v1.0.2,
validated with frictionless against the schema file committed in standards/."""

import csv
import datetime
import io
import json
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from frictionless import Resource, Schema

from hubs.models import Audience, Equipment, Hub, Label
from hubs.national_export import commune_name, international_phone, resume
from hubs.national_schema import COLUMN_NAMES, SCHEMA_FILE
from tests import factories

CSV_URL = "/api/v1/lieux-mediation-numerique.csv"
JSON_URL = "/api/v1/lieux-mediation-numerique.json"
STANDARD = Path(settings.BASE_DIR) / "standards/mediation-numerique"


def schema() -> Schema:
    # From a dict: frictionless refuses to follow an absolute path it is given.
    return Schema.from_descriptor(json.loads(SCHEMA_FILE.read_text()))


def errors(data: bytes) -> list:
    """Every error frictionless finds in a CSV against the committed schema."""
    report = Resource(data=data, format="csv", schema=schema()).validate()
    return report.flatten(["rowNumber", "fieldName", "type", "message"])


def rows(response) -> list[dict]:
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8"))))


def full_hub(**fields):
    """A hub with every field the schema reads filled in."""
    Audience.objects.get_or_create(slug="seniors", defaults={"name": "Seniors"})
    defaults = {
        "name": "=Espace numérique « Le Lien »",  # a formula-like name stays valid
        "kinds": ("epn", "tiers-lieu"),
        "siret": "43493312300029",
        "street_address": "12 bis rue de Famars",
        "postcode": "59300",
        "website": "https://lelien.example.fr/",
        "email": "contact@lelien.example.fr",
        "phone": "03 27 53 01 00",
        "opening_hours": "Mo-Fr 09:00-12:00,14:00-18:00; Sa 10:00-12:00; PH off",
        "summary": "Accès libre aux ordinateurs, " + "ateliers du quotidien " * 12,
        "description": "Ateliers collectifs et rendez-vous individuels.\n\nPermanences mobiles.",
        "fees": Hub.Fees.CONDITIONAL,
        "fees_details": "Gratuit pour les demandeurs d'emploi",
        "access_modes": ["walk_in", "phone", "online"],
        "booking_url": "https://www.rdv-solidarites.fr/",
        "acceslibre_url": "https://acceslibre.beta.gouv.fr/app/59-valenciennes/a/espace/erp/le-lien/",
        "services": list(Hub.Service.values),
        "support_modes": list(Hub.SupportMode.values),
        "specific_support": list(Hub.SpecificSupport.values),
        "national_programmes": list(Hub.NationalProgramme.values),
        "itinerance": Hub.Itinerance.BOTH,
        "operator": "Association Le Lien",
        "operator_kind": "association",
    }
    hub = factories.hub(**{**defaults, **fields})
    hub.equipment.set(Equipment.objects.filter(slug__in=["ordinateurs", "fibre"]))
    hub.audiences.set(Audience.objects.filter(slug__in=["jeunes", "seniors", "tout-public"]))
    hub.labels.set(Label.objects.all())
    return hub


# ------------------------------------------------------------ schema validity
def test_the_official_example_is_valid_with_our_validator_setup():
    """Sanity of the setup: the standard's own example passes, a broken copy does not."""
    example = (STANDARD / "exemple-valide.csv").read_bytes()
    assert errors(example) == []
    broken = example.replace(b'"43493312300029"', b'"4349"')
    assert [error[1] for error in errors(broken)] == ["pivot"]


def test_the_committed_schema_is_the_published_v1_0_2():
    descriptor = json.loads(SCHEMA_FILE.read_text())
    assert descriptor["version"] == "v1.0.2"
    assert [field["name"] for field in descriptor["fields"]] == COLUMN_NAMES
    assert descriptor["licenses"][0]["name"] == "etalab-2.0"


@pytest.mark.django_db
def test_demo_and_full_hubs_export_with_zero_errors(client, demo_hubs):
    full_hub()
    full_hub(slug="sans-rien", siret="", phone="3939", street_address="", postcode="")
    response = client.get(CSV_URL)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert not response.content.startswith(b"\xef\xbb\xbf")  # plain UTF-8 for programs
    assert errors(response.content) == []
    assert len(rows(response)) == Hub.objects.published().count() == len(demo_hubs) + 2


@pytest.mark.django_db
def test_every_column_of_a_full_hub(client):
    hub = full_hub()
    (row,) = rows(client.get(CSV_URL))
    assert list(row) == COLUMN_NAMES
    assert row["id"] == str(hub.pk)
    assert row["pivot"] == "43493312300029"
    assert row["nom"] == "'=Espace numérique « Le Lien »"  # no formula in a spreadsheet
    assert (row["commune"], row["code_postal"], row["code_insee"]) == (
        "Valenciennes",
        "59300",
        "59606",
    )
    assert row["adresse"] == "12 bis rue de Famars"
    assert row["typologie"] == "TIERS_LIEUX|EPN|ASSO"
    assert row["telephone"] == "+33327530100"
    assert row["courriels"] == "contact@lelien.example.fr"
    assert row["horaires"] == "Mo-Fr 09:00-12:00,14:00-18:00; Sa 10:00-12:00; PH off"
    assert len(row["presentation_resume"]) <= 280 and row["presentation_resume"].endswith("…")
    assert row["presentation_resume"].removesuffix("…").endswith("quotidien")
    assert row["source"] == str(settings.SITE_NAME)
    assert row["itinerance"] == "Fixe|Itinérant"
    assert row["structure_parente"] == "Association Le Lien"
    assert row["date_maj"] == timezone.localdate(hub.updated_at).isoformat()  # Paris date
    assert len(row["services"].split("|")) == 9
    assert row["publics_specifiquement_adresses"] == "Jeunes|Seniors"
    assert row["prise_en_charge_specifique"].split("|")[0] == "Surdité"
    assert row["frais_a_charge"] == "Gratuit sous condition"
    assert len(row["dispositif_programmes_nationaux"].split("|")) == 11
    assert row["formations_labels"] == "Fabriques de Territoire"
    assert row["autres_formations_labels"] == "French Tech|Réseau international des fablabs"
    assert row["modalites_acces"] == "Se présenter|Téléphoner|Prendre un RDV en ligne"
    assert row["modalites_accompagnement"] == (
        "En autonomie|Accompagnement individuel|Dans un atelier collectif|À distance"
    )
    assert row["fiche_acces_libre"].startswith("https://acceslibre.beta.gouv.fr/")
    assert row["prise_rdv"] == "https://www.rdv-solidarites.fr/"


@pytest.mark.django_db
def test_a_hub_with_little_known_gets_the_placeholders_the_schema_wants(client):
    factories.hub(name="Lieu discret", phone="3939", summary="Court.")
    (row,) = rows(client.get(CSV_URL))
    assert row["pivot"] == "00000000000000"  # SIRET unknown
    assert row["adresse"] == "Valenciennes"  # required: the commune stands for it
    assert row["code_postal"] == "59300"  # the commune's
    assert row["telephone"] == ""  # a short number has no international form
    assert row["itinerance"] == "Fixe"
    assert row["services"] == row["frais_a_charge"] == row["modalites_acces"] == ""
    assert row["typologie"] == "FABLAB"


@pytest.mark.django_db
def test_json_is_the_same_records_without_the_empty_columns(client):
    hub = full_hub()
    factories.hub(name="Lieu discret")
    response = client.get(JSON_URL)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    data = response.json()
    assert isinstance(data, list) and len(data) == 2
    full = next(item for item in data if item["id"] == str(hub.pk))
    as_csv = next(row for row in rows(client.get(CSV_URL)) if row["id"] == str(hub.pk))
    assert list(full) == [name for name in COLUMN_NAMES if as_csv[name] != ""]
    assert full["latitude"] == pytest.approx(hub.latitude) and isinstance(full["latitude"], float)
    assert full["nom"] == "=Espace numérique « Le Lien »"  # JSON needs no spreadsheet guard
    discreet = next(item for item in data if item["nom"] == "Lieu discret")
    assert "telephone" not in discreet and discreet["pivot"] == "00000000000000"
    # The JSON validates too, each record read as a row of the schema's columns.
    table = [COLUMN_NAMES] + [[item.get(name) for name in COLUMN_NAMES] for item in data]
    report = Resource(data=table, schema=schema()).validate()
    assert report.flatten(["rowNumber", "fieldName", "message"]) == []


# ------------------------------------------------------------ selection and contract
@pytest.mark.django_db
def test_same_filters_as_the_other_apis(client, demo_hubs):
    def names(params):
        return {row["nom"] for row in rows(client.get(CSV_URL, params))}

    fablabs_62 = names({"kind": "fablab", "territory": "dep:62"})
    assert fablabs_62 == {
        demo_hubs["fablab-cote-opale-marcel-doret"].name,
        demo_hubs["fablab-cote-opale-second-site"].name,
    }
    valenciennes = names({"territory": "245901160"})
    assert demo_hubs["nouvelle-forge"].name in valenciennes
    assert demo_hubs["fablab-cote-opale-marcel-doret"].name not in valenciennes
    ids = {item["id"] for item in client.get(JSON_URL, {"kind": "fablab"}).json()}
    assert ids == {str(hub.pk) for hub in Hub.objects.published().filter(kinds__slug="fablab")}


@pytest.mark.django_db
@pytest.mark.parametrize("url", [CSV_URL, JSON_URL])
def test_a_bad_parameter_is_a_400_naming_it(client, url):
    response = client.get(url, {"territory": "nowhere", "bbox": "1,2"})
    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"territory", "bbox"}


@pytest.mark.django_db
def test_only_published_hubs(client):
    factories.hub(name="Publié")
    factories.hub(name="Brouillon", publication=Hub.Publication.DRAFT)
    factories.hub(name="Archivé", publication=Hub.Publication.ARCHIVED)
    assert [row["nom"] for row in rows(client.get(CSV_URL))] == ["Publié"]
    assert [item["nom"] for item in client.get(JSON_URL).json()] == ["Publié"]


@pytest.mark.django_db
def test_a_draft_parent_is_not_named(client):
    parent = factories.hub(name="Projet secret", publication=Hub.Publication.DRAFT)
    factories.hub(name="Antenne", parent=parent)
    (row,) = rows(client.get(CSV_URL))
    assert row["structure_parente"] == ""
    Hub.objects.filter(pk=parent.pk).update(publication=Hub.Publication.PUBLISHED)
    by_name = {row["nom"]: row for row in rows(client.get(CSV_URL))}
    assert by_name["Antenne"]["structure_parente"] == "Projet secret"


@pytest.mark.django_db
@pytest.mark.parametrize("url", [CSV_URL, JSON_URL])
def test_conditional_get_and_a_renamed_label(client, url):
    hub = full_hub()
    first = client.get(url)
    assert client.get(url, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    Label.objects.filter(slug="french-tech").update(name="La French Tech")
    again = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 200 and "La French Tech" in again.content.decode()
    assert hub.pk


def _at(text: str):
    return datetime.datetime.fromisoformat(text)


@pytest.mark.django_db
@pytest.mark.parametrize("url", [CSV_URL, JSON_URL])
def test_date_maj_is_the_update_or_the_confirmation_since(client, url):
    """``date_maj``: when the listing was last known exact (``Hub.checked_at``), as a
    Paris date; a « toujours exact » confirmation changes the answer's ETag too."""
    confirmed = factories.hub(name="Lieu confirmé")
    updated = factories.hub(name="Lieu mis à jour")
    Hub.objects.filter(pk=confirmed.pk).update(
        updated_at=_at("2025-03-01T10:00:00+00:00"),
        confirmed_at=_at("2025-04-02T22:30:00+00:00"),  # 3 April in Paris
    )
    Hub.objects.filter(pk=updated.pk).update(
        updated_at=_at("2025-04-02T08:00:00+00:00"),
        confirmed_at=_at("2025-03-01T10:00:00+00:00"),
    )

    def dates(response):
        records = response.json() if url == JSON_URL else rows(response)
        return {record["nom"]: record["date_maj"] for record in records}

    first = client.get(url)
    assert dates(first) == {"Lieu confirmé": "2025-04-03", "Lieu mis à jour": "2025-04-02"}
    for hub in (confirmed, updated):
        hub.refresh_from_db()
    assert timezone.localdate(confirmed.checked_at).isoformat() == "2025-04-03"
    assert timezone.localdate(updated.checked_at).isoformat() == "2025-04-02"

    Hub.objects.filter(pk=updated.pk).update(confirmed_at=_at("2025-05-06T09:00:00+00:00"))
    again = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 200
    assert dates(again)["Lieu mis à jour"] == "2025-05-06"


def _make_hubs(count, start=0):
    commune = factories.commune()
    hubs = Hub.objects.bulk_create(
        [
            Hub(
                name=f"Lieu {i}",
                slug=f"lieu-national-{i}",
                commune=commune,
                summary="Résumé",
                latitude=50 + i / 10000,
                longitude=3 + i / 10000,
                publication=Hub.Publication.PUBLISHED,
                services=["internet_access"],
            )
            for i in range(start, start + count)
        ]
    )
    for relation, model in (
        ("kinds", Hub.kinds.field.related_model),
        ("equipment", Equipment),
        ("audiences", Audience),
        ("labels", Label),
    ):
        through = getattr(Hub, relation).through
        target = Hub._meta.get_field(relation).m2m_reverse_field_name()
        through.objects.bulk_create(
            [
                through(hub_id=hub.pk, **{f"{target}_id": item.pk})
                for hub in hubs
                for item in model.objects.all()[:2]
            ]
        )


@pytest.mark.django_db
@pytest.mark.parametrize("url", [CSV_URL, JSON_URL])
def test_query_count_does_not_grow_with_rows(client, url):
    _make_hubs(3)
    with CaptureQueriesContext(connection) as with_three:
        assert client.get(url).status_code == 200
    _make_hubs(297, start=3)
    assert Hub.objects.published().count() == 300
    with CaptureQueriesContext(connection) as with_300:
        response = client.get(url)
        assert response.status_code == 200
    assert len(with_three) == len(with_300) <= 12
    assert errors(client.get(CSV_URL).content) == []


@pytest.mark.django_db
def test_query_count_is_bounded_on_the_demo(client, demo_hubs, django_assert_max_num_queries):
    with django_assert_max_num_queries(12):
        assert client.get(CSV_URL, {"territory": "dep:59"}).status_code == 200


# ------------------------------------------------------------ pieces
@pytest.mark.parametrize(
    ("typed", "international"),
    [
        ("03 27 53 01 00", "+33327530100"),
        ("03.27.53.01.00", "+33327530100"),
        ("+33 3 27 53 01 00", "+33327530100"),
        ("+33 (0)3 27 53 01 00", "+33327530100"),
        ("0033 3 27 53 01 00", "+33327530100"),
        ("06-12-34-56-78", "+33612345678"),
        ("0590 12 34 56", "+590590123456"),  # Guadeloupe
        ("0262 12 34 56", "+262262123456"),  # La Réunion
        ("0692 12 34 56", "+262692123456"),
        ("0590 12 34 5", ""),  # too short
        ("03 27 53 01 00 00", ""),  # too long
        ("+689 40 12 34 56", "+68940123456"),  # Polynésie: already international
        ("+32 2 123 45 67", ""),  # Belgium: not in the schema's list
        ("3939", ""),
        ("", ""),
        ("contact par courriel", ""),
    ],
)
def test_international_phone(typed, international):
    assert international_phone(typed) == international


def test_resume_cuts_after_a_whole_word():
    assert resume("Court.") == "Court."
    assert resume("  deux\nlignes ") == "deux lignes"
    text = "mot " * 100
    cut = resume(text)
    assert len(cut) <= 280 and cut.endswith("mot…")
    assert resume("x" * 300) == "x" * 279 + "…"


@pytest.mark.django_db
def test_itinerance_unknown_is_left_empty(client):
    factories.hub(itinerance="")
    (row,) = rows(client.get(CSV_URL))
    assert row["itinerance"] == ""
    assert errors(client.get(CSV_URL).content) == []


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Château-Chinon (Ville)", "Château-Chinon Ville"),
        ("Valenciennes", "Valenciennes"),
        ("L'Île-d'Yeu", "L'Île-d'Yeu"),
    ],
)
def test_commune_names_without_brackets_for_the_national_tools(name, expected):
    assert commune_name(name) == expected
