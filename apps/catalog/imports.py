"""Product CSV files: the columns an import reads, the file checked up front, each row validated."""

import csv
import io
from dataclasses import dataclass

from rest_framework import serializers

from apps.catalog.api.serializers import currency_field
from apps.inventory.models import MAXIMUM_STOCK
from common.api.validation import field_errors

REQUIRED_COLUMNS = ("sku", "name", "price", "currency", "category")
OPTIONAL_COLUMNS = ("slug", "description", "is_active", "stock")


class UnreadableCsv(ValueError):
    """The file is not a CSV with the header an import needs; the message says what is wrong."""


@dataclass(frozen=True)
class CsvRow:
    number: int
    values: dict[str, str]


def csv_rows(text: str) -> list[CsvRow]:
    """The data rows of `text`, numbered as a spreadsheet shows them (the header is row 1).
    Blank lines are skipped but keep their number; a row of the wrong width is kept, with its
    `values` naming no column, so that it is reported rather than half-applied."""
    reader = csv.reader(io.StringIO(text), strict=True)
    try:
        records = list(reader)
    except csv.Error as error:
        raise UnreadableCsv(f"Line {reader.line_num} cannot be read as CSV: {error}.") from None
    if not records or not any(cell.strip() for cell in records[0]):
        raise UnreadableCsv("The file is empty; its first line must name the columns.")
    header = [cell.strip().lower() for cell in records[0]]
    check_header(header)
    rows = [
        CsvRow(number, dict(zip(header, record, strict=True)) if len(record) == len(header) else {})
        for number, record in enumerate(records[1:], start=2)
        if any(cell.strip() for cell in record)
    ]
    if not rows:
        raise UnreadableCsv("The file has a header but no rows.")
    return rows


def check_header(header: list[str]) -> None:
    if missing := [column for column in REQUIRED_COLUMNS if column not in header]:
        raise UnreadableCsv(f"The first line must name the columns; missing: {', '.join(missing)}.")
    known = REQUIRED_COLUMNS + OPTIONAL_COLUMNS
    if unknown := [column for column in header if column not in known]:
        raise UnreadableCsv(
            f"Unknown columns: {', '.join(unknown)}. Columns are: {', '.join(known)}."
        )
    if repeated := sorted({column for column in header if header.count(column) > 1}):
        raise UnreadableCsv(f"Columns named more than once: {', '.join(repeated)}.")


class RowInput(serializers.Serializer):
    """One row; a blank optional cell leaves the product's value as it is (or the default)."""

    sku = serializers.CharField(max_length=64)
    name = serializers.CharField(max_length=200)
    slug = serializers.SlugField(max_length=200, required=False)
    price = serializers.DecimalField(max_digits=12, decimal_places=2, min_value=0)
    currency = currency_field()
    category = serializers.SlugField(max_length=120)
    description = serializers.CharField(required=False)
    is_active = serializers.BooleanField(required=False)
    stock = serializers.IntegerField(min_value=0, max_value=MAXIMUM_STOCK, required=False)


def row_values(row: CsvRow) -> tuple[dict, dict[str, list[str]]]:
    """The validated values of `row`, or the errors per field when it has any."""
    if not row.values:
        return {}, {"non_field_errors": ["The row does not have as many cells as the header."]}
    given = {
        column: value.strip()
        for column, value in row.values.items()
        if column in REQUIRED_COLUMNS or value.strip()
    }
    serializer = RowInput(data=given)
    if serializer.is_valid():
        return serializer.validated_data, {}
    return {}, field_errors(serializer.errors)
