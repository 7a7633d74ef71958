"""PDF tables: plain ruled grids come from the page's own drawing, the rest from pdfplumber.

Whichever reads a page, its tables must be what pdfplumber reads; a plain grid must be read
without pdfplumber, and a table that is not plain (a wrapped cell, a merged cell) must not.
"""

from __future__ import annotations

import io
import sys
from collections.abc import Callable

import pytest
from pdf_samples import chinese_po, english_po, order_rows
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.pdfgen import canvas
from reportlab.platypus import Paragraph, SimpleDocTemplate, Table, TableStyle

from mailroom.parsers.content import AttachmentContent
from mailroom.parsers.pdf import read_pdf
from mailroom.parsers.sandbox import Sandbox

HEADER = ["SKU", "Description", "Qty", "Unit Price"]
ITEMS = [
    ["HX-2040", "Hex bolt M8x40 zinc plated", "1,000", "0.12"],
    ["WS-0810", "Flat washer M8 stainless", "5,000", "0.02"],
    ["NT-0800", "Hex nut M8 class 8", "2,500", "0.03"],
]


def _platypus(table: Table) -> bytes:
    buffer = io.BytesIO()
    styles = getSampleStyleSheet()
    story = [Paragraph("PURCHASE ORDER PO-2026-0815", styles["Title"]), table]
    SimpleDocTemplate(buffer, pagesize=A4).build(story)
    return buffer.getvalue()


def grid_with_a_wrapped_cell() -> bytes:
    """A ruled table whose first description wraps over three lines in its narrow column."""
    style = getSampleStyleSheet()["Normal"]
    long_name = "Hex bolt M8x40 zinc plated, DIN 933, class 8.8, packed in boxes of 100"
    rows = [HEADER, [ITEMS[0][0], Paragraph(long_name, style), *ITEMS[0][2:]], *ITEMS[1:]]
    table = Table(rows, colWidths=[25 * mm, 45 * mm, 20 * mm, 25 * mm])
    table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.5, colors.black)]))
    return _platypus(table)


def grid_with_a_merged_title_row() -> bytes:
    """A ruled table whose first row is one cell across every column."""
    table = Table([["Items ordered", "", "", ""], HEADER, *ITEMS])
    table.setStyle(
        TableStyle([("GRID", (0, 0), (-1, -1), 0.5, colors.black), ("SPAN", (0, 0), (-1, 0))])
    )
    return _platypus(table)


def rules_across_only() -> bytes:
    """Rows separated by horizontal rules, no vertical ones (pdfplumber finds no cells)."""
    table = Table([HEADER, *ITEMS])
    table.setStyle(TableStyle([("LINEBELOW", (0, 0), (-1, -1), 0.5, colors.black)]))
    return _platypus(table)


def grid_drawn_cell_by_cell() -> bytes:
    """Each cell is its own rectangle, as some report writers draw tables."""
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4)
    pdf.setFont("Helvetica", 9)
    widths, top, height = [70, 170, 60, 70], 700, 18
    for r, row in enumerate([HEADER, *ITEMS]):
        left = 60
        for width, text in zip(widths, row, strict=True):
            pdf.rect(left, top - (r + 1) * height, width, height)
            pdf.drawString(left + 4, top - (r + 1) * height + 5, text)
            left += width
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def plain_english_po() -> bytes:
    return english_po(order_rows(6))


def plain_chinese_po() -> bytes:
    return chinese_po(order_rows(4))


def two_page_po() -> bytes:
    return english_po(order_rows(55))


LAYOUTS: dict[str, Callable[[], bytes]] = {
    "plain English PO": plain_english_po,
    "plain Chinese PO": plain_chinese_po,
    "PO over two pages": two_page_po,
    "grid drawn cell by cell": grid_drawn_cell_by_cell,
    "wrapped cell": grid_with_a_wrapped_cell,
    "merged title row": grid_with_a_merged_title_row,
    "rules across only": rules_across_only,
}


def pdfplumber_tables(payload: bytes) -> list[list[list[str]]]:
    """Every page's tables as pdfplumber reads them, cells on one line, empty rows dropped."""
    import pdfplumber  # here, not above: workers import this module and must not get it

    found = []
    with pdfplumber.open(io.BytesIO(payload)) as pdf:
        for page in pdf.pages:
            for table in page.extract_tables():
                rows = [[" ".join((cell or "").split()) for cell in row] for row in table]
                found.append([row for row in rows if any(row)])
    return [table for table in found if len(table) >= 2 and max(map(len, table)) >= 2]


def read_in_fresh_worker(payload: bytes) -> tuple[AttachmentContent, bool]:
    """Run in a worker that has not imported pdfplumber: the content, and whether it needed it."""
    content = read_pdf(payload)
    return content, "pdfplumber" in sys.modules


def _read_fresh(payload: bytes) -> tuple[AttachmentContent, bool]:
    sandbox = Sandbox(workers=1, preload=("mailroom.parsers.pdf",))
    try:
        return sandbox.call(read_in_fresh_worker, payload, timeout_s=30)
    finally:
        sandbox.close()


@pytest.mark.parametrize("layout", LAYOUTS)
def test_whichever_reads_a_page_its_tables_are_what_pdfplumber_reads(layout: str) -> None:
    # Given a PDF with a table in one of the layouts customers send
    payload = LAYOUTS[layout]()
    # When it is read
    content = read_pdf(payload)
    # Then its tables are exactly pdfplumber's
    assert content.tables == pdfplumber_tables(payload)


def test_a_plain_ruled_po_is_read_without_pdfplumber() -> None:
    # Given a purchase order whose item table is a complete grid, one line of text a row
    payload = english_po(order_rows(8))
    # When a worker that has not imported pdfplumber reads it
    content, used_pdfplumber = _read_fresh(payload)
    # Then the table has every line and pdfplumber was never needed
    assert not used_pdfplumber
    assert [row[0] for row in content.tables[0][1:]] == [sku for sku, *_ in order_rows(8)]


@pytest.mark.parametrize("layout", ["wrapped cell", "merged title row"])
def test_a_table_that_is_not_plain_is_left_to_pdfplumber(layout: str) -> None:
    # Given a ruled table with a cell over several lines, or cells merged across columns
    payload = LAYOUTS[layout]()
    # When a worker that has not imported pdfplumber reads it
    content, used_pdfplumber = _read_fresh(payload)
    # Then pdfplumber read the table, and each item is one row with its whole description
    assert used_pdfplumber
    skus = [row[0] for table in content.tables for row in table if row[0].startswith("HX-")]
    assert skus == ["HX-2040"]
    row = next(row for table in content.tables for row in table if row[0] == "HX-2040")
    assert row[1].startswith("Hex bolt M8x40") and row[2] == "1,000"


def test_a_wrapped_cell_reads_as_one_cell() -> None:
    # Given a ruled table whose first description wraps over three lines
    payload = grid_with_a_wrapped_cell()
    # When it is read
    content = read_pdf(payload)
    # Then the description is one cell, in the order it was written
    row = next(row for row in content.tables[0] if row[0] == "HX-2040")
    assert row[1].endswith("packed in boxes of 100")
