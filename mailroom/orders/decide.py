"""The one decision over an order's check results: confirm, ask the customer, or hold.

A wrong automatic confirmation is the worst bug this product can have, so confirming needs
every rule to pass (low parse confidence is one of the rules). Asking the customer is only
for problems the customer can fix; anything else goes to a clerk.
"""

from __future__ import annotations

from collections.abc import Sequence

from mailroom.orders.rules import Hit

CONFIRM, ASK, HOLD = "confirm", "ask", "hold"


def decide(hits: Sequence[Hit]) -> str:
    """CONFIRM when nothing was hit, ASK when the customer can fix every hit, else HOLD.

    Args:
        hits: every hit of every rule for one order.

    Returns:
        One of CONFIRM, ASK, HOLD.
    """
    if not hits:
        return CONFIRM
    if all(hit.fixable for hit in hits):
        return ASK
    return HOLD
