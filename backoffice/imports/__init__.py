"""Bulk imports and exports of territorial records (admin and ``manage.py import_hubs``).

One module per concern:

- ``territories.locate``: where a row is (a commune from a code, a postcode and a
  city, coordinates checked against it);
- :mod:`.limits`: caps on size, rows and cells, checked before a file is read in full;
- :mod:`.formats`: CSV (French spreadsheets: « ; », Windows-1252) and XLSX;
- :mod:`.widgets`: how cells are read (« 1 000,50 », « oui », 31/12/2017, codes, slugs);
- :mod:`.resources`: the scoped resource (rows outside the user's territories
  refused, one refused row cancels the file), error reports, shared fields;
- :mod:`.admin`: the admin mixin (dry-run preview, then an all-or-nothing commit).
"""
