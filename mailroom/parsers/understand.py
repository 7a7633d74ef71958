"""The parse of one mail, stage by stage: decode, new text, attachments, fields, lines, intent.

Each stage is a pure function in its own module; this one only moves values between them
and keeps the time limit.
"""

from __future__ import annotations

import time
from dataclasses import replace
from datetime import UTC, datetime
from decimal import Decimal

from mailroom.numbering import Numbering
from mailroom.parsers import ParseTimeout, fields
from mailroom.parsers.address import ship_to
from mailroom.parsers.bom import builds_in
from mailroom.parsers.cancellations import cancels_whole_order, taken_off
from mailroom.parsers.catalog import Catalog
from mailroom.parsers.corrections import corrected
from mailroom.parsers.customers import identify
from mailroom.parsers.dates import month_first
from mailroom.parsers.decode import Decoded, decode, language_of
from mailroom.parsers.documents import Document, read_documents
from mailroom.parsers.history import History
from mailroom.parsers.intent import Evidence, classify
from mailroom.parsers.lines import answer_lines, extract_lines, merge_lines
from mailroom.parsers.normalise import normalise
from mailroom.parsers.numbers import counts_in
from mailroom.parsers.quotes import Split, first_level, split_quoted
from mailroom.parsers.result import Line, ParseResult
from mailroom.parsers.revisions import changed_lines
from mailroom.parsers.scripts import traditional
from mailroom.parsers.tables import find_tables

LINE_INTENTS = frozenset({"order", "order_change", "quote_request"})
# A delivery date or address means something only for these.
REQUEST_INTENTS = frozenset(
    {"order", "order_change", "quote_request", "quote_acceptance", "status_inquiry", "after_sales"}
)
MACHINE = frozenset({"bounce", "auto_reply"})
# Intents whose PO may come from the quoted history.
ABOUT_AN_ORDER = frozenset({"order_change"})
MAX_TEXT = 200_000


def understand(
    raw: bytes, catalog: Catalog, *, file: str | None, deadline: float, history: History
) -> ParseResult:
    """Parse one mail; see `mailroom.parsers.parse_mail` for the promises kept."""
    decoded = decode(raw)
    result = ParseResult(
        file=file,
        message_id=decoded.message_id,
        sender=decoded.sender,
        subject=decoded.subject,
        reply_to=decoded.reply_to,
        references=decoded.references,
        text=decoded.text,
        returned=decoded.returned,
    )
    if decoded.error:
        result.intent, result.error = "unreadable", decoded.error
        return result
    _check(deadline)
    decoded.subject = normalise(decoded.subject) if decoded.subject else decoded.subject
    split = split_quoted(normalise(decoded.text[:MAX_TEXT]), decoded.subject)
    documents = read_documents(decoded.attachments, deadline)
    result.attachments = [d.entry for d in documents]
    _check(deadline)
    result.customer_id = catalog.customer_for(decoded.sender)
    result.language = _language(decoded, split.new, documents)
    body, attached, sent_back = _lines(split, documents, catalog)
    _check(deadline)
    _fill(
        result, decoded, split, documents, catalog, (body, attached), history, sent_back=sent_back
    )
    return result


# Documents of goods already sent: the address they print is where a past shipment went.
_SHIPPED = frozenset({"invoice", "packing_list", "shipping_document"})


def _ordering_text(documents: list[Document], intent: str | None) -> str:
    """The attachments' text where a delivery address may be asked for. Beside a mail about
    goods sent (a complaint, a question), a packing list, invoice or shipping document tells
    where they went, not where to; an order's own document is read whatever its kind. A
    change's revised document restates the ship-to with every other box, so a new address
    of a change is the one its sender writes in the mail."""
    if intent == "order_change":
        return ""
    shipped = frozenset() if intent in LINE_INTENTS else _SHIPPED
    return "\n".join(d.text for d in documents if d.entry.kind not in shipped)


def _check(deadline: float) -> None:
    if time.monotonic() > deadline:
        raise ParseTimeout


def _language(decoded: Decoded, new: str, documents: list[Document]) -> str:
    sample = f"{decoded.subject or ''}\n{new}"
    if len(new.strip()) < 20:
        sample += "\n" + "\n".join(d.text[:2000] for d in documents)
    return language_of(sample)


def _lines(
    split: Split, documents: list[Document], catalog: Catalog
) -> tuple[list[Line], list[Line], bool]:
    """The lines of the body (answers typed inline included) and of the attachments, and whether
    they all came from a quote or contract of ours sent back (countersigned, say): our own
    lines returned accept them, they are not the items of a new order."""
    body = merge_lines(extract_lines(split.new, catalog), answer_lines(split.answers, catalog))
    if split.amended:  # the sender's words over a forward change its counts: a clerk reads them
        body = [replace(line, sure=False) for line in corrected(body, split.remark)]
    attached: list[Line] = []
    sent_back = not body
    # A bill of materials attached counts per board; the mail says how many boards are built.
    builds = builds_in(split.new)
    for document in documents:
        if document.text or document.tables:
            found = extract_lines(document.text, catalog, document.tables, builds=builds)
            attached = merge_lines(attached, found)
            sent_back = sent_back and (not found or document.entry.kind in ("quote", "contract"))
    return body, attached, sent_back and bool(attached)


def _fill(
    result: ParseResult,
    decoded: Decoded,
    split: Split,
    documents: list[Document],
    catalog: Catalog,
    read: tuple[list[Line], list[Line]],
    history: History,
    *,
    sent_back: bool,
) -> None:
    # Our numbers come from the message a reply answers, not from older mails it quotes.
    new, quoted, answered = split.new, split.quoted, first_level(split.quoted)
    lines = merge_lines(*read)
    subject = decoded.subject or ""
    attached = "\n".join(d.text for d in documents)
    numbering = catalog.numbering
    result.quote_number = fields.our_number(numbering.quote, new, subject, attached, answered)
    result.po_number = fields.po_number(numbering, new, subject, attached) or _subject_po(
        subject, catalog
    )
    result.order_number = fields.our_number(
        numbering.order, new, subject, attached
    ) or _quoted_order(numbering, answered, result.po_number)
    result.tracking_number = fields.tracking_number(new, subject, attached)
    known = history.lookup(
        customer_id=result.customer_id,
        po_number=result.po_number,
        order_number=result.order_number,
        quote_number=result.quote_number,
        references=decoded.references,
        message_id=decoded.message_id,
    )
    evidence = _evidence(result, decoded, new, documents, lines, numbering)
    evidence.has_lines = bool(lines) and not sent_back
    evidence.known = known
    # A sender who is no customer may answer to one: a system relaying a customer's words.
    answers_to = catalog.customer_for(decoded.reply_to) if result.customer_id is None else None
    evidence.relays_customer = answers_to is not None
    result.intent, confidence = classify(evidence)
    confidence -= _customer_behind(result, decoded, split, documents, catalog, answers_to)
    if result.intent in MACHINE:
        _machine_references(result, decoded, split, catalog)
        result.confidence = confidence
        return
    if result.po_number is None and result.intent in ABOUT_AN_ORDER:
        # A change must find the order it changes, and a reply may name the order's PO only in
        # the history it quotes (our confirmation, their first mail). A question about an
        # order is answered by our number; there the quoted PO stays history.
        result.po_number = fields.po_number(numbering, quoted)
    if result.po_number is None and result.intent == "shipment_notice":
        result.po_number = fields.carrier_reference(
            numbering, new, attached, tracking=result.tracking_number
        )
    if result.intent in LINE_INTENTS:
        # A change's revised PO restates every line: the mail says which are the change.
        result.lines = changed_lines(*read, new) if result.intent == "order_change" else lines
        if result.intent == "order_change" and cancels_whole_order(new):
            result.lines = taken_off(result.lines)  # the lines called off, as they stood
        # An attachment is read like the body: what it names and no line accounts for holds it.
        texts = [new, *(d.text for d in documents if d.text)]
        unread = [_unread(text, lines, catalog, counts=result.intent == "order") for text in texts]
        result.unread = list(dict.fromkeys(item for found in unread for item in found))[:10]
    if result.intent in REQUEST_INTENTS:
        result.requested_date = _requested_date(result, decoded, catalog, new, documents, attached)
        result.ship_to = ship_to(new) or ship_to(_ordering_text(documents, result.intent))
    result.confidence = _confidence(confidence, result, documents)


def _customer_behind(
    result: ParseResult,
    decoded: Decoded,
    split: Split,
    documents: list[Document],
    catalog: Catalog,
    answers_to: str | None,
) -> float:
    """The customer of a mail whose sender is none: the desk whose ticket system answers us
    (an auto reply), or for a request the customer a system relays or a colleague forwards.

    Returns:
        What the confidence loses: a customer told by documents alone is unsure.
    """
    if result.customer_id is not None:
        return 0.0
    if result.intent == "auto_reply":
        result.customer_id = answers_to
        return 0.0
    if result.intent not in REQUEST_INTENTS:
        return 0.0
    texts = [split.new, *(d.text for d in documents)]
    relayed = identify(catalog, decoded, texts, split.forwarded_from)
    result.customer_id = relayed.customer_id
    return 0.0 if relayed.sure else 0.1


def _requested_date(
    result: ParseResult,
    decoded: Decoded,
    catalog: Catalog,
    new: str,
    documents: list[Document],
    attached: str,
) -> str | None:
    """The delivery date the mail asks for, ISO (`attached`: its documents' text), read in the way
    its writer writes dates: in the text first, then in a table's date column."""
    today = (decoded.date or datetime.now(UTC)).date()
    # Chinese writers, like American ones, put the month first (12/20).
    us_first = result.language == "zh" or _writes_us_dates(
        catalog, result.customer_id, decoded.sender
    )
    # What the mail and its documents write beats what we know of the writer: a UK buyer's
    # ERP may print US dates.
    written = month_first(f"{new}\n{attached}", today)
    us_first = us_first if written is None else written
    roc = _writes_roc_dates(f"{new}\n{attached}", result.language, decoded.sender)
    return fields.requested_date(
        f"{new}\n{attached}", today, us_first=us_first, roc=roc
    ) or fields.requested_date_in_tables(
        [
            *find_tables(new)[0],
            *find_tables(attached)[0],
            *(t for d in documents for t in d.tables),
            *fields.headed_rows(attached),
            *fields.aligned_columns(new),
            *fields.aligned_columns(attached),
        ],
        today,
        us_first=us_first,
        roc=roc,
    )


def _evidence(
    result: ParseResult,
    decoded: Decoded,
    new: str,
    documents: list[Document],
    lines: list[Line],
    numbering: Numbering,
) -> Evidence:
    headers = decoded.headers
    return Evidence(
        automatic=decoded.automatic,
        auto_submitted=str(headers.get("Auto-Submitted", "") if headers else "").lower(),
        sender=decoded.sender,
        subject=decoded.subject or "",
        text=new,
        quote_number=result.quote_number,
        order_number=result.order_number,
        po_number=result.po_number,
        tracking_number=result.tracking_number,
        has_lines=bool(lines),
        priced_lines=any(line.unit_price is not None for line in lines),
        has_po_attachment=any(d.entry.kind == "purchase_order" for d in documents),
        known_customer=result.customer_id is not None,
        document_kinds=frozenset(d.entry.kind for d in documents),
        document_names=" ".join(d.entry.filename for d in documents),
        quote_in_documents=any(numbering.quote.find(d.text) for d in documents),
    )


def _unread(new: str, lines: list[Line], catalog: Catalog, *, counts: bool) -> list[str]:
    """What the new text names that no line accounts for: a product, or (with `counts`) a count
    of something; a change names the counts it changes from, so it is asked for products only.

    A line the reader missed must never be confirmed away in silence, so each of these holds
    the mail for a clerk (the order checks' `unread-items` rule).
    """
    named = {line.sku for line in lines if line.sku}
    counted = {line.quantity for line in lines}
    mentions = catalog.mentions(new)
    unread = [new[start:end] for start, end, sku in mentions if sku not in named]
    if not counts:
        return list(dict.fromkeys(unread))[:10]
    blanked = list(new)
    for start, end, _sku in mentions:  # "M12 5 pin": a number inside a name counts nothing
        blanked[start:end] = " " * (end - start)
    unread += [
        written
        for written, value in counts_in("".join(blanked))
        if value not in counted and _is_count(written, value)
    ]
    return list(dict.fromkeys(unread))[:10]


def _is_count(written: str, value: Decimal) -> bool:
    """A count of items is a whole number written with its unit; "1.27m" is a length, and
    "2      M" is a line number and the next column of a table."""
    return value == value.to_integral_value() and "   " not in written


def _quoted_order(numbering: Numbering, quoted: str, po_number: str | None) -> str | None:
    """Our order number in the quoted history, when the mail is about that order: a new PO
    written above a quoted confirmation of another PO is a new order, and the old one's
    number is only its context."""
    found = fields.our_number(numbering.order, quoted)
    quoted_po = fields.po_number(numbering, quoted) if found and po_number else None
    if quoted_po and quoted_po != po_number:
        return None
    return found


def _subject_po(subject: str, catalog: Catalog) -> str | None:
    """An unlabelled code standing alone as the subject is the customer's PO, unless it is one
    of our products."""
    code = fields.subject_reference(subject, catalog.numbering)
    return code if code and not catalog.mentions(code) else None


def _machine_references(
    result: ParseResult, decoded: Decoded, split: Split, catalog: Catalog
) -> None:
    """An auto-reply or a bounce is about a message of ours: it reports that message's numbers
    (in its subject, its text, the headers of the message it returns, what it quotes), so a
    clerk sees which order's mail was not read. A machine asks for nothing: no lines."""
    returned = decoded.returned.subject if decoded.returned else None
    texts = (decoded.subject, split.new, returned, split.quoted)
    numbering = catalog.numbering
    result.order_number = fields.our_number(numbering.order, *texts)
    result.quote_number = fields.our_number(numbering.quote, *texts)
    result.po_number = fields.po_number(numbering, *texts)
    result.tracking_number = fields.tracking_number(*texts)
    result.lines = []


def _writes_us_dates(catalog: Catalog, customer_id: str | None, sender: str | None) -> bool:
    """US writers put the month first (12/03/2026); the customer's address tells us who is."""
    customer = catalog.customers.get(customer_id or "")
    if customer and customer.ship_to:
        return "USA" in customer.ship_to or "United States" in customer.ship_to
    return bool(sender and sender.endswith(".us"))


def _writes_roc_dates(text: str, language: str | None, sender: str | None) -> bool:
    """Taiwan dates by the ROC calendar (民國116年 is 2027): text that says 民國, or Chinese
    written in traditional characters, or a writer at a .tw address. Elsewhere "16/01/20" is
    an ordinary date."""
    if "民國" in text or "民国" in text or bool(sender and sender.endswith(".tw")):
        return True
    return language == "zh" and traditional(text)


def _confidence(base: float, result: ParseResult, documents: list[Document]) -> float:
    """Lower the intent's confidence for each thing a clerk would want to look at."""
    confidence = base
    for line in result.lines:
        if line.sku is None:
            confidence -= 0.1
    confidence -= 0.15 * sum(1 for line in result.lines if line.sku and not line.sure)
    if any(d.entry.finding for d in documents):
        confidence -= 0.2
    if result.unread:
        confidence = min(confidence, 0.7)
    if result.intent in LINE_INTENTS and result.customer_id is None:
        confidence -= 0.05
    return max(0.05, min(1.0, confidence))
