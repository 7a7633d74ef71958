"""Shipments: the parcels an order leaves in, their normalised status, and each tracking event.

A shipment is known by its carrier and tracking number (unique together), so a notice, a
poll and a webhook about the same parcel all land on one row. Every scan is a
`ShipmentEvent` with an `event_key` that is unique: the same event read twice (the same
mail delivered again, a poll that returns the whole history) is one row, not two.
Statuses and exception kinds follow the way Karrio and AfterShip normalise carriers.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import ForeignKey, Numeric, String, Text, UniqueConstraint, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from store.base import Base, Timestamped, utcnow

# Normalised statuses, in the order a parcel normally goes through them.
PENDING, IN_TRANSIT, OUT_FOR_DELIVERY = "pending", "in_transit", "out_for_delivery"
DELIVERED, EXCEPTION, RETURNED = "delivered", "exception", "returned"
STATUSES = (PENDING, IN_TRANSIT, OUT_FOR_DELIVERY, DELIVERED, EXCEPTION, RETURNED)
# Shipments whose tracking still changes: polled and watched.
ACTIVE = (PENDING, IN_TRANSIT, OUT_FOR_DELIVERY, EXCEPTION)
# Exception kinds: why a parcel is not simply on its way.
DELAY, FAILED_ATTEMPT, CUSTOMS_HOLD = "delay", "failed_attempt", "customs_hold"
ADDRESS_PROBLEM, DAMAGED, LOST = "address_problem", "damaged", "lost"
RETURNED_TO_SENDER = "returned_to_sender"
EXCEPTION_KINDS = (
    DELAY,
    FAILED_ATTEMPT,
    CUSTOMS_HOLD,
    ADDRESS_PROBLEM,
    DAMAGED,
    LOST,
    RETURNED_TO_SENDER,
)
# Where an event came from when it is not a mail: a carrier's API, or its push.
POLL, WEBHOOK, WATCH = "poll", "webhook", "watch"


class Shipment(Timestamped, Base):
    __tablename__ = "shipments"
    __table_args__ = (UniqueConstraint("carrier", "tracking_number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id"), index=True)
    carrier: Mapped[str] = mapped_column(String(32))
    service: Mapped[str | None] = mapped_column(String(64))
    tracking_number: Mapped[str] = mapped_column(String(64), index=True)
    packages: Mapped[int] = mapped_column(default=1)
    weight_kg: Mapped[Decimal | None] = mapped_column(Numeric(10, 3))
    shipped_on: Mapped[date | None]
    eta: Mapped[date | None]
    status: Mapped[str] = mapped_column(String(24), default=PENDING, index=True)
    exception_kind: Mapped[str | None] = mapped_column(String(24))
    # Why this carrier and service: the chosen rule's name, or the clerk who overrode it.
    chosen_by: Mapped[str | None] = mapped_column(Text)
    last_event_at: Mapped[datetime | None]


class ShipmentEvent(Base):
    """One scan or notice about a shipment, as the carrier told it, normalised."""

    __tablename__ = "shipment_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    shipment_id: Mapped[int] = mapped_column(ForeignKey("shipments.id"), index=True)
    event_key: Mapped[str] = mapped_column(String(255), unique=True)
    happened_at: Mapped[datetime]
    status: Mapped[str] = mapped_column(String(24))
    exception_kind: Mapped[str | None] = mapped_column(String(24))
    place: Mapped[str | None] = mapped_column(String(255))
    description: Mapped[str | None] = mapped_column(Text)
    # "mail:<id>", POLL, WEBHOOK or WATCH.
    source: Mapped[str] = mapped_column(String(32))
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)


def by_tracking(
    session: Session, tracking_number: str, carrier: str | None = None, *, lock: bool = False
) -> Shipment | None:
    """The shipment with this tracking number (of this carrier, when it is known).

    Args:
        lock: lock the row (PostgreSQL `FOR UPDATE`), so two notices about one parcel are
            applied one after the other.
    """
    query = select(Shipment).where(Shipment.tracking_number == tracking_number)
    if carrier:
        query = query.where(Shipment.carrier == carrier)
    if lock:
        query = query.with_for_update()
    return session.scalars(query.order_by(Shipment.id)).first()


def for_order(session: Session, order_id: int) -> list[Shipment]:
    query = select(Shipment).where(Shipment.order_id == order_id).order_by(Shipment.id)
    return list(session.scalars(query))


def all_shipments(session: Session, status: str | None = None) -> list[Shipment]:
    query = select(Shipment).order_by(Shipment.id)
    if status:
        query = query.where(Shipment.status == status)
    return list(session.scalars(query))


def active(session: Session) -> list[Shipment]:
    """Shipments not delivered or returned yet: the ones polled and watched."""
    query = select(Shipment).where(Shipment.status.in_(ACTIVE)).order_by(Shipment.id)
    return list(session.scalars(query))


def event_exists(session: Session, event_key: str) -> bool:
    query = select(ShipmentEvent.id).where(ShipmentEvent.event_key == event_key)
    return session.scalar(query) is not None


def events(session: Session, shipment_id: int) -> list[ShipmentEvent]:
    """The shipment's events, oldest first (by when they happened, then as recorded)."""
    query = (
        select(ShipmentEvent)
        .where(ShipmentEvent.shipment_id == shipment_id)
        .order_by(ShipmentEvent.happened_at, ShipmentEvent.id)
    )
    return list(session.scalars(query))


def last_event(session: Session, shipment_id: int) -> ShipmentEvent | None:
    query = (
        select(ShipmentEvent)
        .where(ShipmentEvent.shipment_id == shipment_id)
        .order_by(ShipmentEvent.happened_at.desc(), ShipmentEvent.id.desc())
    )
    return session.scalars(query.limit(1)).first()
