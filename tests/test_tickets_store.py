"""Tickets and feedback are stored as the models say, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import inspect
from sqlalchemy.exc import IntegrityError

from store.base import utcnow
from store.catalog import Customer
from store.db import make_engine, migrate, session_factory, transaction
from store.tickets import INBOUND, OPEN, Ticket, TicketMessage, by_number


def test_migration_0007_adds_tickets_feedback_and_the_customers_relation_columns(database_url):
    # Given a database migrated to the newest schema
    engine = make_engine(database_url)
    try:
        migrate(engine)
        schema = inspect(engine)

        # Then the ticket and feedback tables are there, and customers can opt out
        assert {"tickets", "ticket_messages", "feedback"} <= set(schema.get_table_names())
        columns = {c["name"] for c in schema.get_columns("customers")}
        assert {"feedback_opt_out", "digest"} <= columns
    finally:
        engine.dispose()


def test_a_ticket_keeps_its_messages_and_one_mail_opens_one_ticket(database_url):
    # Given a migrated store with a customer
    engine = make_engine(database_url)
    migrate(engine)
    sessions = session_factory(engine)
    now = utcnow()
    try:
        with transaction(sessions) as session:
            session.add(Customer(customer_id="C-X", name="X", emails=[], domains=[]))
            ticket = Ticket(
                number="TK-2026-00001",
                kind="short_shipment",
                customer_id="C-X",
                lines=[{"sku": "HX-2040", "quantity": "200"}],
                first_response_due=now + timedelta(hours=24),
                resolution_due=now + timedelta(hours=120),
            )
            ticket.messages.append(
                TicketMessage(direction=INBOUND, text="200 pcs missing", attachments=[])
            )
            session.add(ticket)

        # When it is read back
        with transaction(sessions) as session:
            found = by_number(session, "tk-2026-00001")
            assert found is not None
            # Then it has its status, lines, deadlines and message, and the customer's defaults
            assert found.status == OPEN
            assert found.lines == [{"sku": "HX-2040", "quantity": "200"}]
            assert found.first_response_due == now + timedelta(hours=24)
            assert [m.text for m in found.messages] == ["200 pcs missing"]
            customer = session.get(Customer, "C-X")
            assert customer is not None
            assert (customer.feedback_opt_out, customer.digest) == (False, "never")

        # And a second ticket under the same number is refused
        with pytest.raises(IntegrityError), transaction(sessions) as session:
            session.add(
                Ticket(
                    number="TK-2026-00001",
                    kind="defect",
                    first_response_due=now,
                    resolution_due=now,
                )
            )
    finally:
        engine.dispose()
