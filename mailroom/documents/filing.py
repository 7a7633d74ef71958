"""Filing a mail's attachments as documents, and settling them once the mail is decided.

At intake every attachment of a mail from a person is filed at once (its bytes are safe
before anything else happens), `pending`, with the kind the parser gave it and the
customer. After the mail's domain step has decided, `documents.file` settles each one: it
is linked to the order or quote the mail made or touched, and a PO or contract is
cross-checked against that order; differences go to the clerks' queue side by side.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from mailroom.documents.crosscheck import cross_check, side_by_side
from mailroom.documents.reading import DocumentFacts
from mailroom.orders.changes import find_order
from mailroom.parsers.decode import RawAttachment
from mailroom.parsers.result import Attachment, ParseResult
from store import documents as store
from store import holds
from store import quotes as quotes_store
from store.documents import PENDING, RECEIVED, Document, Links
from store.mail import Mail
from store.orders import Order

# The parser's attachment kinds as document kinds (an image is a photo).
KINDS = {
    "purchase_order": "purchase_order",
    "contract": "contract",
    "invoice": "invoice",
    "packing_list": "packing_list",
    "shipping_document": "shipping_document",
    "quote": "quote",
    "image": "photo",
}
# Documents that carry the customer's PO number, and that are checked against the order.
CHECKED = frozenset({"purchase_order", "contract"})


def file_received(
    session: Session, mail: Mail, result: ParseResult, payloads: list[RawAttachment]
) -> list[Document]:
    """File each attachment of `mail` once, pending until the mail's domain step decides.

    Args:
        result: the parse of the mail; its attachment entries (same order as `payloads`)
            give each file's kind, its PO number numbers the POs and contracts.
        payloads: the mail's attachments as decoded (name, type, bytes).

    Returns:
        The documents, new or filed before (a re-run files nothing twice).
    """
    links = Links(customer_id=result.customer_id, mail_id=mail.id)
    filed = []
    for index, item in enumerate(payloads):
        if not item.payload:
            continue
        entry = result.attachments[index] if index < len(result.attachments) else None
        kind = kind_for(entry, item)
        document, _new = store.file_document(
            session,
            item.payload,
            kind=kind,
            direction=RECEIVED,
            filename=item.filename,
            content_type=item.content_type,
            links=links,
            number=result.po_number if kind in CHECKED else None,
            language=result.language if result.language != "und" else None,
            state=PENDING,
        )
        filed.append(document)
    return filed


def kind_for(entry: Attachment | None, item: RawAttachment) -> str:
    """The document kind of one attachment: the parser's, when the entry is this file."""
    if entry is None or entry.filename != item.filename:
        return "photo" if item.content_type.startswith("image/") else "other"
    return KINDS.get(entry.kind, "other")


def links_for(session: Session, mail: Mail) -> Links:
    """What the mail's documents belong to now: the order and quote the mail made or is
    about, and the customer; never an order or quote of another customer than the sender's
    (an unknown sender's file stays with its mail)."""
    order = store.order_of_mail(session, mail.id) or find_order(session, mail)
    if order is not None and order.customer_id != mail.customer_id:
        order = None
    quote = store.quote_of_mail(session, mail.id)
    number = (mail.parsed or {}).get("quote_number")
    if quote is None and number:
        quote = quotes_store.by_number(session, str(number))
    if quote is not None and quote.customer_id != mail.customer_id:
        quote = None
    return Links(
        order_id=order.id if order else None,
        quote_id=quote.id if quote else None,
        customer_id=mail.customer_id,
        mail_id=mail.id,
    )


def needs_reading(document: Document, links: Links) -> bool:
    """Whether the document is to be read for a cross-check (a PO or contract of an order)."""
    return document.kind in CHECKED and links.order_id is not None


def settle(
    session: Session, mail: Mail, document: Document, links: Links, facts: DocumentFacts | None
) -> None:
    """Link a pending document to what the mail made or touched; check a PO or contract."""
    store.link(session, document, links)
    document.state = store.FILED
    order = session.get(Order, document.order_id) if document.order_id else None
    if facts is None or order is None or document.check_status is not None:
        return
    if facts.finding:
        note = f"could not be read for the cross-check ({facts.finding})"
        store.mark_checked(document, store.DIFFERS, note)
        _hold(session, mail, document, order, [holds.reason("document-unreadable", note)], note)
        return
    differences = cross_check(facts, order)
    if not differences:
        store.mark_checked(document, store.CHECKED, f"matches order {order.number}")
        return
    table = side_by_side(differences)
    store.mark_checked(document, store.DIFFERS, table)
    reasons = [holds.reason(d.rule, f"{document.filename}: {d.message}") for d in differences]
    _hold(session, mail, document, order, reasons, table)


def _hold(
    session: Session,
    mail: Mail,
    document: Document,
    order: Order,
    reasons: list[dict[str, str]],
    detail: str,
) -> None:
    kind = document.kind.replace("_", " ")
    holds.hold(
        session,
        dedupe_key=f"document:{document.id}",
        kind="document",
        reasons=reasons,
        mail_id=mail.id,
        ref=order.number,
        customer_id=order.customer_id,
        message_id=mail.message_id,
        detail=f"{kind} {document.filename} (v{document.version}) against order "
        f"{order.number}:\n{detail}",
    )
