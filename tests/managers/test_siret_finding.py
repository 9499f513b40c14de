"""A manager's accepted (or trusted) change of the SIRET forgets the company
directory's finding about the former one; another change keeps it."""

import pytest

from managers import services
from tests.hubs.test_siret_finding import FORGOTTEN, KEPT, OTHER, closed_finding, finding

pytestmark = pytest.mark.django_db


def test_an_accepted_change_request(hub, manager, editor):
    closed_finding(hub)
    kept = services.changes_submit(hub=hub, author=manager, values={"summary": "Vu."})
    services.change_accept(kept, reviewer=editor)
    assert finding(hub) == KEPT
    change = services.changes_submit(hub=hub, author=manager, values={"siret": OTHER})
    services.change_accept(change, reviewer=editor)
    assert finding(hub) == FORGOTTEN


def test_a_trusted_managers_change(hub, trusted_manager):
    closed_finding(hub)
    services.changes_submit(hub=hub, author=trusted_manager, values={"siret": OTHER})
    assert finding(hub) == FORGOTTEN
