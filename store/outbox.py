"""The transactional outbox: replies written with the state change, sent later exactly once.

A row is keyed twice: by `dedupe_key` (what it answers, e.g. `reply:mail:42`, so a re-run step
cannot write a second reply) and by its own Message-ID (so a retried send is recognised).

A row found `sending` after a crash may or may not have reached the server. It is sent again,
byte for byte, under the same Message-ID (mail clients and servers collapse identical
Message-IDs), so a crash costs at most an identical copy, never silence; `resends` counts
how often that happened, and past `MAX_RESENDS` a clerk looks instead.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import cast

from sqlalchemy import (
    Connection,
    ForeignKey,
    LargeBinary,
    String,
    Table,
    Text,
    bindparam,
    func,
    insert,
    select,
    update,
)
from sqlalchemy.orm import Mapped, Session, mapped_column

from store.base import Base, Timestamped, utcnow

PENDING, SENDING, SENT, HELD, FAILED = "pending", "sending", "sent", "held", "failed"
# Crashes during the SMTP conversation of one reply after which it is sent again; one more
# and it is held: something about this reply keeps killing the process.
MAX_RESENDS = 3


class OutboxMessage(Timestamped, Base):
    __tablename__ = "outbox"

    id: Mapped[int] = mapped_column(primary_key=True)
    dedupe_key: Mapped[str] = mapped_column(String(255), unique=True)
    mail_id: Mapped[int | None] = mapped_column(ForeignKey("mails.id"), index=True)
    purpose: Mapped[str] = mapped_column(String(64))
    recipient: Mapped[str] = mapped_column(String(320), index=True)
    message_id: Mapped[str] = mapped_column(String(998), unique=True)
    raw: Mapped[bytes] = mapped_column(LargeBinary)
    status: Mapped[str] = mapped_column(String(16), default=PENDING, index=True)
    attempts: Mapped[int] = mapped_column(default=0)
    # Times the reply was sent again because a crash left it `sending` (see the module doc).
    resends: Mapped[int] = mapped_column(default=0, server_default="0")
    last_error: Mapped[str | None] = mapped_column(Text)
    next_attempt_at: Mapped[datetime | None]
    sent_at: Mapped[datetime | None]


# The statements every reply runs, built once (building one costs more than running it).
_TABLE = cast(Table, OutboxMessage.__table__)
_EXISTS = select(_TABLE.c.id).where(_TABLE.c.dedupe_key == bindparam("key"))
_RECENT = select(func.count()).where(
    _TABLE.c.recipient == bindparam("recipient"), _TABLE.c.created_at >= bindparam("since")
)
_INSERT = insert(_TABLE).returning(_TABLE.c.id)
_MARK_SENT = (
    update(_TABLE)
    .where(_TABLE.c.id == bindparam("outbox_id"))
    .values(status=SENT, sent_at=bindparam("now"), last_error=None, updated_at=bindparam("now"))
)


def exists(session: Session, dedupe_key: str) -> bool:
    return session.execute(_EXISTS, {"key": dedupe_key}).first() is not None


def add(session: Session, message: OutboxMessage) -> OutboxMessage:
    """Insert `message` in the session's transaction and give it its id.

    One INSERT, not the unit of work: every reply passes here, and nothing changes a row
    through the object afterwards (its state moves by statements: `claim`, `mark_sent`).
    The object stays outside the session; it carries what the caller set, and its id.
    """
    # What the caller left unset takes the columns' defaults, as in a flush.
    values = {c.key: getattr(message, c.key) for c in _TABLE.columns}
    set_values = {key: value for key, value in values.items() if value is not None}
    message.id = session.execute(_INSERT, set_values).scalar_one()
    return message


def claim(session: Session, outbox_id: int) -> tuple[bytes, str, str] | None:
    """Mark a pending message `sending` (one more attempt) and return what to send.

    One statement instead of a locking read and an update: this runs for every reply.

    Returns:
        (raw, recipient, message_id), or None when the message is not pending (sent, being
        sent or held): then nothing is to be sent.
    """
    claimed = session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id == outbox_id, OutboxMessage.status == PENDING)
        .values(status=SENDING, attempts=OutboxMessage.attempts + 1)
        .returning(OutboxMessage.raw, OutboxMessage.recipient, OutboxMessage.message_id),
        execution_options={"synchronize_session": False},
    ).one_or_none()
    return None if claimed is None else (claimed[0], claimed[1], claimed[2])


def mark_sent(connection: Connection, outbox_id: int) -> None:
    """The server took the message: it is sent (its `resends` stay as a record).

    A statement on a connection, not a session: it is the only write of its transaction,
    made once for every reply.
    """
    connection.execute(_MARK_SENT, {"outbox_id": outbox_id, "now": utcnow()})


def recent_count(session: Session, recipient: str, period: timedelta) -> int:
    """How many automatic messages went (or wait to go) to `recipient` within `period`."""
    since = utcnow() - period
    return session.execute(_RECENT, {"recipient": recipient.lower(), "since": since}).scalar() or 0


def due_ids(session: Session, untouched_for: timedelta = timedelta(0)) -> list[int]:
    """Pending messages whose next attempt is due and that nothing touched for a while."""
    now = utcnow()
    query = select(OutboxMessage.id).where(
        OutboxMessage.status == PENDING,
        (OutboxMessage.next_attempt_at.is_(None)) | (OutboxMessage.next_attempt_at <= now),
        OutboxMessage.updated_at <= now - untouched_for,
    )
    return list(session.scalars(query.order_by(OutboxMessage.id)))


def stuck_sending(session: Session, older_than: timedelta) -> list[OutboxMessage]:
    """Messages a crash left half-sent: the server may or may not have taken them."""
    query = select(OutboxMessage).where(
        OutboxMessage.status == SENDING, OutboxMessage.updated_at <= utcnow() - older_than
    )
    return list(session.scalars(query))


def waiting_count(session: Session) -> int:
    query = select(func.count()).where(OutboxMessage.status.in_((PENDING, SENDING)))
    return session.scalar(query) or 0


def in_flight_count(session: Session, since: datetime) -> int:
    """Messages being sent, or pending and not yet tried since `since` (a run's start)."""
    untried = OutboxMessage.next_attempt_at.is_(None) | (OutboxMessage.next_attempt_at <= since)
    query = select(func.count()).where(
        (OutboxMessage.status == SENDING) | ((OutboxMessage.status == PENDING) & untried)
    )
    return session.scalar(query) or 0


def sent_since(session: Session, since: datetime) -> int:
    query = select(func.count()).where(OutboxMessage.status == SENT, OutboxMessage.sent_at >= since)
    return session.scalar(query) or 0


def count_by_status(session: Session) -> dict[str, int]:
    rows = session.execute(
        select(OutboxMessage.status, func.count()).group_by(OutboxMessage.status)
    )
    return {status: count for status, count in rows.tuples()}


def retry_now(session: Session) -> None:
    """Make every waiting reply due at once (a new `run --once` tries them all again)."""
    for row in session.scalars(select(OutboxMessage).where(OutboxMessage.status == PENDING)):
        row.next_attempt_at = None


def answered_count(session: Session, mail_ids: list[int]) -> int:
    """How many of these mails have their reply in the outbox (sent or waiting)."""
    answered = 0
    for start in range(0, len(mail_ids), 500):
        chunk = mail_ids[start : start + 500]
        query = select(func.count(func.distinct(OutboxMessage.mail_id))).where(
            OutboxMessage.mail_id.in_(chunk), OutboxMessage.dedupe_key.like("reply:%")
        )
        answered += session.scalar(query) or 0
    return answered
