"""Every model, imported in one place so the metadata (and Alembic) sees the whole schema."""

from store.base import Base
from store.catalog import Customer, Product
from store.clerks import Clerk, SignInAttempt, WebSession
from store.documents import Document, DocumentBlob
from store.holds import HeldItem, HoldEvent
from store.jobs import Job
from store.mail import Lease, Mail, MailboxState
from store.orders import Order, OrderEvent, OrderLine
from store.outbox import OutboxMessage
from store.quotes import Quote, QuoteLine
from store.relations import Feedback
from store.sequences import Counter
from store.shipments import Shipment, ShipmentEvent
from store.tickets import Ticket, TicketMessage

__all__ = [
    "Base",
    "Clerk",
    "Counter",
    "Customer",
    "Document",
    "DocumentBlob",
    "Feedback",
    "HeldItem",
    "HoldEvent",
    "Job",
    "Lease",
    "Mail",
    "MailboxState",
    "Order",
    "OrderEvent",
    "OrderLine",
    "OutboxMessage",
    "Product",
    "Shipment",
    "ShipmentEvent",
    "SignInAttempt",
    "WebSession",
    "Quote",
    "QuoteLine",
    "Ticket",
    "TicketMessage",
]
