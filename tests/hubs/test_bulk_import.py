"""The bulk path of national-schema imports (``hubs.imports.bulk``, the default) against
the per-row path (``bulk=False``): the same hubs, links, search text, history rows and
report for a file of creations, updates and unchanged records; a second run that
changes nothing; a hard error that leaves nothing written; the progress by batches;
the command's own caps on a file's rows."""

import io
import json

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError

from backoffice.imports.limits import ImportLimits
from hubs.imports import run as import_run
from hubs.imports.read import read
from hubs.imports.run import import_records
from hubs.imports.save import HubWriter
from hubs.models import Hub, PossibleDuplicate
from territories.models import Commune
from tests import factories

pytestmark = pytest.mark.django_db

SOURCE = "test-bulk"


def record(number, name=None, **fields):
    base = {
        "id": str(number),
        "source": SOURCE,
        "nom": name or f"Lieu {number}",
        "adresse": f"{number} rue de Paris",
        "commune": "Lille",
        "code_postal": "59000",
        "typologie": "EPN",
        "horaires": "Mo-Fr 09:00-12:00",
        "services": "Aide aux démarches administratives",
    }
    return {**base, **fields}


FIRST = [
    record(1),
    record(2),
    record(3),
    record(4),
    record(5, latitude=50.6292, longitude=3.0573),
]
SECOND = [
    record(1),  # unchanged
    record(2, "Lieu deux renommé", horaires="Mo-Sa 10:00-18:00"),  # updated: a history row
    record(3, typologie="EPN|FABLAB"),  # a kind more only: search text, no history row
    record(4, publics_specifiquement_adresses="Jeunes"),  # an audience more only: the same
    record(5, latitude=50.6295, longitude=3.0575),  # moved: updated
    record(6, "Maison du numérique", latitude=50.6365, longitude=3.0636),  # a duplicate
    record(7, commune="Atlantide", code_postal="99999"),  # refused: cannot be placed
    record(  # a warning; an equipment
        8,
        courriels="pas-un-courriel",
        typologie="TIERS_LIEUX|FABLAB",
        services="Accès internet et matériel informatique",
    ),
    record(9, "Lieu neuf", latitude=50.64, longitude=3.07),
    record(10, "LIEU NEUF", latitude=50.6401, longitude=3.0701),  # a duplicate of n° 9
    record(9, "Lieu neuf répété"),  # the same source id twice: refused
    record(11, "Lieu 1"),  # the same name as n° 1: another slug
]


def snapshot(report):
    """Everything an import leaves, keyed by source id (not by primary key)."""
    skip = {"id", "created_at", "updated_at", "commune"}
    hubs = {}
    for hub in Hub.objects.filter(external_id__startswith=f"{SOURCE}:").order_by("external_id"):
        values = {f.attname: getattr(hub, f.attname) for f in Hub._meta.concrete_fields}
        values = {k: v for k, v in values.items() if k not in skip}
        for relation in ("kinds", "equipment", "audiences", "labels"):
            values[relation] = sorted(getattr(hub, relation).values_list("slug", flat=True))
        values["history"] = [
            (h.history_type, h.history_user_id, h.history_change_reason, h.name, h.sources)
            for h in hub.history.order_by("history_id")
        ]
        hubs[hub.external_id] = values
    duplicates = sorted(
        (d.hub.external_id, d.other.external_id or d.other.slug, d.reason, d.source)
        for d in PossibleDuplicate.objects.select_related("hub", "other")
    )
    summary = {
        status: [(number, hub.external_id) for number, hub in getattr(report, status)]
        for status in ("created", "updated", "unchanged")
    }
    summary.update(
        refused=report.refused,
        warnings=report.warnings,
        duplicates=sorted((d.hub.external_id, d.other.name, d.reason) for d in report.duplicates),
    )
    return hubs, duplicates, summary


def two_imports(bulk, user):
    import_records("national", FIRST, user=user, file_name="un.json", bulk=bulk)
    before = {
        h.external_id: (h.updated_at, h.search_text)
        for h in Hub.objects.filter(external_id__startswith=f"{SOURCE}:")
    }
    report = import_records("national", SECOND, user=user, file_name="deux.json", bulk=bulk)
    touched = {
        h.external_id: h.updated_at != before[h.external_id][0]
        for h in Hub.objects.filter(external_id__in=before)
    }
    return snapshot(report), touched


def test_the_bulk_path_leaves_what_the_per_row_path_leaves(demo_territories):
    user = factories.superuser()
    lille = Commune.objects.get(insee="59350")
    maison = factories.hub("Maison du numérique", commune_obj=lille, lat=50.6365, lng=3.0635)
    per_row, per_row_touched = two_imports(False, user)

    Hub.objects.filter(external_id__startswith=f"{SOURCE}:").delete()
    Hub.history.filter(external_id__startswith=f"{SOURCE}:").delete()
    assert not PossibleDuplicate.objects.exists()
    bulk, bulk_touched = two_imports(True, user)

    hubs, duplicates, summary = bulk
    assert hubs == per_row[0]
    assert duplicates == per_row[1]
    assert summary == per_row[2]
    assert bulk_touched == per_row_touched

    # What both say, spelled out.
    assert [n for n, _id in summary["created"]] == [6, 8, 9, 10, 12]
    assert [n for n, _id in summary["updated"]] == [2, 3, 4, 5]
    assert [n for n, _id in summary["unchanged"]] == [1]
    assert [(n, reason.split(" :")[0]) for n, _name, reason in summary["refused"]] == [
        (7, "impossible à placer"),
        (11, "identifiant « test-bulk:9 » déjà lu plus haut dans le fichier"),
    ]
    assert any(n == 8 and "pas-un-courriel" in message for n, _, message in summary["warnings"])
    assert [(d[0], d[1], d[2]) for d in duplicates] == [
        (f"{SOURCE}:10", f"{SOURCE}:9", "name_nearby"),  # both new, in this file
        (f"{SOURCE}:11", f"{SOURCE}:1", "name_nearby"),  # « Lieu 1 » at Lille's point
        (f"{SOURCE}:6", maison.slug, "name_nearby"),
    ]
    history = {key: [h[0] for h in values["history"]] for key, values in hubs.items()}
    assert history[f"{SOURCE}:1"] == ["+"]
    assert history[f"{SOURCE}:2"] == ["+", "~"]
    assert history[f"{SOURCE}:3"] == ["+"]  # a kind more: no history row
    assert history[f"{SOURCE}:4"] == ["+"]
    assert history[f"{SOURCE}:5"] == ["+", "~"]
    assert history[f"{SOURCE}:6"] == ["+"]
    created = hubs[f"{SOURCE}:6"]["history"][0]
    assert created[1:3] == (user.pk, "import schéma national (deux.json)")
    assert hubs[f"{SOURCE}:2"]["history"][1][1:4] == (
        user.pk,
        "import schéma national (deux.json)",
        "Lieu deux renommé",
    )
    assert hubs[f"{SOURCE}:3"]["kinds"] == ["epn", "fablab"]
    assert hubs[f"{SOURCE}:3"]["search_text"].endswith(" fablab espace public numerique ")
    assert hubs[f"{SOURCE}:8"]["kinds"] == ["fablab", "tiers-lieu"]
    assert " tiers lieu " in hubs[f"{SOURCE}:8"]["search_text"]
    assert hubs[f"{SOURCE}:8"]["equipment"] == ["ordinateurs"]
    assert hubs[f"{SOURCE}:4"]["audiences"] == ["jeunes"]
    assert hubs[f"{SOURCE}:11"]["slug"].startswith("lieu-1-")  # reserved in memory, free
    assert hubs[f"{SOURCE}:11"]["slug"] != hubs[f"{SOURCE}:1"]["slug"]
    assert bulk_touched == {
        f"{SOURCE}:1": False,
        f"{SOURCE}:2": True,
        f"{SOURCE}:3": True,  # its search text changed
        f"{SOURCE}:4": False,
        f"{SOURCE}:5": True,
    }
    # Each hub's stored search text is the one Hub.save() computes.
    for hub in Hub.objects.filter(external_id__startswith=f"{SOURCE}:"):
        assert hub.search_text == hub.build_search_text()


def test_a_second_bulk_run_changes_nothing(demo_territories):
    import_records("national", SECOND, file_name="deux.json")
    hubs = Hub.objects.filter(external_id__startswith=f"{SOURCE}:")
    before = {h.external_id: (h.updated_at, h.search_text) for h in hubs}
    history, duplicates = Hub.history.count(), PossibleDuplicate.objects.count()
    report = import_records("national", SECOND, file_name="deux.json")
    assert (len(report.created), len(report.updated)) == (0, 0)
    assert len(report.unchanged) == len(before)
    assert {h.external_id: (h.updated_at, h.search_text) for h in hubs} == before
    assert Hub.history.count() == history
    assert PossibleDuplicate.objects.count() == duplicates


def test_a_hard_error_mid_file_leaves_nothing_written(demo_territories, monkeypatch, tmp_path):
    """Batches of 2; after the slugs in use are read, another import takes the slug of the
    third record: its batch's INSERT fails, and the first batch is rolled back too."""
    monkeypatch.setattr(import_run, "BATCH_SIZE", 2)
    prefetch = HubWriter.prefetch

    def prefetch_then_race(self, external_ids):
        prefetch(self, external_ids)
        factories.hub("Concurrent", slug="lieu-3")

    monkeypatch.setattr(HubWriter, "prefetch", prefetch_then_race)
    hubs, history = Hub.objects.count(), Hub.history.count()
    path = tmp_path / "lieux.json"
    path.write_text(json.dumps(FIRST))
    with pytest.raises(CommandError, match="Import annulé, rien n'a été enregistré"):
        call_command("import_hubs", str(path), stdout=io.StringIO(), stderr=io.StringIO())
    assert Hub.objects.count() == hubs
    assert Hub.history.count() == history
    assert not Hub.objects.filter(slug="lieu-3").exists()

    # The per-row path refuses that record only (each record in its savepoint).
    report = import_records("national", FIRST, bulk=False)
    assert [n for n, _hub in report.created] == [1, 2, 4, 5]
    assert [(n, reason[:29]) for n, _name, reason in report.refused] == [
        (3, "refusé par la base de données")
    ]


def test_a_database_error_in_the_bulk_path_is_raised(demo_territories, monkeypatch):
    def fail(self, batch):
        raise DatabaseError("disque plein")

    monkeypatch.setattr(import_run.BulkHubWriter, "write", fail)
    with pytest.raises(DatabaseError):
        import_records("national", FIRST)
    assert not Hub.objects.filter(external_id__startswith=f"{SOURCE}:").exists()


def test_progress_advances_by_batch(demo_territories, monkeypatch):
    monkeypatch.setattr(import_run, "BATCH_SIZE", 3)
    steps = []
    report = import_records("national", SECOND, on_progress=steps.append)
    assert sum(steps) == len(SECOND) == report.total
    assert steps == [3, 3, 1, 3, 1, 1]  # n° 7 and n° 11 refused: no batch to wait for
    assert len(report.created) == 10


def test_the_command_reads_national_files_over_the_web_cap(demo_territories, tmp_path, settings):
    settings.IMPORT_MAX_ROWS = 3  # the admin's cap
    settings.IMPORT_COMMAND_MAX_ROWS = 5
    path = tmp_path / "lieux.json"
    path.write_text(json.dumps(FIRST))
    out = io.StringIO()
    call_command("import_hubs", str(path), stdout=out, stderr=io.StringIO())
    assert "créés : 5" in out.getvalue()
    assert read(json.dumps(FIRST).encode(), ImportLimits.for_command()).records
    path.write_text(json.dumps([*FIRST, record(6)]))
    with pytest.raises(CommandError, match="Trop de lignes : 5 lignes au plus"):
        call_command("import_hubs", str(path), stdout=io.StringIO(), stderr=io.StringIO())
    # A CSV in the national schema too, and the template keeps the admin's cap.
    header = "id,source,nom,commune,code_postal\n"
    csv_path = tmp_path / "lieux.csv"
    csv_path.write_text(
        header + "".join(f"c{n},{SOURCE},Lieu C{n},Lille,59000\n" for n in range(4))
    )
    out = io.StringIO()
    call_command("import_hubs", str(csv_path), stdout=out, stderr=io.StringIO())
    assert "créés : 4" in out.getvalue()
    template = tmp_path / "modele.csv"
    template.write_text("slug,name\n" + "".join(f"t{n},T{n}\n" for n in range(4)))
    with pytest.raises(CommandError, match="Trop de lignes : 3 lignes au plus"):
        call_command("import_hubs", str(template), stdout=io.StringIO(), stderr=io.StringIO())


def test_a_new_slug_is_never_one_of_the_sites_own_pages(demo_territories):
    report = import_records("national", [record(1, "Cards"), record(2, "Fiche exacte")])
    assert [hub.slug for _n, hub in report.created] == ["cards-2", "fiche-exacte-2"]
