import pytest

from territories.text import normalize, search_terms


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Charbonnières-les-Bains", "charbonnieres les bains"),
        ("PÉPINIÈRE", "pepiniere"),
        ("L'Île-d'Yeu", "l ile d yeu"),
        ("Œuvre  cœur", "oeuvre coeur"),
        ("  ", ""),
        (None, ""),
        ("Saint-Étienne (42)", "saint etienne 42"),
    ],
)
def test_normalize_ignores_accents_case_and_punctuation(raw, expected):
    assert normalize(raw) == expected


def test_search_terms_are_distinct_longest_first_and_bounded():
    assert search_terms("fab Lab FAB pépinière") == ["pepiniere", "fab", "lab"]
    assert len(search_terms(" ".join(f"mot{i}" for i in range(50)))) == 8
