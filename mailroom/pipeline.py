"""The path of one mail, in order, in one place.

    fetch           the poller stores the raw mail and commits, then enqueues mail.received
    mail.received   parse; machines, bounces and lists are recorded and never answered;
                    a mail from a person has its attachments filed (pending) and is routed
                    by its intent to one domain actor
    <domain actor>  decides, persists, and writes its one reply to the outbox in the same
                    transaction, or holds the mail for a clerk with every reason found
    sending         the domain actor hands its stored reply to SMTP right after its commit;
                    outbox.send does it for replies written outside a job, and for retries
    documents.file  after the domain actor: the mail's attachments (filed at intake) are
                    linked to the order or quote it made or touched, POs and contracts
                    cross-checked against the order

Each stage commits its own transaction before the next begins, and the sweep re-enqueues any
stage a crash interrupted. The next stage is a job of its own, except where nothing has to
follow it: then the worker goes on with the same mail in the same thread (intake to the
domain actor, the domain actor to sending), and only a failure puts it in the queue.
"""

from __future__ import annotations

STAGES = ("fetch", "mail.received", "route", "sending")

# Intent -> the actor that answers it. Every intent from a person has exactly one entry;
# an intent not listed is acknowledged and held for a clerk.
ACKNOWLEDGE = "mail.acknowledge"
ROUTES: dict[str, str] = {
    "order": "orders.check",
    "order_change": "orders.change",
    "quote_request": "quotes.prepare",
    "quote_acceptance": "quotes.accept",
    "status_inquiry": "status.answer",
    "shipment_notice": "shipments.notice",
    "after_sales": "aftersales.open",
    "feedback": "feedback.record",
    "other": ACKNOWLEDGE,
    "unreadable": ACKNOWLEDGE,
}

# What follows an actor once it has succeeded, with the same arguments (the `FollowUps`
# middleware enqueues it): every domain actor is followed by the filing of the mail's
# documents, so the order or quote the mail made exists when they are linked to it. Intake
# routes a mail that brought no documents with the message option `documents=False`, and
# that message is not followed: there is nothing to file.
FILE_DOCUMENTS = "documents.file"
FOLLOW_UPS: dict[str, str] = {actor: FILE_DOCUMENTS for actor in sorted(set(ROUTES.values()))}
NO_FOLLOW_UP = {"documents": False}
# Mail from a person in the thread of an open after-sales ticket (by its headers or the ticket
# number in its subject) goes to the ticket, whatever its intent; a reply to a feedback
# request is feedback unless it reports a problem (mailroom/aftersales/threads.py).
TICKET_THREAD = ROUTES["after_sales"]
FEEDBACK_THREAD = ROUTES["feedback"]


# Periodic jobs: actor name -> seconds between runs. `mailroom run` (the process that holds
# the mailbox) enqueues each one on this schedule; each actor takes no arguments.
PERIODIC: dict[str, float] = {
    "orders.overdue": 3600.0,
    "quotes.follow_up": 3600.0,
    "tickets.sla": 900.0,
    "feedback.ask": 3600.0,
    "customers.digest": 3600.0,
    "shipments.watch": 3600.0,
    "shipments.refresh": 1800.0,
}


def route(intent: str | None) -> str:
    """The actor name that handles a mail of `intent` from a person."""
    return ROUTES.get(intent or "", ACKNOWLEDGE)


# A carrier's mail (known by its sender's domain, or read as a shipment notice) goes here
# whatever else the parser thought of it, and even when it must not be answered: carriers
# write from `noreply` addresses, with bulk headers, and their notices are never answered.
CARRIER_NOTICE = ROUTES["shipment_notice"]
