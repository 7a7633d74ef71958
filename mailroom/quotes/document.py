"""A quote as the customer sees it: the PDF, and the values the reply templates print.

Both come from the stored quote, so the mail, the PDF and `mailroom quotes show` always agree.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from mailroom.documents import Document, DocumentLine, render_quote
from mailroom.documents.labels import (
    format_amount,
    format_date,
    format_quantity,
    format_unit_price,
    labels,
    unit_label,
)
from mailroom.replies.compose import Document as Attachment
from mailroom.settings import Settings
from store.catalog import Customer, Product
from store.quotes import Quote, QuoteLine

_OUR_NUMBERS = re.compile(r"\s*\[(?:Q|SO|M)-?\d{4}-\d+[^\]]*\]", re.IGNORECASE)
_NOTES_ZH = {
    "below-moq": "按最小起订量 {quantity} 报价。",
    "converted": "由 {source} 价格按汇率折算。",
}
_CLOSING = {
    "en": (
        "This quotation is valid until {valid_until}. To order, reply to this email or "
        "mention {number} in your order."
    ),
    "zh": (
        "本报价有效期至{valid_until}。如需下单，请直接回复本邮件，或在订单中注明报价单号 {number}。"
    ),
}


def line_note(line: QuoteLine, product: Product | None, language: str) -> str:
    """What the customer reads under a line (quoted at the MOQ, converted), in their language."""
    texts = []
    for note in line.notes or ():
        template = _NOTES_ZH.get(note.get("code", "")) if language == "zh" else None
        if template:
            source = product.currency if product else ""
            texts.append(template.format(quantity=format_quantity(line.quantity), source=source))
        else:
            texts.append(str(note.get("message", "")))
    return " ".join(t for t in texts if t)


def document_of(
    quote: Quote, customer: Customer, products: Mapping[str, Product], settings: Settings
) -> Document:
    """The document model of a quote: priced lines only (held lines are not offered)."""
    table = labels(quote.language)
    lines = tuple(
        _document_line(line, products.get(line.sku), quote.language)
        for line in quote.lines
        if line.unit_price is not None
    )
    closing = _CLOSING.get(quote.language, _CLOSING["en"]).format(
        valid_until=format_date(table, quote.valid_until), number=quote.number
    )
    return Document(
        company_name=settings.company_name,
        company_address=settings.company_address,
        number=quote.number,
        date=quote.quote_date,
        customer_name=customer.name,
        customer_address=_address_after_name(customer.ship_to or "", customer.name),
        customer_po=quote.customer_ref or "",
        valid_until=quote.valid_until,
        promised_date=quote.promised_date,
        lines=lines,
        payment_terms=quote.payment_terms or "",
        notes=(closing,),
    )


def _document_line(line: QuoteLine, product: Product | None, language: str) -> DocumentLine:
    return DocumentLine(
        sku=line.sku,
        quantity=line.quantity,
        name=product.name if product else line.description,
        name_zh=(product.name_zh or "") if product else "",
        unit=line.unit,
        unit_price=line.unit_price,
        amount=line.amount,
        currency=line.currency,
        dispatch_date=line.dispatch_date,
        from_stock=line.from_stock,
        note=line_note(line, product, language),
    )


def _address_after_name(address: str, name: str) -> str:
    """The address without a first line that repeats the name printed just above it."""
    parts = re.split(r"\s*(?:\n|\s/\s)\s*", address.strip())
    if parts and parts[0].strip().casefold() == name.strip().casefold():
        parts = parts[1:]
    return "\n".join(parts)


def quote_attachment(
    quote: Quote, customer: Customer, products: Mapping[str, Product], settings: Settings
) -> Attachment:
    """The quote's PDF, ready to attach to a mail (named after its number)."""
    pdf = render_quote(document_of(quote, customer, products, settings), quote.language)
    return Attachment(filename=f"{quote.number}.pdf", content=pdf)


def template_context(
    quote: Quote, products: Mapping[str, Product], subject: str | None = None
) -> dict[str, Any]:
    """The values the `quote/*` reply templates print, formatted in the quote's language.

    Args:
        quote: the quote.
        products: the catalog's products by SKU (names in the customer's language).
        subject: the subject of the mail answered; our earlier quote numbers in brackets are
            dropped from it, so the new number stands alone.
    """
    table = labels(quote.language)
    lines = [_line_context(line, products.get(line.sku), quote.language) for line in quote.lines]
    return {
        "quote_number": quote.number,
        "quote_date": format_date(table, quote.quote_date),
        "valid_until": format_date(table, quote.valid_until),
        "promised_date": format_date(table, quote.promised_date) if quote.promised_date else "",
        "payment_terms": quote.payment_terms or "",
        "lines": lines,
        "totals": [
            f"{currency} {format_amount(total, currency)}"
            for currency, total in sorted(quote.totals().items())
        ],
        "replaces": quote.replaces or "",
        "subject_base": _OUR_NUMBERS.sub("", subject or "").strip(),
    }


def _line_context(line: QuoteLine, product: Product | None, language: str) -> dict[str, Any]:
    table = labels(language)
    name = line.description
    if product:
        name = (product.name_zh or product.name) if language == "zh" else product.name
    return {
        "sku": line.sku,
        "name": name,
        "quantity": format_quantity(line.quantity),
        "unit": unit_label(table, line.unit),
        "currency": line.currency,
        "unit_price": _price(line),
        "amount": "" if line.amount is None else format_amount(line.amount, line.currency),
        "dispatch": format_date(table, line.dispatch_date) if line.dispatch_date else "",
        "from_stock": line.from_stock,
        "note": line_note(line, product, language),
        "held": bool(line.holds),
    }


def _price(line: QuoteLine) -> str:
    if line.unit_price is None:
        return ""
    return format_unit_price(line.unit_price, line.currency)
