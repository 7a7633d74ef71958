"""Health: the mailbox, the outbox and failing jobs, with a warning for anything off."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy.orm import Session
from starlette.responses import Response

from mailroom.web.context import Ctx
from mailroom.web.i18n import Labels
from store import outbox, search
from store.base import utcnow
from store.mail import unfinished_count

# No fetch for this long, while the service should poll every few seconds, is worth a look.
STALE_FETCH = timedelta(minutes=15)


@dataclass
class Box:
    name: str
    last_fetch: str
    on_server: int
    ingested: int
    error: str | None


def health_page(ctx: Ctx) -> Response:
    """GET /health."""
    t = ctx.t
    with ctx.runtime.read() as session:
        boxes, warnings = _mailboxes(session, t)
        by_status = outbox.count_by_status(session)
        jobs = search.open_items_of_kind(session, "job")
        unfinished = unfinished_count(session)
    if not boxes:
        warnings.append(t.warn_no_fetch)
    warnings += _queue_warnings(t, by_status, len(jobs))
    return ctx.page(
        "health.html.j2",
        boxes=boxes,
        outbox=sorted(by_status.items()),
        jobs=jobs,
        unfinished=unfinished,
        warnings=warnings,
    )


def _mailboxes(session: Session, t: Labels) -> tuple[list[Box], list[str]]:
    """Each mailbox folder the poller reads, and the warnings about them."""
    boxes: list[Box] = []
    warnings: list[str] = []
    for state in search.mailbox_states(session):
        ingested = search.ingested_count(session, state.account, state.folder, state.uidvalidity)
        fetched = f"{state.last_fetch_at:%Y-%m-%d %H:%M:%S} UTC" if state.last_fetch_at else "-"
        boxes.append(
            Box(
                f"{state.account}/{state.folder}",
                fetched,
                state.server_count,
                ingested,
                state.last_error,
            )
        )
        warnings += _mailbox_warnings(
            t, state.last_fetch_at, state.server_count, ingested, state.last_error
        )
    return boxes, warnings


def _queue_warnings(t: Labels, by_status: dict[str, int], jobs: int) -> list[str]:
    """Replies waiting to leave or refused, and jobs that ran out of retries."""
    found = []
    waiting = by_status.get(outbox.PENDING, 0) + by_status.get(outbox.SENDING, 0)
    if waiting:
        found.append(t.fmt("warn_outbox", count=waiting))
    stuck = by_status.get(outbox.FAILED, 0) + by_status.get(outbox.HELD, 0)
    if stuck:
        found.append(t.fmt("warn_outbox_failed", count=stuck))
    if jobs:
        found.append(t.fmt("warn_jobs", count=jobs))
    return found


def _mailbox_warnings(t: Labels, last_fetch, on_server: int, ingested: int, error) -> list[str]:
    found = []
    if last_fetch is None:
        found.append(t.warn_no_fetch)
    elif utcnow() - last_fetch > STALE_FETCH:
        minutes = int((utcnow() - last_fetch).total_seconds() // 60)
        found.append(t.fmt("warn_stale_fetch", minutes=minutes))
    if on_server > ingested:
        found.append(t.fmt("warn_not_ingested", count=on_server - ingested))
    if error:
        found.append(t.fmt("warn_mailbox_error", error=error))
    return found
