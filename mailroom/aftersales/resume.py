"""A clerk's accept on a held ticket: link the customer and order the service could not find.

Corrections: `customer_id` (a customer of the catalog), `order_number` (one of that
customer's orders), `kind` (one of the ticket kinds). Another customer's order is refused,
as it is when the ticket is opened. Accepting without corrections keeps the ticket as it is:
the clerk has read the reason and goes on with it.
"""

from __future__ import annotations

from typing import Any

from mailroom.aftersales.sla import HOLD_KIND
from mailroom.errors import QueueError
from mailroom.queue import resumer
from mailroom.runtime import Runtime, Work
from store import orders as orders_store
from store import tickets as store
from store.catalog import Customer
from store.holds import HeldItem
from store.tickets import NOTE, TicketMessage


@resumer(HOLD_KIND)
def resume_ticket(
    runtime: Runtime, work: Work, item: HeldItem, corrections: dict[str, Any], clerk: str
) -> None:
    """Apply the clerk's corrections to the held item's ticket (see the module doc).

    Raises:
        QueueError: the item names no ticket, or a correction names an unknown customer,
            another customer's order, or a kind that does not exist.
    """
    session = work.session
    ticket = store.by_number(session, item.ref or "")
    if ticket is None:
        raise QueueError(f"held item {item.id} names no ticket ({item.ref})")
    changed = []
    if corrections.get("customer_id"):
        cid = str(corrections["customer_id"])
        if session.get(Customer, cid) is None:
            raise QueueError(f"there is no customer {cid}")
        ticket.customer_id = cid
        changed.append(f"customer {cid}")
    if corrections.get("order_number"):
        order = orders_store.by_number(session, str(corrections["order_number"]))
        if order is None or order.customer_id != ticket.customer_id:
            raise QueueError(
                f"{corrections['order_number']} is not an order of {ticket.customer_id}"
            )
        ticket.order_id = order.id
        changed.append(f"order {order.number}")
    if corrections.get("kind"):
        if corrections["kind"] not in store.KINDS:
            raise QueueError(f"a ticket's kind is one of {', '.join(store.KINDS)}")
        ticket.kind = str(corrections["kind"])
        changed.append(f"kind {ticket.kind}")
    note = f"accepted by {clerk}" + (f": {', '.join(changed)}" if changed else "")
    ticket.messages.append(TicketMessage(direction=NOTE, author=clerk, text=note))
