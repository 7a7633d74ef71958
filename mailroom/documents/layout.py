"""Page layout of our documents: styles, the page frame with its footer, and PDF assembly.

The parts of a page (header, info block, lines, totals) are built in `parts.py`; this module
turns them into PDF bytes on A4 with "Page x of y" on every page.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, Paragraph, SimpleDocTemplate

PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN = 16 * mm
# reportlab's frame pads its content by 6 pt; the page margins leave room for it so the text
# edge sits exactly at MARGIN.
_FRAME_PADDING = 6
CONTENT_WIDTH = PAGE_WIDTH - 2 * MARGIN
INK = colors.HexColor("#1F2933")
MUTED = colors.HexColor("#616E7C")
RULE = colors.HexColor("#CBD2D9")
ACCENT = colors.HexColor("#243B53")
BAND = colors.HexColor("#F0F4F8")


@dataclass(frozen=True)
class Styles:
    """The paragraph styles of one document, all in the one document font."""

    font: str
    body: ParagraphStyle
    small: ParagraphStyle
    right: ParagraphStyle
    header: ParagraphStyle
    header_right: ParagraphStyle
    title: ParagraphStyle
    company: ParagraphStyle
    heading: ParagraphStyle


def make_styles(font: str) -> Styles:
    """Paragraph styles for a document set in `font`.

    CJK wrapping lets a line break between Chinese characters; reportlab keeps Latin words
    whole under it, so one style serves both languages.
    """
    body = ParagraphStyle(
        "body", fontName=font, fontSize=8.5, leading=11, textColor=INK, wordWrap="CJK"
    )
    header = ParagraphStyle("header", body, textColor=colors.white, fontSize=8, leading=10)
    return Styles(
        font=font,
        body=body,
        small=ParagraphStyle("small", body, fontSize=7.5, leading=9.5, textColor=MUTED),
        right=ParagraphStyle("right", body, alignment=TA_RIGHT),
        header=header,
        header_right=ParagraphStyle("header_right", header, alignment=TA_RIGHT),
        title=ParagraphStyle(
            "title", body, fontSize=18, leading=22, textColor=ACCENT, alignment=TA_RIGHT
        ),
        company=ParagraphStyle("company", body, fontSize=13, leading=16, textColor=ACCENT),
        heading=ParagraphStyle("heading", body, fontSize=8, leading=10, textColor=MUTED),
    )


def para(text: str, style: ParagraphStyle) -> Paragraph:
    """A paragraph of plain text: markup characters are escaped, newlines kept."""
    return Paragraph(escape(text).replace("\n", "<br/>"), style)


def _numbered_canvas(font: str, footer_left: str, page_format: str) -> type[Canvas]:
    """A canvas that holds pages back until the end so each can say "Page x of y"."""

    class NumberedCanvas(Canvas):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._held_pages: list[dict[str, Any]] = []

        def showPage(self) -> None:  # noqa: N802 - reportlab's name
            self._held_pages.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._held_pages)
            for number, state in enumerate(self._held_pages, start=1):
                self.__dict__.update(state)
                self._footer(number, total)
                super().showPage()
            super().save()

        def _footer(self, number: int, total: int) -> None:
            self.setStrokeColor(RULE)
            self.setLineWidth(0.5)
            self.line(MARGIN, 12 * mm, PAGE_WIDTH - MARGIN, 12 * mm)
            self.setFont(font, 7.5)
            self.setFillColor(MUTED)
            self.drawString(MARGIN, 8 * mm, footer_left)
            page = page_format.format(page=number, pages=total)
            self.drawRightString(PAGE_WIDTH - MARGIN, 8 * mm, page)

    return NumberedCanvas


def build_pdf(
    story: list[Flowable],
    *,
    font: str,
    title: str,
    author: str,
    footer_left: str,
    page_format: str,
    later_pages: Callable[[Canvas, Any], None] | None = None,
) -> bytes:
    """Lay out the flowables on A4 pages and return the PDF.

    Args:
        story: the flowables, in reading order.
        font: the registered document font.
        title: the PDF's title metadata.
        author: the PDF's author metadata (our company).
        footer_left: text at the bottom left of every page.
        page_format: e.g. "Page {page} of {pages}".
        later_pages: draws the running head on pages after the first.

    Returns:
        The PDF bytes; the same input gives the same bytes (reportlab's invariant mode).
    """
    buffer = io.BytesIO()
    _a4_template(buffer, title=title, author=author).build(
        story,
        onFirstPage=_no_decoration,
        onLaterPages=later_pages or _no_decoration,
        canvasmaker=_numbered_canvas(font, footer_left, page_format),
    )
    return buffer.getvalue()


def _a4_template(buffer: io.BytesIO, *, title: str, author: str) -> SimpleDocTemplate:
    """An A4 document writing into `buffer`, text edges at MARGIN, reproducible bytes."""
    return SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=MARGIN - _FRAME_PADDING,
        rightMargin=MARGIN - _FRAME_PADDING,
        topMargin=MARGIN - _FRAME_PADDING,
        bottomMargin=18 * mm - _FRAME_PADDING,
        title=title,
        author=author,
        creator="mailroom",
        producer="mailroom",
        invariant=1,
    )


def _no_decoration(canvas: Canvas, doc: Any) -> None:
    """A page hook that draws nothing (the first page has no running head)."""
    return None
