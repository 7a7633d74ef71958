"""The parts of a document page: letterhead, customer and reference block, lines, totals."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, KeepTogether, Preformatted, Spacer, Table, TableStyle

from mailroom.documents.labels import (
    field_label,
    format_amount,
    format_date,
    format_quantity,
    format_unit_price,
    unit_label,
)
from mailroom.documents.layout import ACCENT, BAND, CONTENT_WIDTH, RULE, Styles, para
from mailroom.documents.model import Document, DocumentLine

_ADDRESS_SEPARATOR = re.compile(r"\s*(?:\n|\s/\s)\s*")


@dataclass(frozen=True)
class Kind:
    """What one kind of document shows: its info fields, and whether it carries prices."""

    key: str
    fields: tuple[str, ...]
    priced: bool


def letterhead(doc: Document, kind: Kind, table: dict[str, Any], st: Styles) -> Flowable:
    """Our company on the left; the document's title and number on the right."""
    left: list[Flowable] = [para(doc.company_name, st.company)]
    if doc.company_address:
        left.append(para(_address(doc.company_address), st.small))
    right = [
        para(table["titles"][kind.key], st.title),
        para(f"{table['numbers'][kind.key]}  {doc.number}", st.right),
    ]
    half = CONTENT_WIDTH / 2
    return Table(
        [[left, right]],
        colWidths=[half, half],
        style=TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (0, -1), 0),
                ("RIGHTPADDING", (-1, 0), (-1, -1), 0),
                ("LINEBELOW", (0, 0), (-1, -1), 1, ACCENT),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 6),
            ]
        ),
    )


def info_block(doc: Document, kind: Kind, table: dict[str, Any], st: Styles) -> Flowable:
    """The customer (name, address) beside our references (date, PO, validity...)."""
    customer: list[Flowable] = [
        para(table["text"]["customer"], st.heading),
        para(doc.customer_name, st.body),
    ]
    if doc.customer_address:
        customer.append(para(_address(doc.customer_address), st.body))
    rows = []
    for name in kind.fields:
        value = getattr(doc, name)
        if value:
            text = value if isinstance(value, str) else format_date(table, value)
            rows.append([para(field_label(table, kind.key, name), st.heading), para(text, st.body)])
    refs: Flowable = Spacer(1, 1)
    if rows:
        refs = Table(rows, colWidths=[32 * mm, 53 * mm], style=_compact_style())
    return Table(
        [[customer, refs]],
        colWidths=[CONTENT_WIDTH - 85 * mm, 85 * mm],
        style=TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (0, -1), 0),
                ("RIGHTPADDING", (-1, 0), (-1, -1), 0),
                ("TOPPADDING", (0, 0), (-1, -1), 8),
            ]
        ),
    )


def lines_table(doc: Document, kind: Kind, table: dict[str, Any], st: Styles) -> Table:
    """The lines, one row each, with the header row repeated on every page."""
    columns = _columns(doc, kind)
    widths = dict(columns)
    head_labels = dict(table["columns"])
    currencies = {line.currency for line in doc.lines if line.unit_price is not None}
    if kind.priced and len(currencies) == 1:
        (only,) = currencies
        # On its own line: the headers stay two even lines in both languages.
        head_labels["unit_price"] += f"\n({only})"
        head_labels["amount"] += f"\n({only})"
    rows: list[list[Any]] = [[_fit(head_labels[c], w, st.header) for c, w in columns]]
    for number, line in enumerate(doc.lines, start=1):
        cells = _cells(number, line, table, st, show_currency=len(currencies) > 1)
        cells["description"] = _description(line, table, st, widths["description"])
        rows.append([_fit(cells[c], widths[c], st.body) for c, _ in columns])
    numeric = [i for i, (c, _) in enumerate(columns) if c in ("quantity", "unit_price", "amount")]
    style = [
        ("BACKGROUND", (0, 0), (-1, 0), ACCENT),
        ("FONT", (0, 0), (-1, 0), st.font, st.header.fontSize, st.header.leading),
        ("TEXTCOLOR", (0, 0), (-1, 0), st.header.textColor),
        ("FONT", (0, 1), (-1, -1), st.font, st.body.fontSize, st.body.leading),
        ("TEXTCOLOR", (0, 1), (-1, -1), st.body.textColor),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LINEBELOW", (0, 1), (-1, -1), 0.4, RULE),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
    ]
    style += [("ALIGN", (i, 0), (i, -1), "RIGHT") for i in numeric]
    style += [("BACKGROUND", (0, r), (-1, r), BAND) for r in range(2, len(rows), 2)]
    return Table(rows, colWidths=[w for _, w in columns], repeatRows=1, style=TableStyle(style))


def _fit(cell: Any, width: float, style: ParagraphStyle) -> Any:
    """Plain text when it fits the column on its lines (cheap to lay out), else a paragraph.

    Numbers and short codes are most cells of a long order; drawing them as strings instead
    of paragraphs makes a page several times faster.
    """
    if not isinstance(cell, str):
        return cell
    room = width - 12  # the cell's left and right padding
    if all(stringWidth(part, style.fontName, style.fontSize) <= room for part in cell.split("\n")):
        return cell
    return para(cell, style)


def _columns(doc: Document, kind: Kind) -> list[tuple[str, float]]:
    """Column keys and widths; the description takes what the others leave."""
    widths = {"no": 28.0, "sku": 74.0, "quantity": 46.0, "unit": 34.0}
    if kind.priced:
        widths |= {"unit_price": 66.0, "amount": 74.0}
    if any(line.dispatch_date for line in doc.lines):
        widths["dispatch"] = 60.0
    if not kind.priced:
        widths["sku"] = 96.0
    description = CONTENT_WIDTH - sum(widths.values())
    order = ["no", "sku", "description", "quantity", "unit", "unit_price", "amount", "dispatch"]
    widths["description"] = description
    return [(key, widths[key]) for key in order if key in widths]


def _cells(
    number: int, line: DocumentLine, table: dict[str, Any], st: Styles, *, show_currency: bool
) -> dict[str, Any]:
    """The text of every cell of one line but the description, keyed by column."""
    prefix = f"{line.currency} " if show_currency else ""
    price = amount = ""
    if line.unit_price is not None:
        price = prefix + format_unit_price(line.unit_price, line.currency)
    if line.amount is not None:
        amount = prefix + format_amount(line.amount, line.currency)
    dispatch = format_date(table, line.dispatch_date, short=True) if line.dispatch_date else ""
    if dispatch and line.from_stock:
        dispatch += "\n" + table["text"]["from_stock"]
    return {
        "no": str(number),
        "sku": line.sku,
        "quantity": format_quantity(line.quantity),
        "unit": unit_label(table, line.unit),
        "unit_price": price,
        "amount": amount,
        "dispatch": dispatch,
    }


def _description(line: DocumentLine, table: dict[str, Any], st: Styles, width: float) -> Any:
    """The product name in the document's language first, the other one below, then a note."""
    names = [line.name_zh, line.name] if table["language"] == "zh" else [line.name, line.name_zh]
    first, *rest = [n for n in names if n] or [""]
    small = rest + ([line.note] if line.note else [])
    return [_line_or_para(first, width, st.body)] + [
        _line_or_para(t, width, st.small) for t in small
    ]


def _line_or_para(text: str, width: float, style: ParagraphStyle) -> Flowable:
    """A one-line flowable when the text fits, else a wrapping paragraph.

    Laying out a CJK-wrapping paragraph costs about a millisecond; most names fit on one
    line, and drawing those as preformatted lines makes a long order several times faster.
    """
    if "\n" not in text and stringWidth(text, style.fontName, style.fontSize) <= width - 12:
        return Preformatted(text, style)
    return para(text, style)


def totals_block(doc: Document, kind: Kind, table: dict[str, Any], st: Styles) -> Flowable:
    """Totals per currency (priced documents) or total quantity per unit (packing list)."""
    rows = []
    if kind.priced:
        for currency, total in sorted(doc.totals_by_currency().items()):
            label = f"{table['text']['total']} {currency}"
            rows.append([para(label, st.right), para(format_amount(total, currency), st.right)])
    else:
        by_unit: dict[str, Any] = {}
        for line in doc.lines:
            unit = unit_label(table, line.unit)
            by_unit[unit] = by_unit.get(unit, 0) + line.quantity
        for unit, quantity in by_unit.items():
            text = f"{format_quantity(quantity)} {unit}"
            rows.append([para(table["text"]["total_quantity"], st.right), para(text, st.right)])
    if not rows:
        return Spacer(1, 1)
    # The figures sit under the amount (or quantity) column; the label takes the room before.
    columns = _columns(doc, kind)
    keys = [key for key, _ in columns]
    first, last = ("amount", "amount") if kind.priced else ("quantity", "unit")
    start, end = keys.index(first), keys.index(last) + 1
    figure = sum(width for _, width in columns[start:end])
    after = sum(width for _, width in columns[end:])
    widths = [CONTENT_WIDTH - figure - after, figure, after]
    rows = [row + [""] for row in rows]
    style = _compact_style() + [("LINEABOVE", (0, 0), (-1, 0), 1, ACCENT)]
    return Table(rows, colWidths=widths, style=TableStyle(style))


def closing(doc: Document, table: dict[str, Any], st: Styles) -> list[Flowable]:
    """Payment terms and notes under the totals, each heading kept with its text."""
    blocks = []
    if doc.payment_terms:
        blocks.append((table["text"]["payment_terms"], [doc.payment_terms]))
    if doc.notes:
        blocks.append((table["text"]["notes"], list(doc.notes)))
    parts: list[Flowable] = []
    for heading, texts in blocks:
        body = [para(heading, st.heading), *(para(text, st.body) for text in texts)]
        parts += [Spacer(1, 8), KeepTogether(body)]
    return parts


def running_head(doc: Document, kind: Kind, table: dict[str, Any]) -> str:
    """The line at the top of pages after the first: title and number."""
    return f"{table['titles'][kind.key]}  {doc.number}"


def _address(text: str) -> str:
    return "\n".join(part for part in _ADDRESS_SEPARATOR.split(text.strip()) if part)


def _compact_style() -> list[tuple[Any, ...]]:
    return [
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("TOPPADDING", (0, 0), (-1, -1), 1.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5),
        ("LEFTPADDING", (0, 0), (0, -1), 0),
    ]
