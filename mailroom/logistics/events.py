"""What a carrier tells about a parcel, however it told it: a mail, a poll or a push.

A `TrackingEvent` is one scan in normalised terms; a `Notice` is a carrier mail read into
the event it reports, with the parcel it is about. Their `key` names the event, so the same
scan heard twice (the notice resent, a poll returning the whole history) is recognised.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any


@dataclass(frozen=True)
class TrackingEvent:
    """One scan of a parcel: when (UTC), the normalised status and exception kind, where."""

    happened_at: datetime
    status: str
    exception_kind: str | None = None
    place: str | None = None
    description: str | None = None

    def key(self, carrier: str, tracking_number: str) -> str:
        """The event's name: the same scan of the same parcel always gets the same key.

        To the minute: a carrier's mail writes the scan's time without seconds, its API with
        them, and the same scan heard both ways is one event (and one notice to the customer).
        """
        at = self.happened_at.astimezone(UTC).strftime("%Y%m%dT%H%M")
        return f"{carrier}:{tracking_number}:{at}:{self.status}:{self.exception_kind or '-'}"

    def to_json(self) -> dict[str, Any]:
        return {
            "happened_at": self.happened_at.astimezone(UTC).isoformat(),
            "status": self.status,
            "exception_kind": self.exception_kind,
            "place": self.place,
            "description": self.description,
        }


@dataclass(frozen=True)
class Notice:
    """A carrier's mail, read: which parcel, what happened, when it should arrive, and why."""

    carrier: str
    tracking_number: str
    event: TrackingEvent
    eta: date | None = None
    reason: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "carrier": self.carrier,
            "tracking_number": self.tracking_number,
            **self.event.to_json(),
            "eta": self.eta.isoformat() if self.eta else None,
            "reason": self.reason,
        }
