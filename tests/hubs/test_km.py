"""Distances follow the page's language (issue 16, item 8)."""

import pytest
from django.utils import translation

from hubs.templatetags.hub_tags import km


@pytest.mark.parametrize(
    ("language", "value", "expected"),
    [
        ("fr", 3.44, "3,4 km"),
        ("en", 3.44, "3.4 km"),
        ("fr", 0.853, "850 m"),
        ("fr", 0.0, "moins de 100 m"),
        ("fr", 0.096, "moins de 100 m"),
        ("en", 0.02, "less than 100 m"),
        ("fr", 0.1, "100 m"),
        ("en", 12.4, "12 km"),
        ("fr", None, ""),
    ],
)
def test_distance_in_the_page_language(language, value, expected):
    with translation.override(language):
        assert km(value) == expected
