"""What a received order document says, read for the cross-check against its order.

The parser reads a mail as a whole (body and attachments merged); a cross-check must compare
one document on its own, so its lines, PO number, delivery date and printed total are read
again from that document's bytes, with the same readers and the same catalog.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from mailroom.parsers import fields
from mailroom.parsers.attachments import read_attachment
from mailroom.parsers.catalog import Catalog
from mailroom.parsers.lines import extract_lines
from mailroom.parsers.numbers import currency_in, to_decimal
from mailroom.parsers.result import Line
from mailroom.parsers.scripts import compile_either

# A line that prints the document's total amount (not a total quantity or weight).
_TOTAL = compile_either(
    r"(grand\s+total|total\s+amount|total\s+value|order\s+total|\btotal\b|合计|合計|总计|總計|"
    r"总金额|總金額|金额合计|金額合計)",
    re.IGNORECASE,
)
_NOT_MONEY = compile_either(r"(qty|quantity|pcs|weight|cartons?|数量|數量|件数|重量|箱数)", re.I)
_AMOUNT = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?")


@dataclass
class DocumentFacts:
    """The order-relevant content of one document; `finding` when it could not be read."""

    lines: list[Line] = field(default_factory=list)
    po_number: str | None = None
    requested_date: date | None = None
    total: Decimal | None = None
    currency: str | None = None
    finding: str | None = None


def read_facts(
    filename: str, content_type: str, content: bytes, catalog: Catalog, today: date
) -> DocumentFacts:
    """Read a PO or contract's lines, PO number, delivery date and total.

    Never raises: a document that cannot be read is a `finding`, as in the parser.
    """
    read = read_attachment(filename, content_type, content)
    text, tables = read.text or "", list(read.tables or [])
    if read.finding or not (text.strip() or tables):
        return DocumentFacts(finding=read.finding or "no text")
    wanted = fields.requested_date(text, today) or fields.requested_date_in_tables(tables, today)
    return DocumentFacts(
        lines=extract_lines(text, catalog, tables),
        po_number=fields.po_number(catalog.numbering, text),
        requested_date=date.fromisoformat(wanted) if wanted else None,
        total=printed_total(text),
        currency=currency_in(text),
    )


def printed_total(text: str) -> Decimal | None:
    """The amount on the last line that names a total, if any ("Total USD 6,100.00")."""
    found: Decimal | None = None
    for line in text.splitlines():
        named = _TOTAL.search(line)
        if named is None or _NOT_MONEY.search(line):
            continue
        amounts = _AMOUNT.findall(line[named.end() :])
        if amounts:
            found = to_decimal(amounts[-1])
    return found
