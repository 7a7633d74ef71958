"""The clerks' queue: items the service will not decide alone, each with every reason found.

Rules hold items through `hold()`, and jobs that ran out of retries land here too, so a
clerk sees everything in one place. `dedupe_key` makes holding the same thing twice a no-op.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, String, Text, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from store.base import Base, Timestamped, utcnow

OPEN, ACCEPTED, REJECTED, DISCARDED = "open", "accepted", "rejected", "discarded"


class HeldItem(Timestamped, Base):
    __tablename__ = "held_items"

    id: Mapped[int] = mapped_column(primary_key=True)
    dedupe_key: Mapped[str] = mapped_column(String(255), unique=True)
    kind: Mapped[str] = mapped_column(String(32))
    mail_id: Mapped[int | None] = mapped_column(ForeignKey("mails.id"), index=True)
    ref: Mapped[str | None] = mapped_column(String(64), index=True)
    reasons: Mapped[list[Any]]
    detail: Mapped[str | None] = mapped_column(Text)
    customer_id: Mapped[str | None] = mapped_column(String(64), index=True)
    message_id: Mapped[str | None] = mapped_column(String(998))
    status: Mapped[str] = mapped_column(String(16), default=OPEN, index=True)
    assignee: Mapped[str | None] = mapped_column(String(64))
    resolved_by: Mapped[str | None] = mapped_column(String(64))
    resolved_at: Mapped[datetime | None]
    resolution: Mapped[str | None] = mapped_column(Text)


class HoldEvent(Base):
    """What happened to a held item, by whom and when: held, claimed, accepted, replied, ..."""

    __tablename__ = "hold_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("held_items.id"), index=True)
    action: Mapped[str] = mapped_column(String(32))
    actor: Mapped[str] = mapped_column(String(64))
    note: Mapped[str | None] = mapped_column(Text)
    at: Mapped[datetime] = mapped_column(default=utcnow)


def record(
    session: Session, item: HeldItem, action: str, actor: str, note: str | None = None
) -> None:
    """Add an entry to the item's history."""
    session.add(HoldEvent(item_id=item.id, action=action, actor=actor, note=note))


def history(session: Session, item_id: int) -> list[HoldEvent]:
    query = select(HoldEvent).where(HoldEvent.item_id == item_id).order_by(HoldEvent.id)
    return list(session.scalars(query))


def reason(rule: str, message: str) -> dict[str, str]:
    """One reason as it is stored and shown: the rule's name and a sentence a clerk reads."""
    return {"rule": rule, "message": message}


def hold(
    session: Session,
    *,
    dedupe_key: str,
    kind: str,
    reasons: list[dict[str, str]],
    mail_id: int | None = None,
    ref: str | None = None,
    detail: str | None = None,
    customer_id: str | None = None,
    message_id: str | None = None,
) -> HeldItem:
    """Put an item in the clerks' queue, or add new reasons to the one already there."""
    item = session.scalar(select(HeldItem).where(HeldItem.dedupe_key == dedupe_key))
    if item is not None:
        known = {(r["rule"], r["message"]) for r in item.reasons}
        extra = [r for r in reasons if (r["rule"], r["message"]) not in known]
        if extra:
            item.reasons = [*item.reasons, *extra]
            record(session, item, "held", "mailroom", "; ".join(r["message"] for r in extra))
        if item.status != OPEN:  # held again after a clerk's decision: back in the queue
            item.status, item.resolved_at = OPEN, None
        if detail:
            item.detail = detail
        return item
    item = HeldItem(
        dedupe_key=dedupe_key,
        kind=kind,
        reasons=reasons,
        mail_id=mail_id,
        ref=ref,
        detail=detail,
        customer_id=customer_id,
        message_id=message_id,
        status=OPEN,
    )
    session.add(item)
    session.flush()
    record(session, item, "held", "mailroom", "; ".join(r["message"] for r in reasons))
    return item


def open_items(session: Session) -> list[HeldItem]:
    query = select(HeldItem).where(HeldItem.status == OPEN).order_by(HeldItem.created_at)
    return list(session.scalars(query))


def resolve(session: Session, item: HeldItem, status: str, by: str, resolution: str) -> None:
    item.status, item.resolved_by, item.resolution = status, by, resolution
    item.resolved_at = utcnow()
    record(session, item, status, by, resolution)
