"""The store's side of `mailroom.parsers.history.History`: a mail's references looked up in
the orders, quotes and our own sent mail, in one short read-only session per mail."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from sqlalchemy.orm import Session

from mailroom.parsers.history import Known
from store import orders, quotes
from store.mail import Mail


class StoreHistory:
    """Answers the parser's questions about earlier correspondence from the store."""

    def __init__(self, sessions: Callable[[], Session]) -> None:
        self._sessions = sessions

    def lookup(
        self,
        *,
        customer_id: str | None,
        po_number: str | None,
        order_number: str | None,
        quote_number: str | None,
        references: Sequence[str],
        message_id: str | None = None,
    ) -> Known:
        """What the store knows of these references (see `Known`)."""
        ids = [r.strip("<> ") for r in references if r and r.strip("<> ")]
        with self._sessions() as session:
            replies_to = None
            if ids and quotes.by_message_ids(session, ids) is not None:
                replies_to = "quote"
            elif ids and orders.in_thread(session, ids) is not None:
                replies_to = "order"
            placed = (
                orders.by_po(session, customer_id, po_number.strip())
                if customer_id and po_number
                else None
            )
            # The order this very mail placed (parsed again) is not an earlier one.
            if placed is not None and message_id and placed.mail_id is not None:
                source = session.get(Mail, placed.mail_id)
                placed = None if source and source.message_id == message_id else placed
            return Known(
                po_on_file=placed is not None,
                order_on_file=bool(order_number and orders.by_number(session, order_number)),
                quote_on_file=bool(quote_number and quotes.by_number(session, quote_number)),
                replies_to=replies_to,
            )
