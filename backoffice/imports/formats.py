"""The file formats of imports and exports: CSV (French spreadsheets' habits) and XLSX."""

from __future__ import annotations

import csv
import io

import tablib
from import_export.formats import base_formats

from .limits import (
    ImportLimits,
    check_file_size,
    check_xlsx_archive,
    read_rows,
    too_long_cell,
)


class CSVFormat(base_formats.CSV):
    """CSV read as bytes: UTF-8 (with or without BOM) or Windows-1252, « , » or « ; »."""

    def is_binary(self):
        return True

    def get_read_mode(self):
        return "rb"

    def create_dataset(self, in_stream, limits: ImportLimits | None = None, **kwargs):
        limits = limits or ImportLimits.from_settings()
        check_file_size(len(in_stream), limits)
        if isinstance(in_stream, bytes):
            try:
                text = in_stream.decode("utf-8-sig")
            except UnicodeDecodeError:
                text = in_stream.decode("cp1252")
        else:
            text = in_stream.lstrip("\ufeff")
        first_line = text.split("\n", 1)[0]
        delimiter = max(",;\t", key=first_line.count)
        dataset = tablib.Dataset()
        try:
            header, rows = read_rows(csv.reader(io.StringIO(text), delimiter=delimiter), limits)
        except csv.Error as e:
            if "field larger than field limit" in str(e):
                raise too_long_cell(limits) from e
            raise
        if header:
            dataset.headers = [cell.strip() for cell in header]
            for row in rows:
                dataset.append(row)
        return dataset

    def export_data(self, dataset, **kwargs):
        # A BOM, so that Excel opens the UTF-8 file with its accents.
        return "\ufeff" + super().export_data(dataset, **kwargs)


class XLSXFormat(base_formats.XLSX):
    """The first sheet; trailing empty rows (left by spreadsheet editors) are dropped."""

    def create_dataset(self, in_stream):
        import openpyxl

        limits = ImportLimits.from_settings()
        check_file_size(len(in_stream), limits)
        check_xlsx_archive(in_stream, limits)
        # Read-only: the rows are parsed one at a time ('data_only': a formula's value).
        book = openpyxl.load_workbook(io.BytesIO(in_stream), read_only=True, data_only=True)
        try:
            sheet = book.active
            # The sheet's declared size could pad every row to 16,384 columns.
            sheet.reset_dimensions()
            header, rows = read_rows(sheet.iter_rows(values_only=True), limits, fill=None)
        finally:
            book.close()
        dataset = tablib.Dataset()
        if header:
            dataset.headers = [str(h).strip() if h is not None else "" for h in header]
            for row in rows:
                dataset.append(row)
        return dataset


FORMATS = [CSVFormat, XLSXFormat]
