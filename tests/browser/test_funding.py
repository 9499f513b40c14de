"""The officials' dashboard in the browser: charts, tables, territory filter, print."""

import io
import re

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from funding import demo as funding_demo

from .waits import wait_for_flag


@pytest.fixture
def live_funding(live_demo):
    funding_demo.load()
    return live_demo


def open_dashboard(page, live_server, query=""):
    page.goto(f"{live_server.url}/funding/{query}")
    wait_for_flag(page, "chartsReady", "true")


def test_dashboard_shows_charts_and_tables(page, live_funding):
    open_dashboard(page, live_funding)
    expect(page.get_by_role("heading", level=1)).to_contain_text(
        "Financements des lieux numériques"
    )
    # Chart.js drew on both canvases (non-zero size) and the tables carry the same figures.
    for chart in ("#chart-categories", "#chart-years"):
        box = page.locator(chart).bounding_box()
        assert box and box["width"] > 100 and box["height"] > 100
    drawn = page.evaluate("Object.keys(window.Chart.instances).length")
    assert drawn == 2
    by_category = page.get_by_role("region", name="Par catégorie de financeur")
    expect(by_category.get_by_role("row", name=re.compile("Fonds européen"))).to_contain_text(
        "920\u202f000\u00a0€"
    )


def test_filter_by_territory_with_the_autocomplete(page, live_funding):
    open_dashboard(page, live_funding)
    field = page.get_by_role("combobox", name="Territoire")
    field.fill("valenciennes metro")
    page.get_by_role("option", name=re.compile("Valenciennes Métropole")).first.wait_for()
    field.press("ArrowDown")
    field.press("Enter")
    page.wait_for_url(re.compile(r"territory=epci%3A245901160"))
    wait_for_flag(page, "chartsReady", "true")
    expect(page.get_by_role("heading", level=1)).to_contain_text("CA Valenciennes Métropole")
    funders = page.get_by_role("region", name="Par financeur")
    # Officials say FSE; the full name is the abbreviation's title.
    fse = funders.get_by_role("row", name=re.compile(r"^FSE"))
    expect(fse).to_contain_text("920\u202f000\u00a0€")
    expect(fse.locator("abbr")).to_have_attribute("title", "Fonds social européen")
    expect(funders).not_to_contain_text("État")


def test_drill_down_from_region_to_epci(page, live_funding):
    open_dashboard(page, live_funding)
    # The money's table (the coverage table below drills down the same way).
    page.get_by_role("link", name="Hauts-de-France").first.click()
    page.get_by_role("link", name="Nord (59)").first.click()
    page.get_by_role("link", name="CA Valenciennes Métropole").first.click()
    expect(page).to_have_url(re.compile(r"territory=epci%3A245901160"))


def test_prints_cleanly(page, live_funding, tmp_path):
    open_dashboard(page, live_funding, "?territory=epci:245901160")
    page.emulate_media(media="print")
    expect(page.locator(".site-header")).to_be_hidden()
    expect(page.locator("form.filters")).to_be_hidden()
    expect(page.get_by_role("heading", name="Par financeur")).to_be_visible()
    pdf = page.pdf(format="A4")
    assert pdf.startswith(b"%PDF") and len(pdf) > 10_000
    page.screenshot(path=str(tmp_path / "funding-print.png"), full_page=True)


def test_from_a_hub_page_to_its_dashboard_and_back_to_everything(page, live_funding):
    """An official reads the Pop Place's page, opens its money in the dashboard (the
    hub named in a chip, nothing shown as 0 €), then removes the chip."""
    page.goto(f"{live_funding.url}/hubs/pop-place-valenciennes/")
    page.get_by_role("link", name=re.compile("Voir les financements de Pop Place")).click()
    wait_for_flag(page, "chartsReady", "true")
    chips = page.get_by_role("list", name="Filtres actifs")
    expect(chips).to_contain_text("Lieu : Pop Place — coworking et fab lab")
    summary = page.get_by_role("region", name="En résumé")
    expect(summary).to_contain_text("montant non connu (4 lignes)")
    expect(page.locator("main")).not_to_contain_text(re.compile(r"(?<![\d\u202f,])0\u00a0€"))
    chips.get_by_role("link", name=re.compile("Retirer le filtre Lieu")).click()
    wait_for_flag(page, "chartsReady", "true")
    expect(page.get_by_role("list", name="Filtres actifs")).to_have_count(0)
    expect(page.locator(".dashboard__sentence")).to_contain_text("Depuis 2015")


def test_printed_on_a4_nothing_is_clipped_and_the_page_says_what_and_when(page, live_funding):
    """An official prints the Valenciennes dashboard: at A4 width (print media), every
    chart and table fits inside the page, the printout carries the date, the address
    and the filters, and a section is never cut right after its title."""
    page.set_viewport_size({"width": 718, "height": 1000})  # A4's 186 mm of text at 96 dpi
    open_dashboard(page, live_funding, "?territory=epci:245901160")
    page.emulate_media(media="print")
    page.wait_for_function(
        "() => [...document.querySelectorAll('.chart canvas')].every("
        "c => c.getBoundingClientRect().right <= document.documentElement.clientWidth)"
    )
    width = page.evaluate("document.documentElement.clientWidth")
    for element in page.locator("main table, main canvas").all():
        box = element.bounding_box()
        assert box and box["x"] >= 0 and box["x"] + box["width"] <= width + 1, box
    meta = page.locator(".print-meta")
    expect(meta).to_be_visible()
    expect(meta).to_contain_text(re.compile(r"Imprimé le \d{1,2} \S+ 20\d\d depuis http"))
    expect(meta).to_contain_text("/funding/?territory=epci")
    expect(page.get_by_role("list", name="Filtres actifs")).to_contain_text(
        "Territoire : CA Valenciennes Métropole"
    )
    assert (
        page.evaluate("getComputedStyle(document.querySelector('#by-funder')).breakAfter")
        == "avoid"
    )
    assert (
        page.evaluate(
            "getComputedStyle(document.querySelector('#by-funder').closest('section')).breakInside"
        )
        == "avoid"
    )
    pdf = page.pdf(format="A4")
    assert pdf.startswith(b"%PDF")
    # Read back: no page but the last ends on a section title or a table's header.
    titles = [text.strip() for text in page.locator("main h2").all_inner_texts()]
    headers = [
        " ".join(text.split()) for text in page.locator("main table thead").all_inner_texts()
    ]
    pages = PdfReader(io.BytesIO(pdf)).pages
    assert len(pages) >= 2
    for number, pdf_page in enumerate(pages[:-1], start=1):
        lines = [line.strip() for line in pdf_page.extract_text().splitlines() if line.strip()]
        last = " ".join(lines[-1].split())
        alone = [text for text in titles + headers if len(last) >= 4 and last in text]
        assert not alone, f"page {number} ends on « {last} » ({alone})"


def test_on_a_phone_the_amounts_are_read_without_scrolling_sideways(page, live_funding):
    page.set_viewport_size({"width": 390, "height": 844})
    open_dashboard(page, live_funding, "?territory=epci:245901160")
    assert page.evaluate("document.scrollingElement.scrollWidth") <= 390
    # The summary is in the first screen, before the filters.
    sentence = page.locator(".dashboard__sentence").bounding_box()
    assert sentence and sentence["y"] + sentence["height"] <= 844
    # Each table row is stacked: a cell names its column.
    row = page.get_by_role("region", name="Par financeur").get_by_role(
        "row", name=re.compile("^CAVM")
    )
    cell = row.locator("td[data-label='Montant connu']")
    expect(cell).to_contain_text("au moins 980\u202f000\u00a0€")
    box = cell.bounding_box()
    assert box and box["x"] + box["width"] <= 390


def test_the_coverage_map_draws_a_circle_per_territory(page, live_funding):
    open_dashboard(page, live_funding, "?territory=dep:59")
    section = page.get_by_role("region", name=re.compile("Couverture"))
    rows = section.locator("tbody tr").count()
    assert rows > 10  # the EPCI of the Nord
    expect(page.locator("#coverage-map")).to_have_attribute("data-circles", str(rows))
    assert page.locator("#coverage-map path.leaflet-interactive").count() == rows
    expect(section.get_by_role("row", name=re.compile("CA Valenciennes Métropole"))).to_be_visible()
