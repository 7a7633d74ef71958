"""Searches behind the clerks' lists: mail, customers, held items and replies, newest first.

A search text matches anywhere in the columns a clerk would type from (address, subject,
Message-ID, customer), case-insensitively, on SQLite and PostgreSQL alike.
"""

from __future__ import annotations

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from store.catalog import Customer
from store.holds import OPEN, HeldItem
from store.mail import Mail, MailboxState
from store.outbox import OutboxMessage


def _like(text: str) -> str:
    escaped = text.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def mails(session: Session, text: str = "", *, limit: int = 50, offset: int = 0) -> list[Mail]:
    """Mails matching `text` in sender, subject, Message-ID or customer, newest first."""
    query = select(Mail).order_by(Mail.id.desc()).limit(limit).offset(offset)
    if text:
        pattern = _like(text)
        query = query.where(
            or_(
                func.lower(Mail.sender).like(pattern, escape="\\"),
                func.lower(Mail.subject).like(pattern, escape="\\"),
                func.lower(Mail.message_id).like(pattern, escape="\\"),
                func.lower(Mail.customer_id).like(pattern, escape="\\"),
            )
        )
    return list(session.scalars(query))


def customers(session: Session, text: str = "", *, limit: int = 200) -> list[Customer]:
    """Customers whose ID or name contains `text`."""
    query = select(Customer).order_by(Customer.customer_id).limit(limit)
    if text:
        pattern = _like(text)
        query = query.where(
            or_(
                func.lower(Customer.customer_id).like(pattern, escape="\\"),
                func.lower(Customer.name).like(pattern, escape="\\"),
            )
        )
    return list(session.scalars(query))


def mails_of_customer(session: Session, customer_id: str, limit: int = 50) -> list[Mail]:
    query = select(Mail).where(Mail.customer_id == customer_id)
    return list(session.scalars(query.order_by(Mail.id.desc()).limit(limit)))


def items_of_mail(session: Session, mail_id: int) -> list[HeldItem]:
    return list(session.scalars(select(HeldItem).where(HeldItem.mail_id == mail_id)))


def items_of_customer(session: Session, customer_id: str, limit: int = 50) -> list[HeldItem]:
    query = select(HeldItem).where(HeldItem.customer_id == customer_id)
    return list(session.scalars(query.order_by(HeldItem.id.desc()).limit(limit)))


def replies_to(session: Session, mail_ids: list[int]) -> list[OutboxMessage]:
    """The outbox rows answering these mails, oldest first."""
    if not mail_ids:
        return []
    query = select(OutboxMessage).where(OutboxMessage.mail_id.in_(mail_ids))
    return list(session.scalars(query.order_by(OutboxMessage.id)))


def mailbox_states(session: Session) -> list[MailboxState]:
    """The newest epoch of each mailbox folder the poller reads."""
    rows = session.scalars(select(MailboxState).order_by(MailboxState.id.desc()))
    newest: dict[tuple[str, str], MailboxState] = {}
    for state in rows:
        newest.setdefault((state.account, state.folder), state)
    return list(newest.values())


def ingested_count(session: Session, account: str, folder: str, uidvalidity: int) -> int:
    query = select(func.count()).where(
        Mail.account == account, Mail.folder == folder, Mail.uidvalidity == uidvalidity
    )
    return session.scalar(query) or 0


def open_items_of_kind(session: Session, kind: str) -> list[HeldItem]:
    query = select(HeldItem).where(HeldItem.status == OPEN, HeldItem.kind == kind)
    return list(session.scalars(query.order_by(HeldItem.id)))
