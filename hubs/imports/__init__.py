"""Imports of hubs from other sources, in four steps each testable alone.

- :mod:`.read`: a file's bytes → its kind (national schema, fablabs.io, our template)
  and its records (dicts), within the caps of ``backoffice.imports.limits``;
- :mod:`.national` and :mod:`.fablabs`: one record → a :class:`.mapped.MappedHub`
  (our fields, the address to place, warnings), no database;
- ``territories.placing.place``: the address → commune and point (or why not);
- :mod:`.save`: a mapped, placed hub → created, updated or unchanged (matched by its
  source id, never merged with another: a SIRET or a name within 100 m is flagged as
  a ``PossibleDuplicate`` for staff), with its history row and search text.

:mod:`.run` chains them over a file, in one transaction, and reports; :mod:`.bulk` saves
the records by batches of 500 (the default; ``bulk=False``: one at a time, the same result).
"""
