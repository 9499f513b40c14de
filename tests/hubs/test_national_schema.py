"""The one mapping table between our hubs and the national schema, and its docs."""

import json
import re
from pathlib import Path

import pytest
from django.conf import settings

from hubs.models import Hub, HubKind
from hubs.national_schema import (
    COLUMN_NAMES,
    SCHEMA_FILE,
    TERMS,
    codes,
    markdown,
    words,
)

FIELDS = {field["name"]: field for field in json.loads(SCHEMA_FILE.read_text())["fields"]}
DOC = Path(settings.BASE_DIR) / "docs/national-schema.md"


@pytest.mark.parametrize("term", TERMS, ids=lambda t: f"{t.column}:{t.code}")
def test_every_word_is_one_the_schema_accepts(term):
    """A word that drifted from the schema's enumeration would make the file invalid."""
    pattern = FIELDS[term.column].get("constraints", {}).get("pattern")
    if pattern:
        assert re.match(pattern, term.word), term.word
    else:  # typologie: the data.inclusion codes, upper case
        assert re.fullmatch(r"[A-Z_]+", term.word)


@pytest.mark.parametrize(
    ("source", "choices"),
    [
        ("services", Hub.Service),
        ("support_modes", Hub.SupportMode),
        ("specific_support", Hub.SpecificSupport),
        ("national_programmes", Hub.NationalProgramme),
        ("access_modes", Hub.AccessMode),
        ("fees", Hub.Fees),
    ],
)
def test_every_choice_of_ours_has_its_word(source, choices):
    mapped = {term.code for term in TERMS if term.source == source}
    assert mapped == set(choices.values)


@pytest.mark.django_db
def test_kinds_and_labels_of_the_table_exist():
    """The table's slugs are the seeded ones (a typo would map nothing)."""
    kinds = {term.code for term in TERMS if term.source == "kinds"}
    assert kinds <= set(HubKind.objects.values_list("slug", flat=True))
    operator_kinds = {term.code for term in TERMS if term.source == "operator_kind"}
    assert operator_kinds <= set(Hub.OperatorKind.values)


def test_the_table_reads_both_ways():
    programmes = ["france_services", "conseillers_numeriques"]
    schema_words = words("dispositif_programmes_nationaux", {"national_programmes": programmes})
    assert schema_words == ["Conseillers numériques", "France Services"]  # the table's order
    assert codes("dispositif_programmes_nationaux", "national_programmes", schema_words) == [
        "conseillers_numeriques",
        "france_services",
    ]
    # Two of our kinds are one word there; read back, the word is the first of them.
    assert words("typologie", {"kinds": ["coworking", "tiers-lieu"]}) == ["TIERS_LIEUX"]
    assert codes("typologie", "kinds", ["TIERS_LIEUX", "BIB"]) == ["tiers-lieu"]
    # Several sources feed one column, each word once.
    both = words(
        "services", {"services": ["internet_access"], "equipment": ["ordinateurs", "fibre"]}
    )
    assert both == ["Accès internet et matériel informatique"]


def test_the_columns_are_the_schemas():
    assert list(FIELDS) == COLUMN_NAMES


def test_the_documentation_prints_the_table():
    """docs/national-schema.md holds the table as the code has it (regenerate:
    ``.venv/bin/python -c "from hubs.national_schema import write_doc; write_doc()"``)."""
    text = DOC.read_text()
    start, end = "<!-- table:start -->\n", "<!-- table:end -->"
    assert text[text.index(start) + len(start) : text.index(end)] == markdown()
