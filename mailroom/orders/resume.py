"""A clerk's accept on a held order: apply the corrections, confirm, tell the customer.

The clerk's word stands over the rules a clerk is there to judge (a price, a quantity, a
date, who sent it, how sure the parse was), but an order is never confirmed without a
customer, a delivery address, a catalog product and a price on every line: those must be
corrected in the accept. An overdue order's accept may give it a new promised date.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from mailroom.errors import NotFound, QueueError
from mailroom.orders import status
from mailroom.orders.changes import merged
from mailroom.orders.checks import evaluate, policy_of
from mailroom.orders.outcome import HOLD_KIND, confirm
from mailroom.orders.request import OrderRequest, RequestedLine, Signals, to_date, to_decimal
from mailroom.queue import resumer
from mailroom.runtime import Runtime, Work
from store import orders as store
from store.base import utcnow
from store.holds import HeldItem
from store.mail import DONE, Mail
from store.orders import Order

# Problems no clerk's accept can overrule: there would be nothing sound to confirm.
BLOCKING = ("unknown-customer", "no-lines", "unknown-sku", "duplicate-po", "missing-ship-to")


@resumer(HOLD_KIND)
def resume_order(
    runtime: Runtime, work: Work, item: HeldItem, corrections: dict[str, Any], clerk: str
) -> None:
    """Carry on with an accepted order item (see the module doc).

    Corrections: `customer_id`, `po_number`, `ship_to`, `requested_date` (YYYY-MM-DD),
    `promised_date` (YYYY-MM-DD, for an overdue order), and `lines`: a list of
    `{"sku", "quantity", "unit_price"?}` replacing the order's lines; a unit price given
    by the clerk is charged as it is.

    Raises:
        NotFound: the item names no order.
        QueueError: the order still cannot be confirmed; the message says what to correct.
    """
    order = store.by_number(work.session, item.ref or "")
    if order is None:
        raise NotFound(f"held item {item.id} names no order ({item.ref})")
    if order.status in (store.RECEIVED, store.ON_HOLD):
        _confirm(runtime, work, order, item, corrections, clerk)
    elif corrections.get("promised_date"):
        promised = to_date(corrections["promised_date"])
        if promised is None:
            raise QueueError(f"promised_date {corrections['promised_date']!r} is not YYYY-MM-DD")
        status.delay(runtime, work, order, promised, actor=clerk)
    _finish_mail(work, item, f"order {order.number}: accepted by {clerk}")


def _confirm(
    runtime: Runtime,
    work: Work,
    order: Order,
    item: HeldItem,
    corrections: dict[str, Any],
    clerk: str,
) -> None:
    request = _corrected(order, corrections)
    # The clerk has read the mail: the parse's doubts are settled.
    signals = Signals(sender=order.sender, confidence=1.0)
    evaluation = evaluate(
        work.session,
        request,
        signals,
        today=utcnow().date(),
        policy=policy_of(runtime.settings),
        order_id=order.id,
    )
    blocking = [hit.message for hit in evaluation.hits if hit.rule in BLOCKING]
    blocking += [
        f"line {v.position} ({v.label}) has no price: give its unit_price in the corrections"
        for v in evaluation.lines
        if v.product is not None and not v.agreed and (v.priced is None or not v.priced.offered)
    ]
    if blocking:
        raise QueueError(f"order {order.number} cannot be confirmed yet: " + "; ".join(blocking))
    accepted = "; ".join(hit.message for hit in evaluation.hits) or "no open problems"
    note = f"accepted by {clerk} ({accepted})"
    confirm(runtime, work, order, evaluation, mail=None, actor=clerk, note=note, keep=item.id)


def _corrected(order: Order, corrections: dict[str, Any]) -> OrderRequest:
    base = merged(order, OrderRequest(None, None, [], None, None, order.source))
    lines = base.lines
    if isinstance(corrections.get("lines"), list):
        lines = [_line(raw) for raw in corrections["lines"] if isinstance(raw, dict)]
    return OrderRequest(
        customer_id=corrections.get("customer_id") or base.customer_id,
        po_number=corrections.get("po_number") or base.po_number,
        lines=lines,
        requested_date=to_date(corrections.get("requested_date")) or base.requested_date,
        ship_to=corrections.get("ship_to") or base.ship_to,
        source=order.source,
    )


def _line(raw: dict[str, Any]) -> RequestedLine:
    price = to_decimal(raw.get("unit_price"))
    return RequestedLine(
        sku=str(raw.get("sku") or "") or None,
        description=str(raw.get("description") or raw.get("sku") or ""),
        quantity=to_decimal(raw.get("quantity")) or Decimal(0),
        unit_price=price,
        currency=None,
        agreed=price is not None,
    )


def _finish_mail(work: Work, item: HeldItem, outcome: str) -> None:
    mail = work.session.get(Mail, item.mail_id) if item.mail_id else None
    if mail is not None and mail.stage != DONE:
        mail.stage, mail.outcome = DONE, outcome
