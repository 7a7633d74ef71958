"""Every model, imported in one place so the metadata (and Alembic) sees the whole schema."""

from store.base import Base
from store.catalog import Customer, Product
from store.holds import HeldItem
from store.mail import Lease, Mail, MailboxState
from store.outbox import OutboxMessage

__all__ = [
    "Base",
    "Customer",
    "HeldItem",
    "Lease",
    "Mail",
    "MailboxState",
    "OutboxMessage",
    "Product",
]
