"""The document store: every file we received or made, filed once, with what it belongs to.

A document is one file in one role: its kind (a purchase order, a contract, our invoice ...),
whether we received or generated it, the order / quote / customer it belongs to, the mail it
came in, its number and its version (a revised PO is version 2 of the same PO number).

The bytes are content-addressed by SHA-256 in the database (`document_blobs`), as the raw
mail already is (`mails.raw`): in the distributed mode workers on several machines file and
read documents, and the database is the one store they all share and back up together; a
folder under `MAILROOM_HOME` would exist on one machine only. The same bytes are stored once,
whatever the number of documents that name them, and a unique key on (sha256, kind, owner)
makes filing the same file for the same owner twice a no-op.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import ForeignKey, LargeBinary, String, Text, UniqueConstraint, func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, Session, mapped_column

from store.base import Base, Timestamped, utcnow
from store.mail import UNFINISHED, Mail
from store.orders import Order, OrderEvent
from store.quotes import Quote

KINDS = (
    "purchase_order",
    "contract",
    "invoice",
    "packing_list",
    "shipping_document",
    "quote",
    "confirmation",
    "photo",
    "other",
)
RECEIVED, GENERATED = "received", "generated"
# What a cross-check found: the document matches its order, or differs (held for a clerk).
CHECKED, DIFFERS = "checked", "differs"
# A received document is `pending` from intake until the mail's domain step has decided and
# `documents.file` has linked it to the order or quote made or touched (and cross-checked
# it); then `filed`. `failed` when that step ran out of retries (a clerk has the job).
PENDING, FILED, FAILED = "pending", "filed", "failed"


class DocumentBlob(Base):
    """The bytes of a file, once, under their SHA-256."""

    __tablename__ = "document_blobs"

    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    size: Mapped[int]
    content: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Document(Timestamped, Base):
    __tablename__ = "documents"
    __table_args__ = (UniqueConstraint("sha256", "kind", "owner"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    sha256: Mapped[str] = mapped_column(ForeignKey("document_blobs.sha256"), index=True)
    kind: Mapped[str] = mapped_column(String(32), index=True)
    direction: Mapped[str] = mapped_column(String(16))
    # The most specific thing the document belongs to: "order:12", "quote:3",
    # "customer:C-ACME" or "mail:40" (see `owner_of`).
    owner: Mapped[str] = mapped_column(String(96))
    filename: Mapped[str] = mapped_column(String(255))
    content_type: Mapped[str] = mapped_column(String(128))
    size: Mapped[int]
    order_id: Mapped[int | None] = mapped_column(ForeignKey("orders.id"), index=True)
    quote_id: Mapped[int | None] = mapped_column(ForeignKey("quotes.id"), index=True)
    customer_id: Mapped[str | None] = mapped_column(String(64), index=True)
    mail_id: Mapped[int | None] = mapped_column(ForeignKey("mails.id"), index=True)
    number: Mapped[str | None] = mapped_column(String(128), index=True)
    version: Mapped[int] = mapped_column(default=1)
    language: Mapped[str | None] = mapped_column(String(8))
    state: Mapped[str] = mapped_column(String(16), default=FILED, index=True)
    check_status: Mapped[str | None] = mapped_column(String(16))
    check_note: Mapped[str | None] = mapped_column(Text)


@dataclass(frozen=True)
class Links:
    """What a document belongs to, as far as it is known when it is filed."""

    order_id: int | None = None
    quote_id: int | None = None
    customer_id: str | None = None
    mail_id: int | None = None


def owner_of(links: Links) -> str:
    """The owner key of the unique constraint: the most specific link known."""
    if links.order_id is not None:
        return f"order:{links.order_id}"
    if links.quote_id is not None:
        return f"quote:{links.quote_id}"
    if links.customer_id:
        return f"customer:{links.customer_id}"
    return f"mail:{links.mail_id}"


def sha256(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def put_bytes(session: Session, content: bytes) -> str:
    """Store `content` under its SHA-256 unless it is there already; returns the digest."""
    digest = sha256(content)
    if session.get(DocumentBlob, digest) is None:
        try:
            with session.begin_nested():
                session.add(DocumentBlob(sha256=digest, size=len(content), content=content))
        except IntegrityError:  # another worker stored the same bytes first: theirs will do
            pass
    return digest


def file_document(
    session: Session,
    content: bytes,
    *,
    kind: str,
    direction: str,
    filename: str,
    content_type: str,
    links: Links,
    number: str | None = None,
    language: str | None = None,
    state: str = FILED,
) -> tuple[Document, bool]:
    """File one document, or find it filed already.

    A file already filed from the same mail (a re-run) or for the same owner is the same
    document: it is not filed again, only linked to what is known now (the order a mail
    made, once it exists). A new file under a number already on file for the customer is
    the next version of that number.

    Returns:
        (the document, whether it is new).

    Raises:
        ValueError: `kind` or `direction` is not one of the known values.
    """
    if kind not in KINDS or direction not in (RECEIVED, GENERATED):
        raise ValueError(f"unknown document kind or direction: {kind!r}, {direction!r}")
    digest = put_bytes(session, content)
    owner = owner_of(links)
    known = _known(session, digest, kind, owner, links.mail_id)
    if known is not None:
        link(session, known, links)
        return known, False
    document = Document(
        sha256=digest,
        kind=kind,
        direction=direction,
        owner=owner,
        filename=filename[:255] or f"{kind}.bin",
        content_type=content_type[:128] or "application/octet-stream",
        size=len(content),
        order_id=links.order_id,
        quote_id=links.quote_id,
        customer_id=links.customer_id,
        mail_id=links.mail_id,
        number=number,
        version=_next_version(session, kind, number, links.customer_id, digest),
        language=language,
        state=state,
    )
    session.add(document)
    session.flush()
    return document, True


def _known(
    session: Session, digest: str, kind: str, owner: str, mail_id: int | None
) -> Document | None:
    same = Document.owner == owner
    if mail_id is not None:
        same = or_(same, Document.mail_id == mail_id)
    query = select(Document).where(Document.sha256 == digest, Document.kind == kind, same)
    return session.scalar(query.order_by(Document.id).limit(1))


def link(session: Session, document: Document, links: Links) -> None:
    """Add links learnt since the document was filed; the owner follows when it is free."""
    document.order_id = document.order_id or links.order_id
    document.quote_id = document.quote_id or links.quote_id
    document.customer_id = document.customer_id or links.customer_id
    owner = owner_of(
        Links(document.order_id, document.quote_id, document.customer_id, document.mail_id)
    )
    taken = select(Document.id).where(
        Document.sha256 == document.sha256, Document.kind == document.kind, Document.owner == owner
    )
    if owner != document.owner and session.scalar(taken) is None:
        document.owner = owner
    session.flush()


def _next_version(
    session: Session, kind: str, number: str | None, customer_id: str | None, digest: str
) -> int:
    """1 for a new number; one more than the versions on file for a number already known."""
    if not number:
        return 1
    query = select(func.max(Document.version)).where(
        Document.kind == kind,
        Document.number == number,
        Document.customer_id.is_(None)
        if customer_id is None
        else Document.customer_id == customer_id,
        Document.sha256 != digest,
    )
    return (session.scalar(query) or 0) + 1


def content_of(session: Session, document: Document) -> bytes:
    """The bytes of `document`."""
    query = select(DocumentBlob.content).where(DocumentBlob.sha256 == document.sha256)
    return bytes(session.scalar(query) or b"")


def get(session: Session, document_id: int) -> Document | None:
    return session.get(Document, document_id)


def listed(
    session: Session, *, order_id: int | None = None, customer_id: str | None = None
) -> list[Document]:
    """Documents, oldest first; those of one order or one customer when asked."""
    query = select(Document)
    if order_id is not None:
        query = query.where(Document.order_id == order_id)
    if customer_id is not None:
        query = query.where(Document.customer_id == customer_id)
    return list(session.scalars(query.order_by(Document.id)))


def of_mail(session: Session, mail_id: int) -> list[Document]:
    query = select(Document).where(Document.mail_id == mail_id).order_by(Document.id)
    return list(session.scalars(query))


def generated(session: Session, kind: str, order_id: int) -> Document | None:
    """The latest document of `kind` we generated for an order, if any."""
    query = select(Document).where(
        Document.kind == kind, Document.order_id == order_id, Document.direction == GENERATED
    )
    return session.scalar(query.order_by(Document.version.desc(), Document.id.desc()).limit(1))


def mark_checked(document: Document, status: str, note: str) -> None:
    """Record what the cross-check of `document` against its order found."""
    document.check_status, document.check_note = status, note


def pending_of_mail(session: Session, mail_id: int) -> list[Document]:
    """The documents of a mail still waiting for `documents.file`, locked for the step."""
    query = select(Document).where(Document.mail_id == mail_id, Document.state == PENDING)
    return list(session.scalars(query.order_by(Document.id).with_for_update()))


def unsettled_of_mail(session: Session, mail_id: int, *, lock: bool = True) -> list[Document]:
    """A mail's received documents that wait for `documents.file`: pending ones, and those
    not linked to an order yet (the order may exist since a clerk's correction)."""
    query = select(Document).where(
        Document.mail_id == mail_id,
        Document.direction == RECEIVED,
        or_(Document.state == PENDING, Document.order_id.is_(None)),
    )
    query = query.order_by(Document.id)
    return list(session.scalars(query.with_for_update() if lock else query))


def pending_count(session: Session) -> int:
    query = select(func.count()).select_from(Document).where(Document.state == PENDING)
    return session.scalar(query) or 0


def stale_pending_mails(session: Session, older_than: timedelta) -> list[int]:
    """Mails whose documents wait for `documents.file` though their domain step is done."""
    cutoff = utcnow() - older_than
    query = (
        select(Document.mail_id)
        .join(Mail, Mail.id == Document.mail_id)
        .where(
            Document.state == PENDING,
            Document.updated_at <= cutoff,
            Mail.stage.not_in(UNFINISHED),
        )
        .distinct()
    )
    return [mail_id for mail_id in session.scalars(query) if mail_id is not None]


def order_of_mail(session: Session, mail_id: int) -> Order | None:
    """The order a mail made (it is the order's mail) or changed (an event names it)."""
    made = select(Order).where(Order.mail_id == mail_id).order_by(Order.id.desc()).limit(1)
    found = session.scalar(made)
    if found is not None:
        return found
    touched = select(OrderEvent.order_id).where(OrderEvent.mail_id == mail_id)
    query = select(Order).where(Order.id.in_(touched)).order_by(Order.id.desc()).limit(1)
    return session.scalar(query)


def quote_of_mail(session: Session, mail_id: int) -> Quote | None:
    """The quote a mail asked for, or accepted."""
    query = select(Quote).where(or_(Quote.mail_id == mail_id, Quote.accepted_mail_id == mail_id))
    return session.scalar(query.order_by(Quote.id.desc()).limit(1))
