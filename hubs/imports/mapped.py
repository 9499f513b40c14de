"""What a mapper makes of one record: our fields, the address to place, warnings."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class MappedHub:
    """A record read into our terms, before it is placed and saved.

    ``fields`` are set on the hub (a blank value in ``keep_if_blank`` keeps the
    existing hub's); the vocabularies (``kinds``…) are slugs added to the hub's,
    never removed; ``address`` is what ``territories.placing.place`` reads.
    """

    external_id: str
    name: str
    fields: dict = field(default_factory=dict)
    keep_if_blank: frozenset = frozenset()
    address: dict = field(default_factory=dict)
    kinds: list[str] = field(default_factory=list)
    equipment: list[str] = field(default_factory=list)
    audiences: list[str] = field(default_factory=list)
    labels: list[str] = field(default_factory=list)
    labels_if_new: list[str] = field(default_factory=list)
    source_line: str = ""  # added to the hub's ``sources`` when not there yet
    warnings: list[str] = field(default_factory=list)
    error: str = ""  # set when the record cannot become a hub at all


class Refused(Exception):
    """A record that is not imported; the message says why."""
