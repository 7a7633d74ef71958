"""A price-unit column (PE, Preiseinheit, "Price unit", "per") says how many pieces a row's
price is for: 380,00 EUR with a PE of 1000 is 0.38 a piece. German ERPs name their columns
Menge, ME, Preis, PE, Betrag and group thousands with dots ("20.000"); an unruled PDF sets the
unit and the price (or the count and the unit) so close that its text runs them together."""

from __future__ import annotations

import io
from decimal import Decimal

from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from mailroom.parsers.catalog import Catalog, ProductRef
from mailroom.parsers.lines import extract_lines
from mailroom.parsers.pdf import read_pdf

CATALOG = Catalog.of(
    [
        ProductRef("HX-2040", "Hex Bolt M8x40 Zinc Plated", "六角螺栓 M8x40 镀锌"),
        ProductRef("WS-0810", "Flat Washer M8 Stainless", "不锈钢平垫圈 M8"),
        ProductRef("CB-PV4", "Solar PV Cable 4mm2 Red", "光伏电缆 4平方 红色"),
    ],
    [],
)
WANT = [
    ("HX-2040", Decimal(20000), Decimal("0.038")),
    ("WS-0810", Decimal(5000), Decimal("0.02")),
    ("CB-PV4", Decimal(500), Decimal("0.95")),
]


def read(text: str = "", tables: list[list[list[str]]] | None = None) -> list[tuple]:
    return [(ln.sku, ln.quantity, ln.unit_price) for ln in extract_lines(text, CATALOG, tables)]


def test_a_german_header_names_count_unit_price_and_price_unit() -> None:
    text = (
        "Pos | Art.-Nr. | Bezeichnung | Menge | ME | Preis | PE | Betrag\n"
        "10 | HX-2040 | Sechskantschraube M8x40 | 20.000 | Stk | 38,00 EUR | 1000 | 760,00 EUR\n"
        "20 | WS-0810 | Scheibe M8 A2 | 5.000 | Stk | 2,00 EUR | 100 | 100,00 EUR\n"
        "30 | CB-PV4 | Solarkabel 4mm2 rot | 500 | m | 0,95 EUR | 1 | 475,00 EUR\n"
    )
    assert read(text) == WANT


def unruled_po(
    header: list[str], rows: list[list[str]], xs: list[float], left: tuple[int, ...] = (0, 1)
) -> bytes:
    """An unruled PDF table: each column's text right-aligned at its x (left-aligned for the
    columns in `left`), the columns set a narrow space apart as ERP print-outs do."""
    buffer = io.BytesIO()
    page = canvas.Canvas(buffer, pagesize=A4)
    page.setFont("Helvetica", 8)
    page.drawString(40, 800, "Purchase Order 4500031177")
    for index, row in enumerate([header, *rows]):
        y = 740 - 14 * index
        for column, (x, text) in enumerate(zip(xs, row, strict=True)):
            if column in left:
                page.drawString(x, y, text)
            else:
                page.drawRightString(x, y, text)
    page.save()
    return buffer.getvalue()


def test_an_unruled_table_whose_unit_runs_into_its_price_keeps_them_apart() -> None:
    # Given the unit left of a right-aligned price, one narrow space between them
    pdf = unruled_po(
        ["Art.-Nr.", "Bezeichnung", "Menge", "ME", "Preis", "Preiseinheit", "Betrag"],
        [
            ["HX-2040", "Sechskantschraube M8x40", "20.000", "Stk", "38,00 EUR", "1000", "760,00"],
            ["WS-0810", "Scheibe M8 A2", "5.000", "Stk", "2,00 EUR", "100", "100,00"],
            ["CB-PV4", "Solarkabel 4mm2 rot", "500", "m", "0,95 EUR", "1", "475,00"],
        ],
        [40, 110, 300, 318, 360, 420, 480],
    )
    content = read_pdf(pdf)
    # Then each count is in pieces and each price per piece
    assert read(content.text, content.tables) == WANT


def test_an_unruled_table_whose_count_runs_into_its_unit_keeps_them_apart() -> None:
    # Given an English header with a "Price unit" column, the count close to its unit
    pdf = unruled_po(
        ["Item", "Description", "Qty", "UoM", "Unit Price", "Price unit", "Amount"],
        [
            ["HX-2040", "Hex bolt M8x40 zinc", "20,000", "pcs", "3.80", "100", "760.00"],
            ["WS-0810", "Washer M8 stainless", "5,000", "pcs", "20.00", "1000", "100.00"],
            ["CB-PV4", "PV cable 4mm2 red", "500", "m", "0.95", "1", "475.00"],
        ],
        [40, 110, 300, 303, 380, 440, 500],
        left=(0, 1, 3),
    )
    content = read_pdf(pdf)
    assert read(content.text, content.tables) == [
        ("HX-2040", Decimal(20000), Decimal("0.038")),
        ("WS-0810", Decimal(5000), Decimal("0.02")),
        ("CB-PV4", Decimal(500), Decimal("0.95")),
    ]


def test_a_german_sheets_sum_row_is_no_line() -> None:
    # Given a sheet with German headings, the price named per unit, and a "Summe" row under it
    sheet = [
        ["Pos", "Menge", "ME", "Art.-Nr.", "Bezeichnung", "Preis/ME", "Gesamt"],
        ["10", "20000", "Stk", "HX-2040", "Sechskantschraube M8x40", "0.038", "760"],
        ["20", "500", "m", "CB-PV4", "Solarkabel 4mm2 rot", "0.95", "475"],
        ["", "", "", "", "", "Summe", "1235"],
    ]
    assert read(tables=[sheet]) == [WANT[0], WANT[2]]
