"""Service levels of tickets: when a first response and a resolution are due, and warnings.

The hours per kind come from the settings (`ticket_first_response_hours`,
`ticket_resolution_hours`, each with a `default`). The periodic job `tickets.sla` warns the
clerks through the queue when a deadline passes: one held item per ticket and deadline, and
the warning time is kept on the ticket, so a second run warns nobody again.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from mailroom.settings import Settings
from store import holds
from store import tickets as store
from store.tickets import FIRST_RESPONSE, RESOLUTION, Ticket

HOLD_KIND = "ticket"
_LABEL = {FIRST_RESPONSE: "first response", RESOLUTION: "resolution"}


def hours_for(table: dict[str, float], kind: str) -> float:
    """The hours `table` gives `kind`, else its `default` (24 h when it has none)."""
    return table.get(kind, table.get("default", 24.0))


def deadlines(settings: Settings, kind: str, opened: datetime) -> tuple[datetime, datetime]:
    """(first response due, resolution due) for a ticket of `kind` opened at `opened`."""
    first = opened + timedelta(hours=hours_for(settings.ticket_first_response_hours, kind))
    done = opened + timedelta(hours=hours_for(settings.ticket_resolution_hours, kind))
    return first, max(first, done)


def warn_late(session: Session, now: datetime) -> list[tuple[str, str]]:
    """Hold every active ticket whose first response or resolution is overdue, once each.

    Args:
        now: the time to compare deadlines with (UTC-aware).

    Returns:
        (ticket number, deadline name) for each warning raised now.
    """
    raised = []
    for ticket in store.first_response_late(session, now):
        ticket.first_response_warned_at = now
        _warn(session, ticket, FIRST_RESPONSE, ticket.first_response_due, now)
        raised.append((ticket.number, FIRST_RESPONSE))
    for ticket in store.resolution_late(session, now):
        ticket.resolution_warned_at = now
        _warn(session, ticket, RESOLUTION, ticket.resolution_due, now)
        raised.append((ticket.number, RESOLUTION))
    return raised


def _warn(session: Session, ticket: Ticket, which: str, due: datetime, now: datetime) -> None:
    late = now - due
    hours = late.total_seconds() / 3600
    message = (
        f"ticket {ticket.number} ({ticket.kind}) is past its {_LABEL[which]} deadline "
        f"{due:%Y-%m-%d %H:%M} UTC by {hours:.1f} h"
    )
    holds.hold(
        session,
        dedupe_key=f"ticket:{ticket.number}:sla:{which}",
        kind=HOLD_KIND,
        reasons=[holds.reason(f"sla-{which.replace('_', '-')}", message)],
        mail_id=ticket.mail_id,
        ref=ticket.number,
        customer_id=ticket.customer_id,
    )
