"""The shipments store: one row per parcel, one row per event, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import inspect
from sqlalchemy.exc import IntegrityError

from store.db import make_engine, migrate, session_factory, transaction
from store.orders import Order
from store.shipments import Shipment, ShipmentEvent


def test_migration_0005_adds_the_shipment_tables_whose_keys_refuse_a_second_row(
    database_url: str,
) -> None:
    # Given a database migrated to the head (0005), with one order and its parcel
    engine = make_engine(database_url)
    try:
        migrate(engine)
        assert {"shipments", "shipment_events"} <= set(inspect(engine).get_table_names())
        sessions = session_factory(engine)
        with transaction(sessions) as session:
            order = Order(number="SO-2026-00001", status="confirmed")
            session.add(order)
            session.flush()
            parcel = Shipment(order_id=order.id, carrier="dhl", tracking_number="4829301756")
            session.add(parcel)
            session.flush()
            at = datetime(2026, 12, 7, 4, 48, tzinfo=UTC)
            session.add(
                ShipmentEvent(
                    shipment_id=parcel.id,
                    event_key="k1",
                    happened_at=at,
                    status="in_transit",
                    source="poll",
                )
            )
            order_id, parcel_id = order.id, parcel.id

        # When the same parcel is booked again, and the same event recorded again
        # Then the database refuses both
        with pytest.raises(IntegrityError), transaction(sessions) as session:
            session.add(Shipment(order_id=order_id, carrier="dhl", tracking_number="4829301756"))
        with pytest.raises(IntegrityError), transaction(sessions) as session:
            session.add(
                ShipmentEvent(
                    shipment_id=parcel_id,
                    event_key="k1",
                    happened_at=at,
                    status="in_transit",
                    source="webhook",
                )
            )
        # And the same number at another carrier is another parcel
        with transaction(sessions) as session:
            session.add(Shipment(order_id=order_id, carrier="fedex", tracking_number="4829301756"))
    finally:
        engine.dispose()
