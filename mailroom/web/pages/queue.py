"""The queue page: open items with filters, counts per reason and how long each has waited."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import timedelta

from starlette.responses import Response

from mailroom.web.context import Ctx
from mailroom.web.i18n import Labels
from store import clerks as accounts
from store import holds
from store.base import utcnow
from store.holds import HeldItem
from store.mail import Mail

AGES = {"1h": timedelta(hours=1), "4h": timedelta(hours=4), "1d": timedelta(days=1)}
AGES["3d"] = timedelta(days=3)
SHOWN = 300


@dataclass
class Filters:
    reason: str = ""
    customer: str = ""
    age: str = ""
    assignee: str = ""
    newest: bool = False

    def keep(self, item: HeldItem, clerk: str) -> bool:
        """True when `item` passes every filter that is set."""
        if self.reason and self.reason not in {r.get("rule") for r in item.reasons}:
            return False
        if self.customer and self.customer.lower() not in (item.customer_id or "").lower():
            return False
        if self.age in AGES and utcnow() - item.created_at < AGES[self.age]:
            return False
        wanted = {"none": None, "me": clerk}.get(self.assignee, self.assignee)
        return not self.assignee or item.assignee == wanted


@dataclass
class Row:
    item: HeldItem
    mail: Mail | None
    waited: str


def waited(t: Labels, seconds: float) -> str:
    """A waiting time in the largest unit that fits: 5 min, 3 h, 2 d."""
    minutes = int(seconds // 60)
    if minutes < 60:
        return t.fmt("minutes_short", n=minutes)
    if minutes < 24 * 60:
        return t.fmt("hours_short", n=minutes // 60)
    return t.fmt("days_short", n=minutes // (24 * 60))


def queue_page(ctx: Ctx) -> Response:
    """GET /queue."""
    filters = Filters(
        reason=ctx.arg("reason"),
        customer=ctx.arg("customer"),
        age=ctx.arg("age"),
        assignee=ctx.arg("assignee"),
        newest=ctx.arg("order") == "newest",
    )
    now = utcnow()
    with ctx.runtime.read() as session:
        items = holds.open_items(session)
        counts = Counter(rule for i in items for rule in {r.get("rule", "?") for r in i.reasons})
        chosen = [item for item in items if filters.keep(item, ctx.clerk)]
        if filters.newest:
            chosen.reverse()
        rows = [
            Row(
                item,
                session.get(Mail, item.mail_id) if item.mail_id else None,
                waited(ctx.t, (now - item.created_at).total_seconds()),
            )
            for item in chosen[:SHOWN]
        ]
        clerks = [c.name for c in accounts.all_clerks(session)]
    return ctx.page(
        "queue.html.j2",
        rows=rows,
        total=len(items),
        matching=len(chosen),
        counts=sorted(counts.items(), key=lambda pair: (-pair[1], pair[0])),
        filters=filters,
        clerks=clerks,
        ages=list(AGES),
        back=str(ctx.request.url.path)
        + (f"?{ctx.request.url.query}" if ctx.request.url.query else ""),
    )
