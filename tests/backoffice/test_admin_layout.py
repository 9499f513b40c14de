"""The back-office's pages as rendered (issue 18, item 7): the error summary at the
top of a change form, the inlines' « add » links in plain French, the map after
both coordinates, a changelist date that fits, import errors in full.

Their layout at 1280 px is checked in a browser: tests/browser/test_admin_layout.py.
"""

import json
import re
from decimal import Decimal
from html import unescape

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils.timezone import localtime

from tests import factories
from tests.admin_forms import change_form_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser_client(client, demo_hubs):
    client.force_login(factories.superuser())
    return client


def summary_links(content: str) -> list[tuple[str, str, str]]:
    """The error summary's items: ``(anchor, link text, message)``."""
    block = re.search(r'<ul class="error-summary"[^>]*>(.*?)</ul>', content, re.S)
    assert block, "no error summary in the page"
    return [
        (anchor, unescape(text), unescape(message).strip())
        for anchor, text, message in re.findall(
            r'<li><a href="#([^"]+)">(.*?)</a> : (.*?)</li>', block.group(1), re.S
        )
    ]


def assert_ids_exist(content: str, anchors):
    for anchor in anchors:
        assert f'id="{anchor}"' in content, f"the summary links to #{anchor}, absent"


# -- the error summary -------------------------------------------------------------


def operation_with_two_lines(hub, total_cost=None):
    operation = factories.operation(hub, "Aménagement du fablab", total_cost=total_cost)
    region = factories.funder("region-test", "Région test", category="region")
    state = factories.funder("etat-test", "État test", category="state")
    factories.line(operation, region, amount=None, share=Decimal(60))
    factories.line(operation, state, amount=None, share=Decimal(40))
    return operation


def test_shares_over_100_are_named_at_the_top_with_a_link_to_the_lines(superuser_client, demo_hubs):
    operation = operation_with_two_lines(demo_hubs["serre-numerique"])
    url = f"/admin/funding/fundedoperation/{operation.pk}/change/"
    data = change_form_data(superuser_client, url, **{"lines-1-share": "50"})

    response = superuser_client.post(url, data)

    assert response.status_code == 200
    content = response.content.decode()
    items = summary_links(content)
    assert items == [
        (
            "lines-group",
            "Lignes de financement",
            "Les parts des financeurs font 110\u00a0% : elles ne peuvent dépasser 100 %.",
        )
    ]
    assert_ids_exist(content, ["lines-group"])
    # At the top: before the first fieldset, right after Django's note.
    assert content.index('class="error-summary"') < content.index("<fieldset")
    assert content.index('class="errornote"') < content.index('class="error-summary"')


def test_field_errors_of_the_form_and_of_an_inline_row_link_to_their_inputs(
    superuser_client, demo_hubs
):
    operation = operation_with_two_lines(demo_hubs["serre-numerique"], total_cost=100000)
    url = f"/admin/funding/fundedoperation/{operation.pk}/change/"
    data = change_form_data(
        superuser_client,
        url,
        title="",
        **{"lines-0-amount": "60000", "lines-1-amount": "30000"},  # 40 % is 40,000 €
    )

    response = superuser_client.post(url, data)

    content = response.content.decode()
    items = summary_links(content)
    anchors = [anchor for anchor, _text, _message in items]
    assert anchors == ["id_title", "id_lines-1-share"]
    assert items[0][1] == "Intitulé" and "obligatoire" in items[0][2]
    assert items[1][1] == "Ligne de financement n° 2 : Part (%)"
    assert "ne concordent pas" in items[1][2]
    assert_ids_exist(content, anchors)


def test_a_hub_coordinate_error_links_to_its_input(superuser_client, demo_hubs):
    hub = demo_hubs["serre-numerique"]
    url = f"/admin/hubs/hub/{hub.pk}/change/"
    data = change_form_data(superuser_client, url, latitude="abc")

    content = superuser_client.post(url, data).content.decode()

    anchor, text, message = summary_links(content)[0]
    assert (anchor, text) == ("id_latitude", "Latitude")
    assert message == "Saisissez un nombre."
    assert_ids_exist(content, [anchor])


def test_a_valid_form_has_no_summary(superuser_client, demo_hubs):
    hub = demo_hubs["serre-numerique"]
    content = superuser_client.get(f"/admin/hubs/hub/{hub.pk}/change/").content.decode()
    assert "error-summary" not in content
    assert "css/admin_layout.css" in content


# -- the inlines' « add » links ------------------------------------------------------


def add_texts(content: str) -> dict[str, str]:
    """``{inline prefix: its « add » text}``, as Django's inlines.js reads them."""
    found = {}
    for raw in re.findall(r'data-inline-formset="([^"]+)"', content):
        data = json.loads(unescape(raw))
        found[data["options"]["prefix"]] = data["options"]["addText"]
    return found


def test_inline_add_links_are_plain_french(superuser_client, demo_hubs):
    hub = demo_hubs["serre-numerique"]
    content = superuser_client.get(f"/admin/hubs/hub/{hub.pk}/change/").content.decode()
    assert add_texts(content) == {
        "photos": "Ajouter une photo",
        "indicators": "Ajouter les chiffres d'une année",
        "targets": "Ajouter un objectif",
    }
    assert "Ajouter un objet" not in content

    operation = factories.operation(hub)
    content = superuser_client.get(
        f"/admin/funding/fundedoperation/{operation.pk}/change/"
    ).content.decode()
    assert add_texts(content) == {"lines": "Ajouter une ligne de financement"}

    user = factories.staff("editor")
    content = superuser_client.get(f"/admin/auth/user/{user.pk}/change/").content.decode()
    assert add_texts(content) == {"territory_scopes": "Ajouter un territoire"}


# -- the point picker after both coordinates -----------------------------------------


@pytest.mark.parametrize("page", ["hub", "event"])
def test_the_map_follows_both_coordinates_on_one_line(superuser_client, demo_hubs, page):
    if page == "hub":
        url = f"/admin/hubs/hub/{demo_hubs['serre-numerique'].pk}/change/"
    else:
        url = f"/admin/events/event/{factories.event(hub=demo_hubs['serre-numerique']).pk}/change/"
    content = superuser_client.get(url).content.decode()

    row = re.search(
        r'<div class="form-row field-latitude field-longitude">(.*?)</fieldset>', content, re.S
    )
    assert row, "latitude and longitude are not on one line"
    html = row.group(1)
    assert (
        html.index('id="id_latitude"')
        < html.index('id="id_longitude"')
        < html.index('class="point-picker"')
    )
    config = json.loads(unescape(re.search(r'data-config="([^"]+)"', html).group(1)))
    assert (config["latInput"], config["lngInput"]) == ("id_latitude", "id_longitude")
    assert content.count('class="point-picker"') == 1


# -- a changelist date that fits -----------------------------------------------------


def test_hub_changelist_date_is_short_with_the_full_one_on_hover(superuser_client, demo_hubs):
    hub = demo_hubs["serre-numerique"]
    content = superuser_client.get("/admin/hubs/hub/", {"q": hub.name}).content.decode()
    local = localtime(hub.updated_at)
    assert (
        f'<time datetime="{local.isoformat()}" title="{local:%-d}' in content
        and f">{local:%d/%m/%Y}</time>" in content
    )
    assert re.search(r'<th scope="col" class="sortable column-updated', content)  # sorts by date


# -- import errors in full -----------------------------------------------------------


def test_import_errors_are_listed_row_column_and_message(superuser_client):
    csv = (
        "slug,name,kinds,summary,commune,latitude,longitude\n"
        "lieu-a,Lieu A,fablab,Un lieu.,59606,,\n"
        "lieu-b,Lieu B,fablab,Un lieu.,99999,,\n"
        "lieu-c,Lieu C,fablab,Un lieu.,59606,95,\n"
    )
    response = superuser_client.post(
        "/admin/hubs/hub/import/",
        {
            "format": "0",
            "resource": "0",
            "import_file": SimpleUploadedFile("lieux.csv", csv.encode()),
        },
    )

    content = response.content.decode()
    table = re.search(r'<table class="import-errors">(.*?)</table>', content, re.S)
    assert table, "no table of the import's errors"
    rows = [
        [
            unescape(re.sub(r"<[^>]+>", "", cell)).strip()
            for cell in re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", tr, re.S)
        ]
        for tr in re.findall(r"<tr>(.*?)</tr>", table.group(1), re.S)
    ]
    assert rows[0] == ["Ligne", "Colonne", "Erreur"]
    assert ["2", "commune", "code INSEE de commune inconnu : « 99999 »"] in rows[1:]
    assert any(row[:2] == ["3", "latitude"] for row in rows[1:]), rows
    # No badge to hover: the messages are in the page as text.
    assert "validation-error-count" not in content
