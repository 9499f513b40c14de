"""Caps on an imported file: size, unpacked size (XLSX), rows and cell length.

A file over a cap is refused with a form error naming the cap, before it is read in
full, and nothing is imported. The admin's import and ``manage.py import_hubs``
share the reader (``backoffice.imports`` formats).
"""

import csv
import io
import zipfile

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.test import override_settings

from backoffice.imports.formats import CSVFormat, XLSXFormat
from backoffice.imports.limits import ImportLimitError, ImportLimits, read_rows
from hubs.models import Hub
from tests import factories

pytestmark = pytest.mark.django_db

MB = 1024 * 1024
IMPORT_URL = "/admin/hubs/hub/import/"
HEADER = ["slug", "name", "kinds", "summary", "commune"]


def rows(count, summary="Un lieu importé."):
    return [list(HEADER)] + [
        [f"lieu-limite-{n}", f"Lieu {n}", "fablab", summary, "59606"] for n in range(1, count + 1)
    ]


def csv_bytes(table) -> bytes:
    out = io.StringIO()
    csv.writer(out).writerows(table)
    return out.getvalue().encode()


def xlsx_bytes(table) -> bytes:
    book = openpyxl.Workbook()
    for row in table:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def flat(text) -> str:
    """Spaces of every kind (French thousands, « Mo ») as plain spaces."""
    return " ".join(str(text).split())


@pytest.fixture
def admin_client(client, db):
    factories.commune()
    client.force_login(factories.superuser())
    return client


def upload(client, name, content):
    fmt = "1" if name.endswith(".xlsx") else "0"
    return client.post(
        IMPORT_URL,
        {"format": fmt, "resource": "0", "import_file": SimpleUploadedFile(name, content)},
    )


def refusal(response) -> str:
    """The form error of a refused file (and no preview, nothing imported)."""
    assert response.status_code == 200
    assert response.context.get("result") is None
    assert response.context.get("confirm_form") is None
    assert not Hub.objects.exists()
    return flat(" ".join(response.context["form"].errors["import_file"]))


# ----------------------------------------------------------------------------- size
@override_settings(IMPORT_MAX_FILE_BYTES=2048)
@pytest.mark.parametrize("name", ["lieux.csv", "lieux.xlsx"])
def test_a_file_over_the_size_cap_is_refused(admin_client, name):
    content = (csv_bytes if name.endswith(".csv") else xlsx_bytes)(rows(200))
    assert len(content) > 2048
    message = refusal(upload(admin_client, name, content))
    assert "Fichier trop volumineux" in message and "2,0 Kio au plus" in message


def with_shared_string(content: bytes, chars: int) -> bytes:
    """``content`` (an XLSX) with a shared string of ``chars`` characters, built by hand.

    openpyxl cuts a cell at 32,767 characters; a hostile file need not.
    """
    source = zipfile.ZipFile(io.BytesIO(content))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for member in source.infolist():
            archive.writestr(member.filename, source.read(member))
        archive.writestr(
            "xl/sharedStrings.xml",
            '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
            f"<si><t>{'a' * chars}</t></si></sst>",
        )
    return out.getvalue()


@override_settings(IMPORT_MAX_UNPACKED_BYTES=MB)
def test_an_xlsx_that_unpacks_over_the_cap_is_refused_before_it_is_opened(admin_client):
    content = with_shared_string(xlsx_bytes(rows(1)), 5 * MB)
    assert len(content) < 30_000  # a few kilobytes for 5 MB of text
    message = refusal(upload(admin_client, "lieux.xlsx", content))
    assert "trop volumineux une fois décompressé (5,0 Mio)" in message
    assert "1,0 Mio au plus" in message


# ----------------------------------------------------------------------------- rows
@override_settings(IMPORT_MAX_ROWS=10)
@pytest.mark.parametrize("name", ["lieux.csv", "lieux.xlsx"])
def test_a_file_over_the_row_cap_is_refused(admin_client, name):
    write = csv_bytes if name.endswith(".csv") else xlsx_bytes
    message = refusal(upload(admin_client, name, write(rows(1000))))
    assert "Trop de lignes" in message and "10 lignes au plus" in message
    # At the cap, the file is read (and previewed).
    response = upload(admin_client, name, write(rows(10)))
    assert response.context["confirm_form"] is not None


def test_the_reader_stops_at_the_row_cap():
    consumed = []

    def endless():
        yield HEADER
        for number in range(1, 2_000_000):
            consumed.append(number)
            yield [f"lieu-{number}", "Lieu", "fablab", "Résumé.", "59606"]

    limits = ImportLimits(file_bytes=10**9, unpacked_bytes=10**9, rows=10, cell_chars=100)
    with pytest.raises(ImportLimitError, match="Trop de lignes"):
        read_rows(endless(), limits)
    assert len(consumed) == 11


def test_trailing_blank_rows_do_not_count():
    limits = ImportLimits(file_bytes=10**9, unpacked_bytes=10**9, rows=2, cell_chars=100)
    header, data = read_rows(iter([HEADER, ["a"], ["b"], [""], [None, "  "]]), limits)
    assert header == HEADER and len(data) == 2
    with pytest.raises(ImportLimitError):
        read_rows(iter([HEADER, ["a"], [""], ["b"]]), limits)


# ----------------------------------------------------------------------------- cells
@pytest.mark.parametrize("name", ["lieux.csv", "lieux.xlsx"])
def test_a_cell_over_the_length_cap_is_refused(admin_client, name):
    table = rows(3)
    table[2][3] = "é" * 10_001
    write = csv_bytes if name.endswith(".csv") else xlsx_bytes
    message = refusal(upload(admin_client, name, write(table)))
    assert "Cellule trop longue à la ligne 2, colonne « summary »" in message
    assert "10 000 caractères au plus" in message


def test_a_csv_cell_over_the_csv_module_limit_is_refused_by_the_cap(admin_client):
    table = rows(1, summary="a" * 200_000)  # csv's own field limit is 131,072
    message = refusal(upload(admin_client, "lieux.csv", csv_bytes(table)))
    assert "Cellule trop longue" in message


def test_a_long_header_cell_is_refused(admin_client):
    table = rows(1)
    table[0][4] = "x" * 10_001
    message = refusal(upload(admin_client, "lieux.xlsx", xlsx_bytes(table)))
    assert "Cellule trop longue dans l'en-tête (colonne 5)" in message


# ----------------------------------------------------------------------------- readers
def test_readers_still_read_a_file_under_the_caps():
    table = rows(3)
    table.append(["", "", "", "", ""])  # trailing blank rows are dropped, as before
    for reader, content in (
        (CSVFormat(), csv_bytes(table)),
        (XLSXFormat(), xlsx_bytes(table)),
    ):
        dataset = reader.create_dataset(content)
        assert dataset.headers == HEADER and len(dataset) == 3
        assert dataset.dict[2]["slug"] == "lieu-limite-3"


def test_an_xlsx_row_wider_or_narrower_than_the_header_is_fitted_to_it():
    dataset = XLSXFormat().create_dataset(
        xlsx_bytes([["slug", "name"], ["a"], ["b", "B", "ignored"]])
    )
    assert dataset.headers == ["slug", "name"]
    assert list(dataset) == [("a", None), ("b", "B")]


# ----------------------------------------------------------------------------- command
@override_settings(IMPORT_MAX_ROWS=10)
def test_import_hubs_command_applies_the_same_caps(tmp_path, db):
    factories.commune()
    path = tmp_path / "lieux.csv"
    path.write_bytes(csv_bytes(rows(50)))
    with pytest.raises(CommandError, match="Trop de lignes"):
        call_command("import_hubs", str(path), "--no-progress", stdout=io.StringIO())
    assert not Hub.objects.exists()
