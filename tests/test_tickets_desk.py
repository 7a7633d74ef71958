"""Tickets on the clerks' desk: the list, a ticket's page with its answer and resolve forms,
and the customer's page."""

from __future__ import annotations

import re
from pathlib import Path

import httpx
from sqlalchemy import select

from mailroom.aftersales.tickets import read_mail, take
from mailroom.parsers import parse_mail
from store.mail import PARSED, Location, store_mail
from store.outbox import OutboxMessage
from store.tickets import by_number
from tests.support import mail
from tests.web_support import PASSWORD, add_clerk, add_customer, served


def test_a_ticket_is_on_the_list_its_own_page_and_the_customers_page(tmp_path: Path) -> None:
    # Given the desk, a clerk, a customer, and a defect report that opened a ticket
    with served(tmp_path) as site:
        add_clerk(site.runtime, "alice")
        add_customer(site.runtime, "C-LAURA", "Northwind", "laura@northwind.example")
        raw = mail(
            "laura@northwind.example",
            "Defective sensors",
            "Hello, three of the sensors are defective, there is no output at all.",
        )
        result = parse_mail(raw, site.runtime.catalog())
        with site.runtime.work() as work:
            stored = store_mail(work.session, raw, Location("test", "INBOX", 1, 1))
            assert stored is not None
            stored.sender, stored.subject, stored.customer_id = (
                result.sender,
                result.subject,
                "C-LAURA",
            )
            stored.stage, stored.intent = PARSED, "after_sales"
            stored.parsed = {**result.to_json(), "references": []}
            ticket = take(
                site.runtime, work, stored, read_mail(raw, stored, site.runtime.catalog())
            )
            number = ticket.number

        # When alice signs in and opens the list, the ticket and the customer
        client = httpx.Client(base_url=site.url, follow_redirects=False)
        token = re.search(r'name="csrf" value="([^"]+)"', client.get("/signin").text)
        assert token is not None
        client.post("/signin", data={"csrf": token.group(1), "name": "alice", "password": PASSWORD})
        listed = client.get("/tickets?status=open")
        page = client.get(f"/tickets/{number}")
        customer = client.get("/customers/C-LAURA")
        missing = client.get("/tickets/TK-1999-99999")

        # And answers the customer and resolves the ticket from its page
        csrf = re.search(r'name="csrf" value="([^"]+)"', page.text)
        assert csrf is not None
        form = {"csrf": csrf.group(1)}
        answered = client.post(
            f"/tickets/{number}/reply", data={**form, "text": "New sensors go out today."}
        )
        resolved = client.post(
            f"/tickets/{number}/resolve", data={**form, "note": "3 sensors replaced"}
        )
        with site.runtime.read() as session:
            done = by_number(session, number)
            assert done is not None
            state = (done.status, done.first_responded_at is not None, done.resolution)
            written = {
                row.purpose: row.recipient
                for row in session.scalars(select(OutboxMessage))
                if row.purpose.startswith("ticket/")
            }

    # Then each shows the ticket: the list its kind, the page its message and the words read
    assert listed.status_code == 200 and number in listed.text and "defect" in listed.text
    assert page.status_code == 200
    assert "no output at all" in page.text and "defective" in page.text
    assert customer.status_code == 200 and f"/tickets/{number}" in customer.text
    assert missing.status_code == 404
    # And the answer and the resolution were written to the customer, and the ticket is resolved
    assert answered.status_code == 303 and resolved.status_code == 303
    assert state == ("resolved", True, "3 sensors replaced")
    assert written == {
        "ticket/opened": "laura@northwind.example",
        "ticket/reply": "laura@northwind.example",
        "ticket/resolved": "laura@northwind.example",
    }
