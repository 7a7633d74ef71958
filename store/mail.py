"""The mail ledger: every mail fetched, where it came from, and how far its work has got.

A mail is stored (raw bytes and location) and committed before anything is marked on the
server. Unique keys on the location (account, folder, UIDVALIDITY, UID) and on the content
hash make a second fetch of the same mail a no-op.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, cast

from sqlalchemy import (
    BigInteger,
    LargeBinary,
    String,
    Table,
    Text,
    UniqueConstraint,
    bindparam,
    func,
    insert,
    select,
)
from sqlalchemy.orm import Mapped, Session, mapped_column

from store.base import Base, Timestamped, utcnow

# Stages of a mail's work: "stored" waits for intake, "parsed" for the actor its intent routes
# to; "done" is answered or recorded; "held" waits for a clerk.
STORED, PARSED, DONE, HELD = "stored", "parsed", "done", "held"
UNFINISHED = (STORED, PARSED)


class Mail(Timestamped, Base):
    __tablename__ = "mails"
    __table_args__ = (UniqueConstraint("account", "folder", "uidvalidity", "uid"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    account: Mapped[str] = mapped_column(String(255))
    folder: Mapped[str] = mapped_column(String(255))
    uidvalidity: Mapped[int | None] = mapped_column(BigInteger)
    uid: Mapped[int | None] = mapped_column(BigInteger)
    sha256: Mapped[str] = mapped_column(String(64), unique=True)
    size: Mapped[int]
    raw: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)
    message_id: Mapped[str | None] = mapped_column(String(998), index=True)
    stage: Mapped[str] = mapped_column(String(16), default=STORED, index=True)
    outcome: Mapped[str | None] = mapped_column(Text)
    sender: Mapped[str | None] = mapped_column(String(320), index=True)
    subject: Mapped[str | None] = mapped_column(Text)
    intent: Mapped[str | None] = mapped_column(String(32))
    language: Mapped[str | None] = mapped_column(String(8))
    customer_id: Mapped[str | None] = mapped_column(String(64), index=True)
    parsed: Mapped[dict[str, Any] | None]
    error: Mapped[str | None] = mapped_column(Text)
    marked_at: Mapped[datetime | None]

    @property
    def reference(self) -> str:
        """The reference number customers see in acknowledgements."""
        return f"M{self.created_at:%Y}-{self.id:06d}"


class MailboxState(Timestamped, Base):
    """Per mailbox epoch (account, folder, UIDVALIDITY): how far the poller has read."""

    __tablename__ = "mailbox_states"
    __table_args__ = (UniqueConstraint("account", "folder", "uidvalidity"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    account: Mapped[str] = mapped_column(String(255))
    folder: Mapped[str] = mapped_column(String(255))
    uidvalidity: Mapped[int] = mapped_column(BigInteger)
    last_uid: Mapped[int] = mapped_column(BigInteger, default=0)
    server_count: Mapped[int] = mapped_column(default=0)
    last_fetch_at: Mapped[datetime | None]
    last_error: Mapped[str | None] = mapped_column(Text)


class Lease(Base):
    """A named lock with an expiry: one poller per mailbox, whatever the number of processes."""

    __tablename__ = "leases"

    name: Mapped[str] = mapped_column(String(255), primary_key=True)
    holder: Mapped[str] = mapped_column(String(255))
    expires_at: Mapped[datetime]


@dataclass(frozen=True)
class Location:
    """Where a mail was found: the account, the folder and its IMAP coordinates."""

    account: str
    folder: str
    uidvalidity: int | None = None
    uid: int | None = None


def sha256(raw: bytes) -> str:
    return hashlib.sha256(raw).hexdigest()


_MAILS = cast(Table, Mail.__table__)


def store_mail(
    session: Session, raw: bytes, where: Location, *, error: str | None = None
) -> Mail | None:
    """Add one fetched mail to the ledger (`store_mails`); the new Mail, or None if known."""
    added = store_mails(session, [(raw, where, error)])
    return session.get(Mail, added[0]) if added else None


def store_mails(session: Session, found: Sequence[tuple[bytes, Location, str | None]]) -> list[int]:
    """Add a batch of fetched mails (raw, where found, error) to the ledger unless known.

    `error` says why only part of a mail was kept (it was over the size limit). One look for
    the batch's content hashes and one INSERT for the new mails, whatever the batch's size.

    A mail whose content is known is not stored again; if it was found at a new location
    (a new UIDVALIDITY epoch) the row moves there, so marking it on the server still works.

    Returns:
        The ids of the new mails, in the order they were found.
    """
    digests = [sha256(raw) for raw, _where, _error in found]
    known = {m.sha256: m for m in session.scalars(select(Mail).where(Mail.sha256.in_(digests)))}
    rows: dict[str, dict[str, Any]] = {}
    for (raw, where, error), digest in zip(found, digests, strict=True):
        mail = known.get(digest)
        if mail is not None:
            _moved(mail, where)
        elif digest not in rows:  # the same content twice in one batch is one mail
            rows[digest] = {
                "account": where.account,
                "folder": where.folder,
                "uidvalidity": where.uidvalidity,
                "uid": where.uid,
                "sha256": digest,
                "size": len(raw),
                "raw": raw,
                "stage": STORED,
                "error": error,
            }
    if not rows:
        return []
    session.flush()  # the moves first: a moved row may free the location a new one takes
    inserted = session.execute(
        insert(_MAILS).returning(_MAILS.c.id, sort_by_parameter_order=True), list(rows.values())
    )
    return list(inserted.scalars())


def _moved(known: Mail, where: Location) -> None:
    if where.uid is not None and (known.uidvalidity, known.uid) != (where.uidvalidity, where.uid):
        known.account, known.folder = where.account, where.folder
        known.uidvalidity, known.uid = where.uidvalidity, where.uid
        known.marked_at = None  # mark it again where it now is


def locked(session: Session, mail_id: int) -> Mail | None:
    """Mail `mail_id`, locked for the session's transaction (`SELECT ... FOR UPDATE`).

    Asked of the database once per transaction: a step run inside another's transaction
    (`mailroom.jobs.run_here`) gets the mail the first one locked, with its changes.
    """
    held: set[int] = session.info.setdefault("locked_mails", set())
    if mail_id in held:
        return session.get(Mail, mail_id)
    mail = session.get(Mail, mail_id, with_for_update=True)
    if mail is not None:
        held.add(mail_id)
    return mail


_INTAKE_INPUT = select(_MAILS.c.raw, _MAILS.c.error).where(
    _MAILS.c.id == bindparam("mail_id"), _MAILS.c.stage == STORED
)


def intake_input(session: Session, mail_id: int) -> tuple[bytes, str | None] | None:
    """(raw, error) of a mail waiting for intake, in one statement; None for any other."""
    row = session.execute(_INTAKE_INPUT, {"mail_id": mail_id}).one_or_none()
    return None if row is None else (row[0], row[1])


def stale_mails(session: Session, older_than: timedelta) -> list[tuple[int, str, str | None]]:
    """(id, stage, intent) of mails unfinished after `older_than`: work a crash left behind."""
    cutoff = utcnow() - older_than
    rows = select(Mail.id, Mail.stage, Mail.intent).where(
        Mail.stage.in_(UNFINISHED), Mail.updated_at <= cutoff
    )
    return [tuple(row) for row in session.execute(rows.order_by(Mail.id))]  # type: ignore[misc]


def unfinished_count(session: Session) -> int:
    return session.scalar(select(func.count()).where(Mail.stage.in_(UNFINISHED))) or 0


def unmarked(session: Session, account: str, folder: str, uidvalidity: int) -> list[Mail]:
    """Mails whose work is durable but that are not yet marked on the server."""
    rows = select(Mail).where(
        Mail.account == account,
        Mail.folder == folder,
        Mail.uidvalidity == uidvalidity,
        Mail.stage.not_in(UNFINISHED),
        Mail.marked_at.is_(None),
        Mail.uid.is_not(None),
    )
    return list(session.scalars(rows.order_by(Mail.uid)))


def ingested_uids(session: Session, account: str, folder: str, uidvalidity: int) -> set[int]:
    """UIDs of the ledger's mails in one mailbox epoch."""
    query = select(Mail.uid).where(
        Mail.account == account, Mail.folder == folder, Mail.uidvalidity == uidvalidity
    )
    return {uid for uid in session.scalars(query) if uid is not None}


def set_marked(session: Session, ids: list[int]) -> None:
    """Note that these mails are marked on the server."""
    now = utcnow()
    for mail in session.scalars(select(Mail).where(Mail.id.in_(ids))):
        mail.marked_at = now


def mailbox_state(session: Session, account: str, folder: str, uidvalidity: int) -> MailboxState:
    """The bookkeeping row of one epoch, created at last_uid 0 for a new epoch."""
    state = session.scalar(
        select(MailboxState).where(
            MailboxState.account == account,
            MailboxState.folder == folder,
            MailboxState.uidvalidity == uidvalidity,
        )
    )
    if state is None:
        state = MailboxState(account=account, folder=folder, uidvalidity=uidvalidity, last_uid=0)
        session.add(state)
        session.flush()
    return state


def take_lease(session: Session, name: str, holder: str, seconds: float) -> bool:
    """Take or renew the lease `name` for `holder`; False while another holder has it."""
    now = utcnow()
    lease = session.get(Lease, name, with_for_update=True)
    if lease is None:
        session.add(Lease(name=name, holder=holder, expires_at=now + timedelta(seconds=seconds)))
        session.flush()
        return True
    if lease.holder != holder and lease.expires_at > now:
        return False
    lease.holder, lease.expires_at = holder, now + timedelta(seconds=seconds)
    return True


def lease_holder(session: Session, name: str) -> str | None:
    """Who holds the lease `name` (expired or not), or None."""
    lease = session.get(Lease, name)
    return lease.holder if lease is not None else None


def take_over_lease(
    session: Session, name: str, holder: str, seconds: float, from_holder: str
) -> bool:
    """Take the lease `name` from `from_holder` (known to be gone); False if it moved on."""
    lease = session.get(Lease, name, with_for_update=True)
    if lease is None or lease.holder != from_holder:
        return False
    lease.holder, lease.expires_at = holder, utcnow() + timedelta(seconds=seconds)
    return True


def release_lease(session: Session, name: str, holder: str) -> None:
    lease = session.get(Lease, name)
    if lease is not None and lease.holder == holder:
        session.delete(lease)


def outcomes(session: Session, ids: list[int]) -> list[tuple[str, str | None, int]]:
    """(stage, outcome, count) over the given mails, for a run's summary."""
    rows: list[tuple[str, str | None, int]] = []
    for start in range(0, len(ids), 500):
        query = (
            select(Mail.stage, Mail.outcome, func.count())
            .where(Mail.id.in_(ids[start : start + 500]))
            .group_by(Mail.stage, Mail.outcome)
        )
        rows += [(stage, outcome, count) for stage, outcome, count in session.execute(query)]
    return rows
