"""Our own PDF documents: order confirmation, quote, invoice and packing list, in en or zh.

Each `render_*` function is pure: a `Document` and a language in, PDF bytes out, the same
bytes for the same input. Labels are data (`templates/labels.<language>.toml`); the text is
set in an embedded WenQuanYi Micro Hei so Chinese shows in any viewer and reads back.

    pdf = render_quote(Document(...), "zh")
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, Spacer

from mailroom.documents.fonts import document_font
from mailroom.documents.labels import labels, normalise_language
from mailroom.documents.layout import MARGIN, MUTED, PAGE_HEIGHT, PAGE_WIDTH, Styles, build_pdf
from mailroom.documents.layout import make_styles as _make_styles
from mailroom.documents.model import Document, DocumentLine
from mailroom.documents.parts import (
    Kind,
    closing,
    info_block,
    letterhead,
    lines_table,
    running_head,
    totals_block,
)

# Which reference fields each kind of document prints, in order, and whether it has prices.
KINDS = {
    "order_confirmation": Kind(
        "order_confirmation", ("date", "customer_po", "promised_date"), priced=True
    ),
    "quote": Kind("quote", ("date", "customer_po", "valid_until", "promised_date"), priced=True),
    "invoice": Kind("invoice", ("date", "order_number", "customer_po", "due_date"), priced=True),
    "packing_list": Kind(
        "packing_list", ("date", "order_number", "customer_po", "promised_date"), priced=False
    ),
}


def render(kind: str, doc: Document, language: str | None = "en") -> bytes:
    """Render one document as PDF.

    Args:
        kind: one of KINDS ("order_confirmation", "quote", "invoice", "packing_list").
        doc: what the document says.
        language: "en" or "zh" (tags such as "zh-CN" count as "zh"; others give English).

    Returns:
        The PDF bytes, several pages when the lines do not fit on one.

    Raises:
        KeyError: `kind` is not a known kind of document.
    """
    spec = KINDS[kind]
    table = labels(normalise_language(language))
    font = document_font()
    head = running_head(doc, spec, table)
    return build_pdf(
        _story(doc, spec, table, _make_styles(font)),
        font=font,
        title=head,
        author=doc.company_name,
        footer_left=f"{doc.company_name} · {head}",
        page_format=table["page"],
        later_pages=_later_pages(font, doc.company_name, head),
    )


def _story(doc: Document, spec: Kind, table: dict[str, Any], st: Styles) -> list[Flowable]:
    """The parts of a document in reading order: letterhead, references, lines, totals."""
    return [
        letterhead(doc, spec, table, st),
        info_block(doc, spec, table, st),
        Spacer(1, 6 * mm),
        lines_table(doc, spec, table, st),
        Spacer(1, 2 * mm),
        totals_block(doc, spec, table, st),
        *closing(doc, table, st),
    ]


def _later_pages(font: str, company_name: str, head: str) -> Callable[[Canvas, Any], None]:
    """Draws the running head (our name, the document's title) on pages after the first."""

    def later_pages(canvas: Canvas, _doc: Any) -> None:
        canvas.saveState()
        canvas.setFont(font, 7.5)
        canvas.setFillColor(MUTED)
        canvas.drawString(MARGIN, PAGE_HEIGHT - 10 * mm, company_name)
        canvas.drawRightString(PAGE_WIDTH - MARGIN, PAGE_HEIGHT - 10 * mm, head)
        canvas.restoreState()

    return later_pages


def render_order_confirmation(doc: Document, language: str | None = "en") -> bytes:
    """An order confirmation: lines, prices, totals, promised date, payment terms (PDF)."""
    return render("order_confirmation", doc, language)


def render_quote(doc: Document, language: str | None = "en") -> bytes:
    """A quote: lines, prices, totals, validity, estimated dispatch, payment terms (PDF)."""
    return render("quote", doc, language)


def render_invoice(doc: Document, language: str | None = "en") -> bytes:
    """An invoice: lines, prices, totals, our order, the customer's PO, due date (PDF)."""
    return render("invoice", doc, language)


def render_packing_list(doc: Document, language: str | None = "en") -> bytes:
    """A packing list: lines and quantities without prices, total quantity per unit (PDF)."""
    return render("packing_list", doc, language)


__all__ = [
    "KINDS",
    "Document",
    "DocumentLine",
    "render",
    "render_invoice",
    "render_order_confirmation",
    "render_packing_list",
    "render_quote",
]
