"""The parts of a document page: letterhead, customer and reference block, lines, totals."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Spacer, Table, TableStyle

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
    head_labels = dict(table["columns"])
    currencies = {line.currency for line in doc.lines if line.unit_price is not None}
    if kind.priced and len(currencies) == 1:
        (only,) = currencies
        # On its own line: the headers stay two even lines in both languages.
        head_labels["unit_price"] += f"\n({only})"
        head_labels["amount"] += f"\n({only})"
    numeric = {"quantity", "unit_price", "amount"}
    header = [
        para(head_labels[c], st.header_right if c in numeric else st.header) for c, _ in columns
    ]
    rows: list[list[Any]] = [header]
    for number, line in enumerate(doc.lines, start=1):
        cells = _cells(number, line, table, st, show_currency=len(currencies) > 1)
        rows.append([cells[c] for c, _ in columns])
    style = [
        ("BACKGROUND", (0, 0), (-1, 0), ACCENT),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LINEBELOW", (0, 1), (-1, -1), 0.4, RULE),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
    ]
    style += [("BACKGROUND", (0, r), (-1, r), BAND) for r in range(2, len(rows), 2)]
    return Table(rows, colWidths=[w for _, w in columns], repeatRows=1, style=TableStyle(style))


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
    """Every possible cell of one line, keyed by column (a cell may hold a list of flowables)."""
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
        "no": para(str(number), st.body),
        "sku": para(line.sku, st.body),
        "description": _description(line, table, st),
        "quantity": para(format_quantity(line.quantity), st.right),
        "unit": para(unit_label(table, line.unit), st.body),
        "unit_price": para(price, st.right),
        "amount": para(amount, st.right),
        "dispatch": para(dispatch, st.body),
    }


def _description(line: DocumentLine, table: dict[str, Any], st: Styles) -> list[Flowable]:
    """The product name in the document's language first, the other one below, then a note."""
    names = [line.name_zh, line.name] if table["language"] == "zh" else [line.name, line.name_zh]
    first, *rest = [n for n in names if n] or [""]
    parts: list[Flowable] = [para(first, st.body)]
    parts += [para(n, st.small) for n in rest + ([line.note] if line.note else [])]
    return parts


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
    """Payment terms and notes under the totals."""
    parts: list[Flowable] = []
    if doc.payment_terms:
        parts += [Spacer(1, 8), para(table["text"]["payment_terms"], st.heading)]
        parts.append(para(doc.payment_terms, st.body))
    if doc.notes:
        parts += [Spacer(1, 8), para(table["text"]["notes"], st.heading)]
        parts += [para(note, st.body) for note in doc.notes]
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
