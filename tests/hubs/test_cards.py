"""One result card (issue 16, item 4): /hubs/cards/ answers the cards of a page of
the selection, drawn by the list's own template, for the map page's list."""

import datetime
import re

import pytest
from django.conf import settings
from django.utils import timezone

from hubs import hours
from hubs.models import Hub

pytestmark = pytest.mark.django_db

URL = "/hubs/cards/"
TUESDAY_10 = datetime.datetime(2026, 12, 1, 10, 0, tzinfo=hours.PARIS)


def card_texts(html: str) -> list[str]:
    """Each card's text, without tags or extra spaces."""
    cards = re.findall(r'<li class="hub-card".*?</li>', html, flags=re.S)
    return [" ".join(re.sub(r"<[^>]+>", " ", card).split()) for card in cards]


@pytest.fixture
def frozen(monkeypatch):
    def freeze(moment: datetime.datetime):
        monkeypatch.setattr(timezone, "now", lambda: moment.astimezone(datetime.UTC))

    return freeze


def test_the_cards_are_those_of_the_list_page(client, demo_hubs, frozen):
    frozen(TUESDAY_10)
    query = {"place": "Valenciennes"}
    fragment = client.get(URL, query)
    page = client.get("/hubs/", query)
    assert fragment.status_code == 200
    assert fragment["Content-Type"].startswith("text/html")
    cards = card_texts(fragment.content.decode())
    listed = card_texts(page.content.decode())
    assert cards and len(cards) == len(listed)
    # The same fields, and the map's « show on the map » button besides.
    for card, row in zip(cards, listed, strict=True):
        assert card == f"{row} Voir sur la carte"
    first = fragment.content.decode().split("</li>")[0]
    for part in ("hub-card__name", "kind-badge", "hub-card__place", "hub-card__distance"):
        assert part in first
    assert re.search(r"hub-card__place\">[^<(]+ \(59\)", first)  # the commune
    assert 'class="hub-card__summary"' in first
    # The demo hubs have (illustrative) hours: the open-now state is on the card.
    assert "open-pill" in fragment.content.decode()
    assert "<html" not in fragment.content.decode()  # a fragment, not a page


def test_the_map_area_and_the_pages(client, demo_hubs, settings):
    settings.HUBS_PER_PAGE = 2
    maubeuge = "3.90,50.24,4.05,50.31"
    first = card_texts(client.get(URL, {"bbox": maubeuge}).content.decode())
    second = card_texts(client.get(URL, {"bbox": maubeuge, "page": "2"}).content.decode())
    assert len(first) == 2 and len(second) == 1
    assert all("Maubeuge" in card or "Val de Sambre" in card for card in first + second)
    past = client.get(URL, {"bbox": maubeuge, "page": "3"})
    assert past.status_code == 200 and card_texts(past.content.decode()) == []


def test_an_empty_search_offers_wider_ones_on_the_map_page(client, demo_hubs):
    response = client.get(URL, {"place": "Lille", "bbox": "2.9,50.5,3.2,50.7"})
    content = response.content.decode()
    assert response.status_code == 200
    assert "Aucun lieu à moins de 10 km de Lille (59000)." in content
    hrefs = [h.replace("&amp;", "&") for h in re.findall(r'href="([^"]+)"', content)]
    # To the map page, not to this fragment, and without the map's area.
    assert "/?place=Lille&radius_km=20" in hrefs
    assert "/?territory=dep%3A59" in hrefs
    assert not any("cards" in href or "bbox" in href for href in hrefs)


@pytest.mark.parametrize(
    "query",
    [
        {"kind": "no-such-kind"},
        {"bbox": "4,50,3,51"},
        {"open_now": "maybe"},
        {"page": "abc"},
        {"page": "0"},
    ],
)
def test_bad_input_is_a_400(client, demo_hubs, query):
    response = client.get(URL, query)
    assert response.status_code == 400
    assert response.json()["message"].startswith("Paramètre invalide")


def test_query_count_is_bounded(client, demo_hubs, django_assert_max_num_queries):
    with django_assert_max_num_queries(7):
        response = client.get(URL, {"kind": "fablab", "page": "1"})
    assert response.status_code == 200
    assert len(card_texts(response.content.decode())) >= 2


def test_conditional_get_and_the_clock(client, demo_hubs, frozen):
    frozen(TUESDAY_10)
    response = client.get(URL)
    etag = response["ETag"]
    assert client.get(URL, headers={"if-none-match": etag}).status_code == 304
    # A minute later « ouvert » may have become « fermé »: a new ETag.
    frozen(TUESDAY_10 + datetime.timedelta(minutes=1))
    later = client.get(URL, headers={"if-none-match": etag})
    assert later.status_code == 200 and later["ETag"] != etag
    assert f"max-age={60}" in later["Cache-Control"]


def test_pages_have_the_list_pages_size(client, demo_hubs):
    response = client.get(URL)
    published = Hub.objects.published().count()
    assert len(card_texts(response.content.decode())) == min(settings.HUBS_PER_PAGE, published)


def test_cards_of_a_search_at_a_moment_show_the_state_then(client, demo_hubs, frozen):
    frozen(TUESDAY_10)
    query = {"open_at": "2026-12-01T10:00"}  # a Tuesday morning
    fragment = card_texts(client.get(URL, query).content.decode())
    listed = card_texts(client.get("/hubs/", query).content.decode())
    assert listed and fragment == [f"{row} Voir sur la carte" for row in listed]
