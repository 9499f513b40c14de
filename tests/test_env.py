"""The readers of environment variables (config/env.py)."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from config import env
from config.env import env_bool, env_float, env_int, env_list, env_str


@pytest.fixture(autouse=True)
def variables(monkeypatch):
    """A registry of this test's own: the settings' one stays as they filled it."""
    registry = {}
    monkeypatch.setattr(env, "VARIABLES", registry)
    return registry


def test_an_unset_variable_gives_the_default_and_is_recorded(monkeypatch, variables):
    monkeypatch.delenv("HUBS_TEST_VALUE", raising=False)
    assert env_int("HUBS_TEST_VALUE", 7) == 7
    assert variables["HUBS_TEST_VALUE"] == env.Variable("HUBS_TEST_VALUE", "int", 7)
    # The first read is the one recorded.
    env_int("HUBS_TEST_VALUE", 8)
    assert variables["HUBS_TEST_VALUE"].default == 7


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("true", True),
        ("True", True),
        (" yes ", True),
        ("on", True),
        ("1", True),
        ("false", False),
        ("FALSE", False),
        ("no", False),
        ("off", False),
        ("0", False),
    ],
)
def test_booleans(monkeypatch, value, expected):
    monkeypatch.setenv("HUBS_TEST_FLAG", value)
    assert env_bool("HUBS_TEST_FLAG", not expected) is expected


@pytest.mark.parametrize("value", ["maybe", "", "2", "y", "vrai"])
def test_a_malformed_boolean_names_the_variable(monkeypatch, value):
    monkeypatch.setenv("HUBS_TEST_FLAG", value)
    with pytest.raises(
        ImproperlyConfigured, match=r"HUBS_TEST_FLAG is '.*': expected true or false"
    ):
        env_bool("HUBS_TEST_FLAG", False)


def test_integers(monkeypatch):
    monkeypatch.setenv("HUBS_TEST_COUNT", " 42 ")
    assert env_int("HUBS_TEST_COUNT", 1) == 42
    monkeypatch.setenv("HUBS_TEST_COUNT", "-3")
    assert env_int("HUBS_TEST_COUNT", 1) == -3


@pytest.mark.parametrize("value", ["abc", "", "1.5", "1e3", "5 MB"])
def test_a_malformed_integer_names_the_variable(monkeypatch, value):
    monkeypatch.setenv("HUBS_TEST_COUNT", value)
    with pytest.raises(
        ImproperlyConfigured, match="HUBS_TEST_COUNT is .*: expected a whole number"
    ):
        env_int("HUBS_TEST_COUNT", 1)


def test_an_integer_below_its_minimum_is_refused(monkeypatch):
    monkeypatch.setenv("HUBS_TEST_COUNT", "-1")
    with pytest.raises(ImproperlyConfigured, match="HUBS_TEST_COUNT is '-1': .* at least 0"):
        env_int("HUBS_TEST_COUNT", 1, minimum=0)
    monkeypatch.setenv("HUBS_TEST_COUNT", "0")
    assert env_int("HUBS_TEST_COUNT", 1, minimum=0) == 0


def test_decimals(monkeypatch):
    monkeypatch.setenv("HUBS_TEST_RATIO", "0.25")
    assert env_float("HUBS_TEST_RATIO", 1.0) == 0.25
    monkeypatch.setenv("HUBS_TEST_RATIO", "3")
    assert env_float("HUBS_TEST_RATIO", 1.0) == 3.0


@pytest.mark.parametrize("value", ["0,4", "abc", "", "nan", "inf"])
def test_a_malformed_decimal_names_the_variable(monkeypatch, value):
    monkeypatch.setenv("HUBS_TEST_RATIO", value)
    with pytest.raises(ImproperlyConfigured, match="HUBS_TEST_RATIO is .*: expected a number"):
        env_float("HUBS_TEST_RATIO", 1.0)


def test_a_decimal_below_its_minimum_is_refused(monkeypatch):
    monkeypatch.setenv("HUBS_TEST_RATIO", "-0.5")
    with pytest.raises(ImproperlyConfigured, match="at least 0"):
        env_float("HUBS_TEST_RATIO", 1.0, minimum=0)


def test_text_keeps_an_empty_value(monkeypatch):
    monkeypatch.delenv("HUBS_TEST_TEXT", raising=False)
    assert env_str("HUBS_TEST_TEXT", "default") == "default"
    monkeypatch.setenv("HUBS_TEST_TEXT", "")
    assert env_str("HUBS_TEST_TEXT", "default") == ""  # e.g. GEOCODER_URL= : no geocoding


def test_lists(monkeypatch, variables):
    monkeypatch.delenv("HUBS_TEST_HOSTS", raising=False)
    default = ["a.example", "b.example"]
    hosts = env_list("HUBS_TEST_HOSTS", default)
    assert hosts == default and hosts is not default
    assert variables["HUBS_TEST_HOSTS"].type == "list"
    monkeypatch.setenv("HUBS_TEST_HOSTS", " lieux.example.org, ,www.lieux.example.org ")
    assert env_list("HUBS_TEST_HOSTS", default) == ["lieux.example.org", "www.lieux.example.org"]
    monkeypatch.setenv("HUBS_TEST_HOSTS", "")
    assert env_list("HUBS_TEST_HOSTS", default) == []
