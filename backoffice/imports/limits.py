"""Caps on an imported file, checked while it is read, before it is read in full.

An import runs in a web worker (or ``manage.py import_hubs``): a 300 KB XLSX with a
300 MB cell, or a file of millions of rows, would hold it for minutes and gigabytes.
So a file is refused, with a message naming the cap, when:

- it is larger than ``IMPORT_MAX_FILE_BYTES`` (checked on the upload, before it is read);
- an XLSX archive would unpack to more than ``IMPORT_MAX_UNPACKED_BYTES`` (a « zip
  bomb »; the sizes its directory declares are read before anything is unpacked,
  and Python's ``zipfile`` never unpacks more than a member declares);
- it has more than ``IMPORT_MAX_ROWS`` rows after the header (the rows are read one
  at a time and reading stops at the first one over the cap);
- a cell is longer than ``IMPORT_MAX_CELL_CHARS`` characters.

``manage.py import_hubs`` reads national-schema and fablabs.io files with higher caps
on the size and the rows (:meth:`ImportLimits.for_command`: run by an operator, not in
a web request, and saved by the bulk path, ``hubs/imports/bulk.py``).
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.formats import number_format
from django.utils.text import Truncator
from django.utils.translation import gettext as _


class ImportLimitError(ValueError):
    """A file over one of the caps; the message says which, in the user's words."""


@dataclass(frozen=True)
class ImportLimits:
    file_bytes: int
    unpacked_bytes: int
    rows: int
    cell_chars: int

    @classmethod
    def from_settings(cls) -> ImportLimits:
        return cls(
            file_bytes=settings.IMPORT_MAX_FILE_BYTES,
            unpacked_bytes=settings.IMPORT_MAX_UNPACKED_BYTES,
            rows=settings.IMPORT_MAX_ROWS,
            cell_chars=settings.IMPORT_MAX_CELL_CHARS,
        )

    @classmethod
    def for_command(cls) -> ImportLimits:
        """``import_hubs``'s national-schema and fablabs.io files: ``IMPORT_COMMAND_MAX_ROWS``
        rows and ``IMPORT_COMMAND_MAX_FILE_MB`` (a national file of 10,000 places and
        more, ≈ 6 MB of JSON); the cells' cap is the same."""
        return replace(
            cls.from_settings(),
            file_bytes=settings.IMPORT_COMMAND_MAX_FILE_BYTES,
            rows=settings.IMPORT_COMMAND_MAX_ROWS,
        )


def _count(number: int) -> str:
    return number_format(number, force_grouping=True)


def check_file_size(size: int, limits: ImportLimits | None = None) -> None:
    limits = limits or ImportLimits.from_settings()
    if size > limits.file_bytes:
        raise ImportLimitError(
            _(
                "Fichier trop volumineux (%(size)s) : %(limit)s au plus par import. "
                "Découpez-le en plusieurs fichiers."
            )
            % {"size": filesizeformat(size), "limit": filesizeformat(limits.file_bytes)}
        )


def check_xlsx_archive(data: bytes, limits: ImportLimits | None = None) -> None:
    """Refuse an XLSX whose members would unpack to more than the cap.

    A file that is not a zip archive is left to the XLSX reader, which says so.
    """
    limits = limits or ImportLimits.from_settings()
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(member.file_size for member in archive.infolist())
    except zipfile.BadZipFile:
        return
    if unpacked > limits.unpacked_bytes:
        raise ImportLimitError(
            _(
                "Classeur XLSX trop volumineux une fois décompressé (%(size)s) : "
                "%(limit)s au plus par import. Découpez-le en plusieurs fichiers."
            )
            % {"size": filesizeformat(unpacked), "limit": filesizeformat(limits.unpacked_bytes)}
        )


def is_blank_row(row: Sequence) -> bool:
    return all(value is None or (isinstance(value, str) and not value.strip()) for value in row)


def _check_cells(row: Sequence, number: int, header: Sequence, limits: ImportLimits) -> None:
    for index, value in enumerate(row):
        if isinstance(value, str) and len(value) > limits.cell_chars:
            limit = _count(limits.cell_chars)
            if number == 0:
                raise ImportLimitError(
                    _(
                        "Cellule trop longue dans l'en-tête (colonne %(column)s) : "
                        "%(limit)s caractères au plus."
                    )
                    % {"column": index + 1, "limit": limit}
                )
            name = header[index] if index < len(header) and header[index] else index + 1
            raise ImportLimitError(
                _(
                    "Cellule trop longue à la ligne %(row)s, colonne « %(column)s » : "
                    "%(limit)s caractères au plus."
                )
                % {"row": number, "column": Truncator(str(name)).chars(40), "limit": limit}
            )


def too_long_cell(limits: ImportLimits | None = None) -> ImportLimitError:
    """The error for a cell the CSV reader itself found too long (no row known)."""
    limits = limits or ImportLimits.from_settings()
    return ImportLimitError(
        _("Cellule trop longue : %(limit)s caractères au plus.")
        % {"limit": _count(limits.cell_chars)}
    )


def read_rows(
    rows: Iterable[Sequence], limits: ImportLimits | None = None, fill=""
) -> tuple[list, list[list]]:
    """The header and the data rows of ``rows`` (read one at a time), within the caps.

    Each data row is cut or padded with ``fill`` to the header's width; trailing
    blank rows (left by spreadsheet editors) are dropped and not counted. Reading
    stops at the first row over the cap or the first cell too long.
    """
    limits = limits or ImportLimits.from_settings()
    iterator = iter(rows)
    header = list(next(iterator, ()))
    _check_cells(header, 0, header, limits)
    width = len(header)
    data: list[list] = []
    blank = 0  # blank rows not yet followed by a non-blank one
    for row in iterator:
        if is_blank_row(row):
            blank += 1
            continue
        if len(data) + blank + 1 > limits.rows:
            raise ImportLimitError(
                _(
                    "Trop de lignes : %(limit)s lignes au plus par import (sans compter "
                    "l'en-tête). Découpez le fichier."
                )
                % {"limit": _count(limits.rows)}
            )
        data.extend([fill] * width for _blank in range(blank))
        blank = 0
        row = list(row)
        _check_cells(row, len(data) + 1, header, limits)
        data.append((row + [fill] * width)[:width])
    return header, data
