"""An order's status after it is confirmed: moves, status emails, and status questions.

When an order moves (shipped, delivered, delayed) the customer gets one templated email per
change, keyed `status:<order>:<change>` in the outbox so it is never sent twice; the shipped
email carries the order's invoice and packing list, issued once (`mailroom.documents.issue`). Status
questions are answered only to addresses the customer record allows; anyone else gets a
polite answer that says nothing about any order, and the mail is held for a clerk.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from mailroom.documents import issue
from mailroom.errors import UsageError
from mailroom.logistics.describe import order_shipments
from mailroom.orders.changes import find_order
from mailroom.orders.outcome import order_context, recipient_for
from mailroom.orders.rules import may_act_for
from mailroom.replies.compose import Document as Attachment
from mailroom.respond import answer, hold_mail, notify
from mailroom.runtime import Runtime, Work
from store import holds
from store import orders as store
from store.catalog import Customer, products_by_sku
from store.mail import DONE, Mail
from store.orders import Order

# Moves a person or another area may make with `move`; confirming goes through the checks.
MOVES = (store.IN_PRODUCTION, store.READY, store.SHIPPED, store.DELIVERED, store.CLOSED)
# Moves the customer hears about, and the template that tells them.
NOTICES = {store.SHIPPED: "order/shipped", store.DELIVERED: "order/delivered"}


def move(
    runtime: Runtime,
    work: Work,
    order: Order,
    status: str,
    *,
    actor: str,
    note: str | None = None,
    tracking: str | None = None,
) -> None:
    """Move a confirmed order on, and tell the customer when the move is one they hear of.

    Args:
        status: one of MOVES.
        actor: who moved it (a clerk, or an area such as "shipments").
        note: why, for the history.
        tracking: a carrier tracking number to add to the order.

    Raises:
        UsageError: the move is not one of MOVES, or the order is not confirmed yet.
    """
    if status not in MOVES:
        raise UsageError(f"an order can be moved to {', '.join(MOVES)}, not {status!r}")
    if order.status in (store.RECEIVED, store.ON_HOLD, store.CANCELLED):
        raise UsageError(f"order {order.number} is {order.status}; it must be confirmed first")
    if tracking and tracking not in (order.tracking_numbers or []):
        order.tracking_numbers = [*(order.tracking_numbers or []), tracking]
    store.record(work.session, order, status, note=note, actor=actor)
    attached: tuple[Attachment, ...] = ()
    if status == store.SHIPPED:
        attached = issue.shipping_documents(work.session, order, runtime.settings)
    purpose = NOTICES.get(status)
    if purpose:
        key = f"status:{order.number}:{status}"
        tell(runtime, work, order, purpose, key, documents=attached)


def delay(
    runtime: Runtime, work: Work, order: Order, promised: date, *, actor: str, note: str = ""
) -> None:
    """Promise a later date and tell the customer (once per new date)."""
    before = order.promised_date
    order.promised_date, order.overdue_warned_at = promised, None
    why = note or f"promised date moved from {before} to {promised}"
    work.session.add(
        store.OrderEvent(order_id=order.id, status=order.status, note=why, actor=actor)
    )
    extra = {"previous_date": before.isoformat() if before else None, "overdue": False}
    tell(runtime, work, order, "order/delayed", f"status:{order.number}:delayed:{promised}", extra)


def tell(
    runtime: Runtime,
    work: Work,
    order: Order,
    purpose: str,
    key: str,
    extra: dict[str, Any] | None = None,
    documents: tuple[Attachment, ...] = (),
) -> bool:
    """Write one status email about `order` to the customer, in the order's thread.

    Args:
        documents: PDFs to attach (the invoice and packing list of a shipped order).

    Returns:
        True when an email was written; False when it was written before or nobody may
        be told (no customer, or no allowed address).
    """
    session = work.session
    customer = session.get(Customer, order.customer_id) if order.customer_id else None
    recipient = recipient_for(order, customer)
    source = session.get(Mail, order.mail_id) if order.mail_id else None
    if recipient is None or source is None:
        return False
    products = products_by_sku(session, (line.sku for line in order.lines))
    context = {**order_context(order, products), "notice": True, **(extra or {})}
    row = notify(
        runtime,
        work,
        key=key,
        purpose=purpose,
        recipient=recipient,
        mail=source,
        context=context,
        documents=documents,
    )
    return row is not None


def answer_inquiry(runtime: Runtime, work: Work, mail: Mail) -> None:
    """Answer a status question with the order's status, promised date and tracking: for a
    shipped order, each parcel's carrier, tracking number, last event and ETA.

    Only addresses allowed for the order's customer hear anything about it.
    """
    session = work.session
    parsed = mail.parsed or {}
    order = find_order(session, mail)
    customer_id = order.customer_id if order is not None else mail.customer_id
    customer = session.get(Customer, customer_id) if customer_id else None
    if customer is None or not may_act_for(customer, mail.sender):
        about = f"order {order.number}" if order is not None else "an order"
        reason = f"{mail.sender} asked about {about} but is not an address allowed for it"
        hold_mail(work, mail, [holds.reason("status-not-allowed", reason)])
        answer(runtime, work, mail, "order/no-answer")
        return
    asked = parsed.get("order_number") or parsed.get("po_number")
    found = (
        [order]
        if order is not None
        else []
        if asked
        else store.for_customer(session, customer_id or "")
    )
    products = products_by_sku(session, (line.sku for o in found for line in o.lines))
    context = {
        "asked": asked,
        "orders": [
            {**order_context(o, products)["order"], "shipments": order_shipments(session, o.id)}
            for o in found
        ],
    }
    if found:
        mail.stage, mail.outcome = DONE, "status answered: " + ", ".join(o.number for o in found)
    else:
        why = f"no order matches {asked}" if asked else f"{customer_id} has no open orders"
        hold_mail(work, mail, [holds.reason("order-not-found", f"status question: {why}")])
    answer(runtime, work, mail, "order/status", context=context)
