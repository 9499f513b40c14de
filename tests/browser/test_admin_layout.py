"""The back-office at 1280 × 800, as a territory editor and a regional administrator
see it (issue 18, item 7): no page wider than the window, the inlines inside the
content column, the map beside both coordinates, a form's errors named on its first
screen, an import's errors in plain sight.

With ``SCREENSHOTS=1`` each page is kept in ``artifacts/screenshots/``.
"""

import io
import os
from decimal import Decimal

import pytest
from django.core.files.base import ContentFile
from django.utils.timezone import localtime
from PIL import Image
from playwright.sync_api import expect

from backoffice import two_factor
from backoffice.roles import EDITOR, REGIONAL_ADMIN
from funding.models import FinancingLine, FundedOperation, Funder
from hubs.models import Hub, HubPhoto
from tests import factories, otp
from tests.browser.second_factor import enter_code

PASSWORD = "terrils et beffrois 2026"
WIDTH, HEIGHT = 1280, 800


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def snap(request, page, name):
    if os.environ.get("SCREENSHOTS") != "1":
        return
    folder = request.config.rootpath / "artifacts" / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(folder / f"admin-layout-{name}.png"), full_page=True)


def log_in(page, live_demo, role, **territories):
    user = factories.staff(role, f"{role}-layout", **territories)
    user.set_password(PASSWORD)
    user.save()
    device = otp.app_device(user) if two_factor.is_required(user) else None
    page.set_viewport_size({"width": WIDTH, "height": HEIGHT})
    page.goto(live_demo.url + "/admin/")
    page.get_by_label("Nom d’utilisateur").fill(user.username)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Connexion").click()
    if device is not None:
        enter_code(page, device)
    expect(page.get_by_role("heading", name="Back-office des territoires")).to_be_visible()
    return user


@pytest.fixture(params=[EDITOR, REGIONAL_ADMIN])
def staff_page(request, live_demo, page):
    """A 1280 × 800 window, logged in as an editor of Lens' EPCI or as a regional administrator."""
    hub = Hub.objects.get(slug="louvre-lens-vallee")
    if request.param == EDITOR:
        log_in(page, live_demo, EDITOR, epci=[hub.commune.epci_id])
    else:
        log_in(page, live_demo, REGIONAL_ADMIN, region=["32"])
    page.role = request.param
    return page


def page_width(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth")


def assert_fits(page):
    assert page_width(page) <= WIDTH, f"the page is {page_width(page)} px wide"


def assert_inside(inner, outer, name):
    a, b = inner.bounding_box(), outer.bounding_box()
    assert a["x"] >= b["x"] - 1 and a["x"] + a["width"] <= b["x"] + b["width"] + 1, (
        f"{name} ({a['x']:.0f}–{a['x'] + a['width']:.0f} px) leaves the content column "
        f"({b['x']:.0f}–{b['x'] + b['width']:.0f} px)"
    )


def jpeg() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (800, 500), (40, 120, 120)).save(buffer, "JPEG")
    return buffer.getvalue()


def test_hub_list_and_form_fit_with_the_map_beside_both_coordinates(live_demo, staff_page, request):
    page = staff_page
    hub = Hub.objects.get(slug="louvre-lens-vallee")
    photo = HubPhoto(hub=hub, alt_text="La façade du Louvre-Lens Vallée, vue de la rue")
    photo.image.save(
        "une-photo-au-nom-assez-long-de-la-facade.jpg", ContentFile(jpeg()), save=False
    )
    photo.thumbnail.save("une-photo-au-nom-assez-long-vignette.jpg", ContentFile(jpeg()), save=True)

    # The list: every column in its box, the date whole.
    page.goto(live_demo.url + "/admin/hubs/hub/")
    results = page.locator("#changelist .results")
    assert results.evaluate("box => box.scrollWidth <= box.clientWidth"), "the list is clipped"
    assert_fits(page)
    row = page.locator("#result_list tbody tr").filter(has_text="Louvre-Lens Vallée")
    expect(row.locator("td.field-updated")).to_have_text(f"{localtime(hub.updated_at):%d/%m/%Y}")
    snap(request, page, f"{page.role}-hub-list")

    # The form: the photos inside the column, the map to the right of both inputs.
    page.goto(f"{live_demo.url}/admin/hubs/hub/{hub.pk}/change/")
    picker = page.locator(".point-picker")
    expect(picker).to_have_attribute("data-ready", "true")
    assert_fits(page)
    content = page.locator("#content-main")
    photos = page.locator("#photos-group")
    assert_inside(photos, content, "the photo inline")
    thumbnail = photos.locator("img.photo-inline__thumb")
    expect(thumbnail).to_be_visible()
    assert thumbnail.bounding_box()["width"] <= 96
    expect(page.locator("#photos-group .add-row a")).to_have_text("Ajouter une photo")

    latitude, longitude = page.get_by_label("Latitude"), page.get_by_label("Longitude")
    lat, lng, map_box = latitude.bounding_box(), longitude.bounding_box(), picker.bounding_box()
    assert map_box["x"] >= max(lat["x"] + lat["width"], lng["x"] + lng["width"])
    assert map_box["y"] <= lat["y"] + 1  # its top level with the latitude
    assert map_box["y"] + map_box["height"] >= lng["y"] + lng["height"]  # down past the longitude
    assert lng["y"] > lat["y"]  # one under the other, inputs aligned
    assert abs(lng["x"] - lat["x"]) <= 1
    assert_inside(picker, content, "the map")

    # And the map still fills both inputs.
    the_map = picker.locator(".point-picker__map")
    box = the_map.bounding_box()
    the_map.click(position={"x": box["width"] / 2 + 60, "y": box["height"] / 2 + 40})
    expect(picker).to_have_attribute("data-picked", "true")
    assert float(latitude.input_value()) < hub.latitude
    assert float(longitude.input_value()) > hub.longitude
    snap(request, page, f"{page.role}-hub-form")


def test_operation_form_fits_and_names_the_shares_error_on_its_first_screen(
    live_demo, staff_page, request
):
    page = staff_page
    hub = Hub.objects.get(slug="louvre-lens-vallee")
    region = Funder.objects.get_or_create(
        slug="region-hdf", defaults={"name": "Région Hauts-de-France", "category": "region"}
    )[0]
    state = Funder.objects.get_or_create(
        slug="etat-dsil", defaults={"name": "État (DSIL)", "category": "state"}
    )[0]
    operation = FundedOperation.objects.create(
        hub=hub, title="Aménagement du fablab", purpose="investment", total_cost=Decimal(100000)
    )
    FinancingLine.objects.create(
        operation=operation,
        funder=region,
        amount=Decimal(60000),
        share=Decimal(60),
        status="granted",
        source="Délibération du conseil régional n° 2024-123",
    )
    FinancingLine.objects.create(
        operation=operation, funder=state, amount=Decimal(40000), share=Decimal(40)
    )

    page.goto(f"{live_demo.url}/admin/funding/fundedoperation/{operation.pk}/change/")
    lines = page.locator("#lines-group")
    assert_fits(page)
    assert_inside(lines, page.locator("#content-main"), "the financing lines")
    expect(lines.locator(".add-row a")).to_have_text("Ajouter une ligne de financement")
    snap(request, page, f"{page.role}-operation-form")

    page.locator("input[name=lines-1-share]").fill("50")
    page.locator("input[name=lines-1-amount]").fill("50000")
    page.get_by_role("button", name="Enregistrer", exact=True).click()

    summary = page.locator("ul.error-summary")
    expect(summary).to_be_visible()
    link = summary.get_by_role("link", name="Lignes de financement")
    expect(summary).to_contain_text("Les parts des financeurs font 110")
    box = summary.bounding_box()
    assert box["y"] + box["height"] <= HEIGHT, "the summary is below the first screen"
    assert_fits(page)
    snap(request, page, f"{page.role}-operation-error")

    link.click()
    expect(lines).to_be_in_viewport()
    assert FinancingLine.objects.get(operation=operation, funder=state).share == 40


def test_the_other_lists_keep_their_columns_in_their_box(live_demo, staff_page, request):
    page = staff_page
    hub = Hub.objects.get(slug="louvre-lens-vallee")
    funder = Funder.objects.get_or_create(
        slug="region-hdf", defaults={"name": "Région Hauts-de-France", "category": "region"}
    )[0]
    operation = FundedOperation.objects.create(
        hub=hub, title="Aménagement du fablab et de la salle de formation", purpose="investment"
    )
    FinancingLine.objects.create(
        operation=operation, funder=funder, amount=Decimal(60000), status="granted"
    )
    for path in ("events/event", "funding/fundedoperation", "funding/financingline"):
        page.goto(f"{live_demo.url}/admin/{path}/")
        results = page.locator("#changelist .results")
        expect(results).to_be_visible()
        assert results.evaluate("box => box.scrollWidth <= box.clientWidth"), f"{path} is clipped"
        assert_fits(page)
        snap(request, page, f"{page.role}-{path.replace('/', '-')}")


def test_import_errors_are_shown_whole(live_demo, staff_page, request):
    page = staff_page
    page.goto(live_demo.url + "/admin/hubs/hub/import/")
    csv = (
        "slug,name,kinds,summary,commune,latitude,longitude\n"
        "lieu-a,Lieu A,fablab,Un lieu.,62498,,\n"
        "lieu-b,Lieu B,fablab,Un lieu.,99999,,\n"
    )
    page.locator("input[type=file]").set_input_files(
        files=[{"name": "lieux.csv", "mimeType": "text/csv", "buffer": csv.encode()}]
    )
    page.get_by_role("button", name="Envoyer").click()

    errors = page.locator("table.import-errors")
    row = errors.locator("tbody tr").filter(has_text="99999")
    expect(row.locator("td")).to_have_text(
        ["2", "commune", "code INSEE de commune inconnu : « 99999 »"]
    )
    expect(row).to_be_visible()  # not behind a badge to hover
    assert_fits(page)
    snap(request, page, f"{page.role}-import-errors")
