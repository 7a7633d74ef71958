"""A text PDF drawn a little askew (a "scanned look": the page's text rotated by a degree or so,
still real text) reads as the same rows as the upright page: words of one row drift up or
down across the page, and must still be one line of text."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal

import pytest
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from mailroom.parsers.catalog import Catalog, ProductRef
from mailroom.parsers.fields import requested_date
from mailroom.parsers.lines import extract_lines
from mailroom.parsers.pdf import read_pdf

CATALOG = Catalog.of(
    [
        ProductRef("HX-2040", "Hex Bolt M8x40 Zinc Plated", "六角螺栓 M8x40 镀锌"),
        ProductRef("WS-0810", "Flat Washer M8 Stainless", "不锈钢平垫圈 M8"),
        ProductRef("NT-0800", "Hex Nut M8 Class 8", "六角螺母 M8"),
    ],
    [],
)
ROWS = [
    ("HX-2040", "HEX BOLT M8X40 ZINC", "1,000", "0.12", "120.00"),
    ("WS-0810", "FLAT WASHER M8 SS", "5,000", "0.02", "100.00"),
    ("NT-0800", "HEX NUT M8 CL8", "2,500", "0.03", "75.00"),
]
WANT = [
    ("HX-2040", Decimal(1000), Decimal("0.12")),
    ("WS-0810", Decimal(5000), Decimal("0.02")),
    ("NT-0800", Decimal(2500), Decimal("0.03")),
]


def skewed_po(degrees: float, font: str = "Courier", size: float = 9) -> bytes:
    """A purchase order whose whole page is turned by `degrees` about its lower left corner,
    the item table laid out in columns up to the right margin."""
    buffer = io.BytesIO()
    page = canvas.Canvas(buffer, pagesize=A4)
    page.rotate(degrees)
    page.setFont(font, size)
    page.drawString(50, 780, "PURCHASE ORDER")
    page.drawString(330, 780, "Order No.: PO-7781")
    page.drawString(330, 764, "Required Date: 22/01/2027")
    columns = (50, 130, 330, 420, 500)
    header = ("Item No.", "Description", "Qty", "Unit Price", "Amount")
    for x, text in zip(columns, header, strict=True):
        page.drawString(x, 700, text)
    for index, row in enumerate(ROWS):
        for x, text in zip(columns, row, strict=True):
            page.drawString(x, 680 - 20 * index, text)
    page.drawString(420, 600, "Total: 295.00")
    page.save()
    return buffer.getvalue()


@pytest.mark.parametrize("degrees", [-1.5, -0.8, -0.5, 0.5, 0.8, 1.5])
def test_a_page_turned_by_about_a_degree_reads_row_by_row(degrees: float) -> None:
    # Given a PO whose page is turned a little, one way or the other
    content = read_pdf(skewed_po(degrees))
    # When its text is read for lines
    lines = extract_lines(content.text, CATALOG, content.tables)
    # Then each row is one line, with its count and price
    assert [(line.sku, line.quantity, line.unit_price) for line in lines] == WANT


@pytest.mark.parametrize("degrees", [-1.2, 0.8])
def test_a_label_and_its_date_on_a_turned_page_stay_on_one_line(degrees: float) -> None:
    text = read_pdf(skewed_po(degrees, font="Helvetica", size=10)).text
    row = next(line for line in text.splitlines() if "Required Date" in line)
    assert "22/01/2027" in row
    assert "HX-2040" in next(line for line in text.splitlines() if "1,000" in line)


def test_an_upright_page_reads_as_it_always_did() -> None:
    # Given the same PO upright: its text is what it was before turned pages were read
    text = read_pdf(skewed_po(0)).text
    header = next(line for line in text.splitlines() if "Item No." in line)
    assert "Description" in header and "Amount" in header
    lines = extract_lines(text, CATALOG)
    assert [(line.sku, line.quantity, line.unit_price) for line in lines] == WANT


def test_a_promised_date_on_a_turned_page_is_the_requested_date() -> None:
    # Given a turned PO that names its delivery date "Promised Date" (MYOB's word for it)
    buffer = io.BytesIO()
    page = canvas.Canvas(buffer, pagesize=A4)
    page.rotate(-0.9)
    page.setFont("Courier", 10)
    page.drawString(60, 780, "Purchase No.: 00004417")
    page.drawString(60, 766, "Date: 9/12/2026")
    page.drawString(60, 752, "Promised Date: 29/01/2027")
    page.save()
    text = read_pdf(buffer.getvalue()).text
    # Then that date, read day first, is the one the order asks for
    assert requested_date(text, date(2026, 12, 9)) == "2027-01-29"
