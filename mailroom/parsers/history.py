"""What the store remembers of earlier correspondence, as far as it bears on a new mail.

Words alone cannot tell "PO 4500123, please ship 8,000" placing an order from changing one;
the store can: that PO is already an order of ours. The parser stays a function of its inputs
by asking through this small interface, once per mail; parsing without a store (tests, a
fresh install) asks `NO_HISTORY`, which knows nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True)
class Known:
    """What the store knows of the references one mail makes."""

    po_on_file: bool = False  # the customer's PO is already one of our orders
    order_on_file: bool = False  # the order number the mail cites is ours
    quote_on_file: bool = False  # the quote number the mail cites is ours
    replies_to: str | None = None  # "quote" or "order": what our message it answers was about


class History(Protocol):
    """Looks up a mail's references in the store."""

    def lookup(
        self,
        *,
        customer_id: str | None,
        po_number: str | None,
        order_number: str | None,
        quote_number: str | None,
        references: Sequence[str],
        message_id: str | None = None,
    ) -> Known: ...


class _Nothing:
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
        return Known()


NO_HISTORY: History = _Nothing()
