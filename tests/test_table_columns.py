"""Tables read by what their cells hold: decimal commas, and headers in words we never listed."""

from __future__ import annotations

from decimal import Decimal
from email.message import EmailMessage

import pytest

from mailroom.parsers import parse_mail
from mailroom.parsers.catalog import Catalog
from mailroom.parsers.columns import in_point_style, infer_columns, number_style
from tests.golden import fixture_catalog

NORDTEK = "einkauf@nordtek.de"


@pytest.fixture(scope="module")
def catalog(tmp_path_factory: pytest.TempPathFactory) -> Catalog:
    return fixture_catalog(tmp_path_factory.mktemp("columns"))


def with_csv(data: bytes, filename: str = "bestellung.csv") -> bytes:
    msg = EmailMessage()
    msg["From"], msg["To"], msg["Subject"] = NORDTEK, "orders@mailroom.example", "Bestellung"
    msg.set_content("Guten Tag,\n\nanbei unsere Bestellung.\n\nMit freundlichen Gruessen")
    msg.add_attachment(data, maintype="text", subtype="csv", filename=filename)
    return msg.as_bytes()


def lines_of(result: object) -> list[tuple[str | None, Decimal, Decimal | None]]:
    return [(ln.sku, ln.quantity, ln.unit_price) for ln in result.lines]  # type: ignore[attr-defined]


def test_a_table_of_decimal_commas_is_read_in_that_style() -> None:
    # Given cells written the continental way
    cells = ["1.500", "1,70", "2.550,00", "12.000", "0,07", "840,00"]
    # Then the table's style is the decimal comma, and rewriting gives points throughout
    assert number_style(cells) == "comma"
    assert in_point_style([cells]) == [["1500", "1.70", "2550.00", "12000", "0.07", "840.00"]]
    # And a table written the English way is left as it is
    english = [["1,500", "1.70", "2,550.00"]]
    assert number_style(english[0]) == "point" and in_point_style(english) == english


def test_columns_are_told_by_content_when_the_header_is_in_another_language(
    catalog: Catalog,
) -> None:
    # Given a German table whose header names nothing we listed
    rows = [
        ["Pos", "Artikel", "Bezeichnung", "Menge", "Einzelpreis", "Gesamt"],
        ["1", "BR-6204", "Rillenkugellager", "1500", "1.70", "2550.00"],
        ["2", "HX-3012", "Sechskantmutter M12", "12000", "0.07", "840.00"],
    ]
    # When its columns are inferred
    columns = infer_columns(rows, catalog)
    # Then the item, the quantity (not the line number) and the unit price are found
    assert columns is not None
    assert 1 in columns.item and columns.quantity == 3 and columns.unit_price == 4


def test_a_cp1252_semicolon_csv_with_decimal_commas_gives_its_lines(catalog: Catalog) -> None:
    # Given Nordtek's CSV export: cp1252, semicolons, German header, decimal commas
    data = (
        "Pos;Artikel;Bezeichnung;Menge;Einzelpreis EUR;Gesamt\r\n"
        "1;BR-6204;Rillenkugellager 6204-2RS;1.500;1,70;2.550,00\r\n"
        "2;HX-3012;Sechskantmutter M12 Edelstahl für Außen;12.000;0,07;840,00\r\n"
    ).encode("cp1252")
    # When the mail is parsed
    result = parse_mail(with_csv(data), catalog)
    # Then each line has its count, its price, and the currency the header names
    assert result.intent == "order"
    assert lines_of(result) == [
        ("BR-6204", Decimal(1500), Decimal("1.70")),
        ("HX-3012", Decimal(12000), Decimal("0.07")),
    ]
    assert {line.currency for line in result.lines} == {"EUR"}


def test_a_headerless_table_with_an_amount_column_tells_count_from_price(
    catalog: Catalog,
) -> None:
    # Given rows with no header at all: code, price, count, amount
    data = "SN-PT100;4,20;250;1.050,00\r\nSN-IR18;3,50;1.200;4.200,00\r\n".encode("cp1252")
    # When the mail is parsed
    result = parse_mail(with_csv(data, "order.csv"), catalog)
    # Then the amount column shows which number is the count and which the price
    assert lines_of(result) == [
        ("SN-PT100", Decimal(250), Decimal("4.20")),
        ("SN-IR18", Decimal(1200), Decimal("3.50")),
    ]


def test_a_plainer_header_takes_a_role_from_a_looser_one() -> None:
    from mailroom.parsers.tables import header_roles

    # Given an SAP-style header where "Item" comes before "Description"
    header = ["Item", "Material", "Description", "Quantity", "Unit", "Price", "Net value"]
    # When its roles are read / Then "Description" describes and "Item" numbers the lines
    roles = header_roles(header)
    assert roles is not None
    assert roles["description"] == 2 and roles["line_no"] == 0 and roles["quantity"] == 3


def test_a_note_under_each_row_does_not_end_the_table() -> None:
    from mailroom.parsers.tables import find_tables

    text = (
        "Item    Description        Quantity    Price\n"
        "00010   Hex nut M12        20,000      0.07\n"
        "Delivery date: 15/01/2027\n"
        "00020   Flat washer M8     10,000      0.02\n"
        "Delivery date: 15/01/2027\n"
    )
    tables, free = find_tables(text)
    assert len(tables) == 1 and len(tables[0]) == 3
    assert free.count("Delivery date: 15/01/2027") == 2
