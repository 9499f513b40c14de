"""Every public read answers HEAD like GET, without a body (link checkers, caches and
monitors ask with HEAD): the views are ``require_safe``, never ``require_GET``."""

import pytest

URLS = [
    "/",
    "/hubs/",
    "/hubs/pop-place-valenciennes/",
    "/events/",
    "/funding/",
    "/api/v1/funding.csv",
    "/api/v1/funding.xlsx",
    "/api/v1/territories/autocomplete?q=val",
    "/robots.txt",
    "/sitemap.xml",
    "/plan-du-site/",
    "/accessibilite/",
]


@pytest.mark.django_db
@pytest.mark.parametrize("url", URLS)
def test_head_answers_like_get(client, demo_hubs, url):
    get = client.get(url)
    head = client.head(url)
    assert get.status_code == 200, url
    assert head.status_code == 200, url
    assert head["Content-Type"] == get["Content-Type"]
    assert head.content == b""


@pytest.mark.django_db
def test_a_write_is_still_refused(client, demo_hubs):
    assert client.post("/funding/").status_code == 405
    assert client.post("/api/v1/funding.csv").status_code == 405
