import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from hubs.models import Hub
from hubs.siret import clean_siret, format_siret, is_valid_siret, validate_siret
from tests import factories


@pytest.mark.parametrize(
    "siret",
    [
        "43493312300029",  # the national schema's example
        "73282932000074",
        "35600000000048",  # La Poste's head office: Luhn-valid like any other
        "35600000049837",  # a La Poste establishment: Luhn fails, digits add up to 5 × 9
    ],
)
def test_valid(siret):
    assert is_valid_siret(siret)
    validate_siret(siret)  # no error


@pytest.mark.parametrize(
    ("siret", "code"),
    [
        ("43493312300028", "siret_checksum"),  # one digit off: Luhn fails
        ("43493312300092", "siret_checksum"),  # two digits swapped
        ("35600000012345", "siret_checksum"),  # La Poste, but the sum is not a multiple of 5
        ("45600000049804", "siret_checksum"),  # digits add up to 5 × 8: a rule for La Poste alone
        ("4349331230002", "siret_format"),  # 13 digits
        ("434933123000290", "siret_format"),  # 15 digits
        ("434933123 00029", "siret_format"),  # spaces are for people (the form takes them off)
        ("W59123456789AB", "siret_format"),  # an RNA-like code is not a SIRET
    ],
)
def test_invalid(siret, code):
    assert not is_valid_siret(siret)
    with pytest.raises(ValidationError) as error:
        validate_siret(siret)
    assert error.value.code == code


def test_blank_is_allowed():
    validate_siret("")


def test_typed_and_shown_forms():
    assert clean_siret(" 434 933 123 00029 ") == "43493312300029"
    assert clean_siret("434.933.123-00029") == "43493312300029"
    assert format_siret("43493312300029") == "434 933 123 00029"
    assert format_siret("") == ""


@pytest.mark.django_db
def test_the_database_refuses_what_is_not_fourteen_digits():
    hub = factories.hub()
    Hub.objects.filter(pk=hub.pk).update(siret="43493312300029")
    with pytest.raises(IntegrityError), transaction.atomic():
        Hub.objects.filter(pk=hub.pk).update(siret="4349331230002X")
    with pytest.raises(IntegrityError), transaction.atomic():
        Hub.objects.filter(pk=hub.pk).update(siret="123")


@pytest.mark.django_db
def test_full_clean_names_the_field():
    hub = factories.hub()
    hub.siret = "43493312300028"
    with pytest.raises(ValidationError) as error:
        hub.full_clean()
    assert "siret" in error.value.message_dict
