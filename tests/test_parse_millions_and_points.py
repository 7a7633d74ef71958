"""Counts a German or Chinese buyer writes in a table: "1,5 Mio" is a million and a half,
and in a table whose prices have a decimal comma a point that groups no thousands ("2.5K")
is still a decimal point, never a separator that makes 2,500 into 25,000."""

from __future__ import annotations

from decimal import Decimal

from mailroom.parsers.catalog import Catalog, ProductRef
from mailroom.parsers.columns import to_number
from mailroom.parsers.lines import extract_lines
from mailroom.parsers.numbers import parse_quantity_cell

CATALOG = Catalog.of(
    [
        ProductRef("SW-TACT6", "Tactile switch 6x6x5 mm", "轻触开关 6x6x5"),
        ProductRef("CN-M12A4", "M12 connector 4-pin male, A-coded", "M12 连接器 4芯 公头"),
    ],
    [],
)


def test_millions_are_read_in_a_quantity_cell() -> None:
    assert parse_quantity_cell("1,5 Mio") == Decimal("1500000")
    assert parse_quantity_cell("2 million pcs") == Decimal("2000000")
    assert parse_quantity_cell("1.2百万只") == Decimal("1200000")


def test_a_point_that_groups_no_thousands_stays_a_decimal_point_in_a_comma_table() -> None:
    assert to_number("2.5K", "comma") == Decimal("2.5")
    assert to_number("1.000", "comma") == Decimal("1000")
    assert to_number("1.250,50 €", "comma") == Decimal("1250.50")


def test_a_decimal_comma_table_with_k_and_mio_counts_gives_pieces() -> None:
    table = [
        ["Pos.", "Material", "Your item", "Description", "Qty", "Price/pc"],
        ["10", "300-11842", "SW-TACT6", "Tactile switch 6x6x5 mm", "1,5 Mio", "0,0165 €"],
        ["20", "300-20417", "CN-M12A4", "M12 connector 4-pin male", "2.5K", "2,70 €"],
    ]
    lines = extract_lines("", CATALOG, [table])
    assert [(line.sku, line.quantity, line.unit_price) for line in lines] == [
        ("SW-TACT6", Decimal("1500000"), Decimal("0.0165")),
        ("CN-M12A4", Decimal("2500"), Decimal("2.70")),
    ]
