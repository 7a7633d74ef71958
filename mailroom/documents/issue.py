"""Our documents as they go out: each one filed as generated, and the shipping documents issued.

The confirmation and quote PDFs are filed when their mail is written. When an order ships its
invoice and packing list are issued once: numbered on first issue (`INV-2026-00001`,
`PL-2026-00001`, from `mailroom.numbering`), rendered in the customer's language, filed, and
attached to the shipped email; asked again (the order marked shipped twice), the same files
come back and no number is used up.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace
from datetime import date, timedelta

from sqlalchemy.orm import Session

from mailroom.documents import Document as Model
from mailroom.documents import render_invoice, render_packing_list
from mailroom.numbering import NumberFormat
from mailroom.orders.pdf import delivery_address, document_line
from mailroom.replies.compose import Document as Attachment
from mailroom.replies.render import reply_language
from mailroom.settings import Settings
from store import documents as store
from store.base import utcnow
from store.catalog import Customer, products_by_sku
from store.documents import GENERATED, Document, Links
from store.orders import Order
from store.quotes import Quote
from store.sequences import next_number

_NET_DAYS = re.compile(r"(?:\bnet\s*(\d{1,3})\b|(\d{1,3})\s*(?:days?\b|天))", re.IGNORECASE)


def file_generated(
    session: Session,
    attachment: Attachment,
    *,
    kind: str,
    number: str,
    language: str | None,
    order: Order | None = None,
    quote: Quote | None = None,
) -> Document:
    """File a PDF we send as a generated document of its order or quote (once per file)."""
    owner = order if order is not None else quote
    links = Links(
        order_id=order.id if order is not None else None,
        quote_id=quote.id if quote is not None else None,
        customer_id=owner.customer_id if owner is not None else None,
    )
    document, _new = store.file_document(
        session,
        attachment.content,
        kind=kind,
        direction=GENERATED,
        filename=attachment.filename,
        content_type=attachment.mime,
        links=links,
        number=number,
        language=language,
    )
    return document


def shipping_documents(
    session: Session, order: Order, settings: Settings
) -> tuple[Attachment, ...]:
    """The invoice and packing list of a shipped order, issued on the first call.

    Returns:
        The two PDFs as attachments: new ones, or those issued before for this order.
    """
    customer = session.get(Customer, order.customer_id) if order.customer_id else None
    language = reply_language(customer.language if customer else None, order.language)
    numbering = settings.numbering
    kinds: tuple[tuple[str, NumberFormat, Callable[[Model, str], bytes]], ...] = (
        ("invoice", numbering.invoice, render_invoice),
        ("packing_list", numbering.packing_list, render_packing_list),
    )
    issued = []
    for kind, fmt, render in kinds:
        known = store.generated(session, kind, order.id)
        if known is not None:
            issued.append(Attachment(known.filename, store.content_of(session, known)))
            continue
        number = next_number(session, fmt)
        model = _model(session, order, customer, settings, number, kind)
        attachment = Attachment(f"{number}.pdf", render(model, language))
        file_generated(
            session, attachment, kind=kind, number=number, language=language, order=order
        )
        issued.append(attachment)
    return tuple(issued)


def _model(
    session: Session,
    order: Order,
    customer: Customer | None,
    settings: Settings,
    number: str,
    kind: str,
) -> Model:
    """What the invoice (priced) or the packing list (quantities only) of an order says."""
    products = products_by_sku(session, (line.sku for line in order.lines))
    lines = tuple(document_line(line, products.get(line.sku or "")) for line in order.lines)
    if kind == "packing_list":
        lines = tuple(replace(line, unit_price=None, amount=None) for line in lines)
    today = utcnow().date()
    return Model(
        company_name=settings.company_name,
        company_address=settings.company_address,
        number=number,
        date=today,
        customer_name=customer.name if customer else "",
        customer_address=delivery_address(order.ship_to, customer),
        customer_po=order.po_number or "",
        order_number=order.number,
        promised_date=order.promised_date,
        due_date=due_date(order.payment_terms, today) if kind == "invoice" else None,
        lines=lines,
        payment_terms=order.payment_terms or "" if kind == "invoice" else "",
    )


def due_date(terms: str | None, issued: date) -> date | None:
    """When an invoice issued on `issued` is due under payment terms such as "NET 30"."""
    found = _NET_DAYS.search(terms or "")
    if found is None:
        return None
    return issued + timedelta(days=int(found.group(1) or found.group(2)))
