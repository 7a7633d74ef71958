"""Orders past their promised date: held for a clerk, and the customer warned once."""

from __future__ import annotations

from datetime import date

from mailroom.orders import status
from mailroom.orders.outcome import HOLD_KIND
from mailroom.runtime import Runtime, Work
from store import holds
from store import orders as store
from store.base import utcnow


def hold_overdue(runtime: Runtime, work: Work, today: date) -> list[str]:
    """Hold every confirmed, unshipped order whose promised date has passed; warn its customer.

    Each order is handled once: `overdue_warned_at` is set, and the status email is keyed
    `status:<order>:overdue:<promised date>`. A new promised date (see `status.delay`)
    makes the order eligible again.

    Args:
        today: the day to compare promised dates with.

    Returns:
        The numbers of the orders held now.
    """
    session = work.session
    numbers = []
    for order in store.overdue(session, today):
        late = f"promised for {order.promised_date}, not shipped by {today} ({order.status})"
        order.overdue_warned_at = utcnow()
        holds.hold(
            session,
            dedupe_key=f"order:{order.number}:overdue:{order.promised_date}",
            kind=HOLD_KIND,
            reasons=[holds.reason("overdue", f"order {order.number} is {late}")],
            mail_id=order.mail_id,
            ref=order.number,
            customer_id=order.customer_id,
        )
        session.add(
            store.OrderEvent(order_id=order.id, status=order.status, note=f"overdue: {late}")
        )
        key = f"status:{order.number}:overdue:{order.promised_date}"
        previous = order.promised_date.isoformat() if order.promised_date else None
        status.tell(
            runtime, work, order, "order/delayed", key, {"previous_date": previous, "overdue": True}
        )
        numbers.append(order.number)
    return numbers
