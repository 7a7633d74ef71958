"""Opening after-sales tickets from mail, and adding later mail in the thread to them.

A mail about a problem with goods opens one ticket: its kind and affected lines come from
the words and catalog items of the new text (`kinds`), its order from the numbers the mail
cites, its thread, or the customer's latest shipped order with one of the items. The
customer gets one acknowledgement with the ticket number, and only at an address its record
allows; whatever is uncertain (no customer, no order, another sender) still opens the ticket,
but also holds it for a clerk with the reason. A mail in the thread of a ticket (by its
headers, or the ticket number in the subject) is added to that ticket instead.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.orm import Session

from mailroom.aftersales.kinds import AffectedLine, Kind, Mentions, affected_lines, classify
from mailroom.aftersales.sla import HOLD_KIND, deadlines
from mailroom.aftersales.text import new_text
from mailroom.numbering import Numbering
from mailroom.orders.rules import may_act_for
from mailroom.respond import answer
from mailroom.runtime import Runtime, Work
from store import holds
from store import orders as orders_store
from store import tickets as store
from store.base import utcnow
from store.catalog import Customer
from store.mail import DONE, Mail
from store.orders import Order
from store.sequences import next_number
from store.tickets import INBOUND, OUTBOUND, Ticket, TicketMessage


@dataclass
class Incoming:
    """What an after-sales mail says: its new text, kind, affected lines and photos."""

    text: str
    kind: Kind
    lines: list[AffectedLine] = field(default_factory=list)
    photos: list[dict[str, Any]] = field(default_factory=list)


def read_mail(raw: bytes, mail: Mail, catalog: Mentions) -> Incoming:
    """Read the new text of `mail` (quotes and signature cut off), its kind, lines and photos."""
    text = new_text(raw, mail.subject)
    photos = [
        {"mail_id": mail.id, **{k: a.get(k) for k in ("filename", "content_type", "size")}}
        for a in (mail.parsed or {}).get("attachments", ())
        if a.get("kind") == "image" or str(a.get("content_type", "")).startswith("image/")
    ]
    return Incoming(
        text=text,
        kind=classify(text, mail.subject or ""),
        lines=affected_lines(text, catalog),
        photos=photos,
    )


def take(runtime: Runtime, work: Work, mail: Mail, incoming: Incoming) -> Ticket:
    """Add `mail` to the active ticket of its thread, or open a ticket for it; reply once.

    Returns:
        The ticket the mail now belongs to (the same one when the mail was taken before).
    """
    session = work.session
    taken = store.holding_mail(session, mail.id)
    if taken is not None:
        return taken
    ticket = thread_ticket(session, runtime.settings.numbering, mail)
    if ticket is not None:
        add_to(runtime, work, mail, ticket, incoming)
        return ticket
    return open_ticket(runtime, work, mail, incoming)


def thread_ticket(session: Session, numbering: Numbering, mail: Mail) -> Ticket | None:
    """The active ticket `mail` follows: by its In-Reply-To/References, or the ticket number
    its subject cites."""
    found = store.in_thread(session, list((mail.parsed or {}).get("references") or ()))
    if found is not None:
        return found
    cited = numbering.ticket.find(mail.subject)
    ticket = store.by_number(session, cited) if cited else None
    return ticket if ticket is not None and ticket.status in store.ACTIVE else None


def open_ticket(runtime: Runtime, work: Work, mail: Mail, incoming: Incoming) -> Ticket:
    """Open a ticket for `mail`, acknowledge it, and hold it when anything is uncertain."""
    session, numbering = work.session, runtime.settings.numbering
    customer = session.get(Customer, mail.customer_id) if mail.customer_id else None
    skus = [line.sku for line in incoming.lines]
    order, found_by, reasons = link_order(session, mail, customer, skus)
    first_due, resolution_due = deadlines(runtime.settings, incoming.kind.kind, utcnow())
    ticket = Ticket(
        number=next_number(session, numbering.ticket),
        kind=incoming.kind.kind,
        customer_id=customer.customer_id if customer else None,
        order_id=order.id if order else None,
        mail_id=mail.id,
        sender=mail.sender,
        subject=mail.subject,
        lines=[line.to_json() for line in incoming.lines],
        rma_number=next_number(session, numbering.rma) if incoming.kind.kind == "return" else None,
        evidence=[*(f"kind: {w!r}" for w in incoming.kind.evidence), *found_by],
        first_response_due=first_due,
        resolution_due=resolution_due,
    )
    ticket.messages.append(_inbound(mail, incoming))
    session.add(ticket)
    session.flush()
    allowed = customer is not None and may_act_for(customer, mail.sender)
    if customer is not None and not allowed:
        why = f"{mail.sender} is not an address {customer.customer_id}'s record allows"
        reasons.append(holds.reason("sender-not-allowed", why))
    _hold(session, ticket, f"ticket:{ticket.number}", reasons)
    mail.stage, mail.outcome = DONE, f"ticket {ticket.number} opened ({ticket.kind})"
    context = {"ticket": ticket_context(ticket, order)}
    _acknowledge(runtime, work, mail, ticket, "ticket/opened" if allowed else None, context)
    return ticket


def add_to(runtime: Runtime, work: Work, mail: Mail, ticket: Ticket, incoming: Incoming) -> None:
    """Add `mail` to `ticket` (with any new affected lines) and acknowledge it."""
    session = work.session
    ticket.messages.append(_inbound(mail, incoming))
    known = {line.get("sku") for line in ticket.lines}
    extra = [line.to_json() for line in incoming.lines if line.sku not in known]
    if extra:
        ticket.lines = [*ticket.lines, *extra]
    if ticket.status == store.WAITING_CUSTOMER:
        ticket.status = store.OPEN
    customer = session.get(Customer, ticket.customer_id) if ticket.customer_id else None
    allowed = customer is not None and may_act_for(customer, mail.sender)
    if not allowed:
        why = f"{mail.sender} wrote in the thread of ticket {ticket.number} but may not act for it"
        reasons = [holds.reason("sender-not-allowed", why)]
        _hold(session, ticket, f"ticket:{ticket.number}:mail:{mail.id}", reasons, mail.id)
    mail.stage, mail.outcome = DONE, f"added to ticket {ticket.number}"
    order = session.get(Order, ticket.order_id) if ticket.order_id else None
    context = {"ticket": ticket_context(ticket, order)}
    _acknowledge(runtime, work, mail, ticket, "ticket/added" if allowed else None, context)


def link_order(
    session: Session, mail: Mail, customer: Customer | None, skus: list[str]
) -> tuple[Order | None, list[str], list[dict[str, str]]]:
    """The customer's order the mail is about, how it was found, and why none was.

    Tried in turn: our order number, the customer's PO, the thread, then the customer's
    latest shipped or delivered order with one of `skus`. Another customer's order is never
    linked.

    Returns:
        (order or None, how it was found, reasons for a clerk).
    """
    parsed = mail.parsed or {}
    if customer is None:
        why = f"{mail.sender} is not the address of a known customer; no order can be linked"
        return None, [], [holds.reason("unknown-customer", why)]
    cid = customer.customer_id
    number, po = parsed.get("order_number"), parsed.get("po_number")
    order = orders_store.by_number(session, number) if number else None
    if order is not None and order.customer_id != cid:
        why = f"the mail cites order {order.number}, which is not an order of {cid}"
        return None, [], [holds.reason("order-not-customers", why)]
    if order is not None:
        return order, [f"order: our number {number}"], []
    order = orders_store.by_po(session, cid, po) if po else None
    if order is not None:
        return order, [f"order: PO {po}"], []
    order = orders_store.in_thread(session, list(parsed.get("references") or ()))
    if order is not None and order.customer_id == cid:
        return order, ["order: the mail answers a message about it"], []
    order = store.latest_received_with(session, cid, skus)
    if order is not None:
        return order, [f"order: {cid}'s latest shipped order with {', '.join(skus)}"], []
    cited = ", ".join(f"{label} {v}" for label, v in (("order", number), ("PO", po)) if v)
    why = f"no order of {cid} matches {cited or 'the items named'}; link one by hand"
    return None, [], [holds.reason("order-not-found", why)]


def ticket_context(ticket: Ticket, order: Order | None) -> dict[str, Any]:
    """What the ticket templates show of a ticket: plain strings."""
    return {
        "number": ticket.number,
        "kind": ticket.kind,
        "status": ticket.status,
        "rma_number": ticket.rma_number,
        "order_number": order.number if order else None,
        "po_number": order.po_number if order else None,
        "lines": [dict(line) for line in ticket.lines],
        "first_response_due": f"{ticket.first_response_due:%Y-%m-%d %H:%M} UTC",
    }


def _inbound(mail: Mail, incoming: Incoming) -> TicketMessage:
    return TicketMessage(
        direction=INBOUND,
        mail_id=mail.id,
        author=mail.sender,
        text=incoming.text,
        attachments=incoming.photos,
    )


def _hold(
    session: Session,
    ticket: Ticket,
    key: str,
    reasons: list[dict[str, str]],
    mail_id: int | None = None,
) -> None:
    if reasons:
        holds.hold(
            session,
            dedupe_key=key,
            kind=HOLD_KIND,
            reasons=reasons,
            mail_id=mail_id or ticket.mail_id,
            ref=ticket.number,
            customer_id=ticket.customer_id,
        )


def _acknowledge(
    runtime: Runtime,
    work: Work,
    mail: Mail,
    ticket: Ticket,
    purpose: str | None,
    context: dict[str, Any],
) -> None:
    """The one reply to `mail`: the ticket template, or (for a sender who may not hear of
    the ticket) the plain acknowledgement that says nothing about it."""
    row = answer(runtime, work, mail, purpose or "ack/received", context=context)
    if row is not None:
        ticket.messages.append(
            TicketMessage(
                direction=OUTBOUND,
                mail_id=mail.id,
                outbox_id=row.id,
                author="mailroom",
                text=f"automatic reply ({row.purpose}) to {row.recipient}",
            )
        )
