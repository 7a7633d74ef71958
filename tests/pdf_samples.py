"""Purchase-order PDFs made with reportlab for the attachment tests and the PDF benchmark."""

from __future__ import annotations

import io
from decimal import Decimal
from pathlib import Path

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

CJK_FONT_PATH = Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc")
Row = tuple[str, str, int, Decimal]


def order_rows(count: int) -> list[Row]:
    """`count` distinct order lines: (SKU, description, quantity, unit price)."""
    return [
        (
            f"HX-{2000 + i}",
            f"Hex bolt M{6 + i % 10} x {20 + i}",
            100 * (i + 1),
            Decimal(i + 12) / 10,
        )
        for i in range(count)
    ]


def po_table_rows(rows: list[Row], header: list[str]) -> list[list[str]]:
    """The table as printed: header, then one row per line with thousands separators."""
    return [header] + [
        [sku, description, f"{quantity:,}", f"{price:.2f}", f"{quantity * price:,.2f}"]
        for sku, description, quantity, price in rows
    ]


def english_po(rows: list[Row], po_number: str = "PO-2026-0042") -> bytes:
    """A one-or-more-page English purchase order with a ruled item table."""
    styles = getSampleStyleSheet()
    table = po_table_rows(rows, ["SKU", "Description", "Qty", "Unit Price (USD)", "Amount"])
    story = [
        Paragraph("PURCHASE ORDER", styles["Title"]),
        Paragraph(f"PO Number: {po_number}", styles["Normal"]),
        Paragraph("Delivery date: 2026-12-15", styles["Normal"]),
        Spacer(1, 6 * mm),
        _ruled(table),
    ]
    return _build(story)


def chinese_po(rows: list[Row], po_number: str = "CG-2026-118") -> bytes:
    """A Chinese purchase order (采购订单) in WenQuanYi Micro Hei, embedded."""
    if "WQY" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont("WQY", str(CJK_FONT_PATH), subfontIndex=0))
    title = ParagraphStyle("title", fontName="WQY", fontSize=18, leading=24)
    body = ParagraphStyle("body", fontName="WQY", fontSize=10, leading=14)
    table = po_table_rows(rows, ["物料编号", "品名", "数量", "单价(元)", "金额"])
    story = [
        Paragraph("采购订单", title),
        Paragraph(f"订单号：{po_number}", body),
        Paragraph("交货日期：2026年12月15日", body),
        Spacer(1, 6 * mm),
        _ruled(table, font="WQY"),
    ]
    return _build(story)


def text_pdf(*rows: str) -> bytes:
    """A one-page PDF with these lines of text, one under the other."""
    buffer = io.BytesIO()
    page = canvas.Canvas(buffer, pagesize=A4)
    for index, row in enumerate(rows):
        page.drawString(60, 780 - 18 * index, row)
    page.save()
    return buffer.getvalue()


def image_only_pdf() -> bytes:
    """A 'scan': one page that is a picture of an order, with no text layer."""
    from PIL import Image, ImageDraw

    picture = Image.new("L", (600, 300), 255)
    draw = ImageDraw.Draw(picture)
    draw.text((20, 20), "PURCHASE ORDER PO-77  HX-2040  1000 pcs", fill=0)
    draw.rectangle((10, 60, 590, 280), outline=0)
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4)
    pdf.drawInlineImage(picture, 20 * mm, 150 * mm, width=170 * mm, height=85 * mm)
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def dense_pdf(pages: int, lines_per_page: int = 70) -> bytes:
    """Many pages full of small text: slow to read on purpose."""
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4)
    for page in range(pages):
        pdf.setFont("Helvetica", 7)
        for line in range(lines_per_page):
            words = " ".join(f"w{page}x{line}y{word}" for word in range(14))
            pdf.drawString(10 * mm, 285 * mm - line * 3.9 * mm, words)
        pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def _ruled(table: list[list[str]], font: str = "Helvetica") -> Table:
    ruled = Table(table, repeatRows=1)
    ruled.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
                ("FONTNAME", (0, 0), (-1, -1), font),
                ("FONTSIZE", (0, 0), (-1, -1), 9),
                ("ALIGN", (2, 1), (-1, -1), "RIGHT"),
            ]
        )
    )
    return ruled


def _build(story: list) -> bytes:
    buffer = io.BytesIO()
    SimpleDocTemplate(buffer, pagesize=A4, title="Purchase order").build(story)
    return buffer.getvalue()
