"""``/robots.txt``: the public site open to crawlers, the back-office and the API
closed, the sitemap named with an absolute URL."""

import pytest

pytestmark = pytest.mark.django_db


def _rules(response) -> list[tuple[str, str]]:
    return [
        tuple(part.strip() for part in line.split(":", 1))
        for line in response.content.decode().splitlines()
        if line.strip()
    ]


def test_robots_txt_is_plain_text_and_may_be_cached(client):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert "max-age=86400" in response["Cache-Control"]
    assert "public" in response["Cache-Control"]


def test_robots_txt_opens_the_site_and_closes_the_back_office_and_the_api(client):
    rules = _rules(client.get("/robots.txt"))
    assert rules[0] == ("User-agent", "*")
    assert ("Allow", "/") in rules
    disallowed = {value for name, value in rules if name == "Disallow"}
    assert {"/admin/", "/api/"} <= disallowed
    # The pages a resident lands on stay open.
    for path in ["/", "/hubs/", "/events/", "/funding/"]:
        assert path not in disallowed


def test_robots_txt_names_the_sitemap_on_the_requests_host(client, settings):
    settings.ALLOWED_HOSTS = ["lieux.example.org"]
    response = client.get("/robots.txt", headers={"host": "lieux.example.org"}, secure=True)
    assert ("Sitemap", "https://lieux.example.org/sitemap.xml") in _rules(response)
    # The sitemap it names answers.
    assert client.get("/sitemap.xml", headers={"host": "lieux.example.org"}).status_code == 200


def test_robots_txt_is_get_only(client):
    assert client.post("/robots.txt").status_code == 405
