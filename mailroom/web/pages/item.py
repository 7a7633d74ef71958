"""An item of the queue: the mail beside what was extracted, and the clerk's decisions.

Every decision goes through `mailroom.queue` (the same operations as `mailroom queue`), which
records who did what and when, and refuses to act on an item another clerk has claimed.
"""

from __future__ import annotations

import secrets
from typing import Any

from starlette.responses import Response

from mailroom import queue as clerks_queue
from mailroom.corrections import FIELDS, LINE_FIELDS, changes
from mailroom.errors import NotFound
from mailroom.parsers.result import INTENTS
from mailroom.replies.clerk import prefill
from mailroom.web.context import Ctx
from mailroom.web.mailview import MailView, is_pdf, view
from mailroom.web.pages.queue import waited
from store import holds
from store.base import utcnow
from store.holds import OPEN, HeldItem
from store.mail import Mail

BLANK_LINES = 2


def _item_id(ctx: Ctx) -> int:
    return int(ctx.request.path_params["item_id"])


def item_page(ctx: Ctx) -> Response:
    """GET /items/{id}: everything a clerk needs to decide."""
    item_id = _item_id(ctx)
    with ctx.runtime.read() as session:
        item = session.get(HeldItem, item_id)
        if item is None:
            raise NotFound(f"there is no held item {item_id}")
        mail = session.get(Mail, item.mail_id) if item.mail_id else None
        events = holds.history(session, item.id)
        shown = view(mail.raw) if mail is not None else None
        draft = prefill(ctx.runtime, session, mail, ctx.clerk) if mail is not None else None
    parsed: dict[str, Any] = (mail.parsed or {}) if mail is not None else {}
    return ctx.page(
        "item.html.j2",
        item=item,
        mail=mail,
        shown=shown,
        parsed=parsed,
        fields=[(name, _text(parsed.get(name))) for name in FIELDS],
        intents=INTENTS,
        lines=_form_lines(parsed),
        attachments=_attachments(shown),
        viewing=ctx.arg("view"),
        images=ctx.arg("images") == "1",
        events=events,
        draft=draft,
        reply_token=secrets.token_urlsafe(16),
        is_open=item.status == OPEN,
        mine=item.assignee == ctx.clerk,
        waited=waited(ctx.t, (utcnow() - item.created_at).total_seconds()),
        here=f"/items/{item.id}",
    )


def _form_lines(parsed: dict[str, Any]) -> list[dict[str, str]]:
    """The parsed lines as the form shows them, and a few blank ones for lines to add."""
    lines = [{k: _text(line.get(k)) for k in LINE_FIELDS} for line in parsed.get("lines") or []]
    return lines + [dict.fromkeys(LINE_FIELDS, "") for _ in range(BLANK_LINES)]


def _attachments(shown: MailView | None) -> list[dict[str, Any]]:
    """The mail's attachments as the page lists them, numbered for their download links."""
    return [
        {
            "n": n,
            "name": a.filename,
            "type": a.content_type,
            "size": len(a.payload),
            "pdf": is_pdf(a),
        }
        for n, a in enumerate(shown.attachments if shown else [])
    ]


def claim(ctx: Ctx) -> Response:
    """POST /items/{id}/claim (with `take_over` to take it from another clerk)."""
    item = clerks_queue.claim(
        ctx.runtime, _item_id(ctx), ctx.clerk, take_over=bool(ctx.field("take_over"))
    )
    return ctx.redirect(f"/items/{item.id}", ctx.t.fmt("done_claimed", id=item.id))


def release(ctx: Ctx) -> Response:
    item = clerks_queue.release(ctx.runtime, _item_id(ctx), ctx.clerk)
    return ctx.redirect("/queue", ctx.t.fmt("done_released", id=item.id))


def accept(ctx: Ctx) -> Response:
    """POST /items/{id}/accept: the form's fields and lines, compared with what was parsed."""
    item_id = _item_id(ctx)
    corrections = changes(_parsed_of(ctx, item_id), *_typed(ctx)) if ctx.field("has_fields") else {}
    item = clerks_queue.accept(ctx.runtime, item_id, ctx.clerk, corrections, ctx.field("note"))
    return ctx.redirect("/queue", ctx.t.fmt("done_accepted", id=item.id))


def reply(ctx: Ctx) -> Response:
    item_id = _item_id(ctx)
    clerks_queue.reply(
        ctx.runtime,
        item_id,
        ctx.clerk,
        ctx.field("subject"),
        ctx.field("text"),
        ctx.field("token") or secrets.token_urlsafe(16),
    )
    return ctx.redirect(f"/items/{item_id}", ctx.t.fmt("done_replied", id=item_id))


def reject(ctx: Ctx) -> Response:
    item = clerks_queue.reject(ctx.runtime, _item_id(ctx), ctx.clerk, ctx.field("reason"))
    return ctx.redirect("/queue", ctx.t.fmt("done_rejected", id=item.id))


def discard(ctx: Ctx) -> Response:
    item = clerks_queue.discard(ctx.runtime, _item_id(ctx), ctx.clerk, ctx.field("reason"))
    return ctx.redirect("/queue", ctx.t.fmt("done_discarded", id=item.id))


def defer(ctx: Ctx) -> Response:
    item = clerks_queue.defer(ctx.runtime, _item_id(ctx), ctx.clerk, ctx.field("note"))
    return ctx.redirect("/queue", ctx.t.fmt("done_deferred", id=item.id))


def _parsed_of(ctx: Ctx, item_id: int) -> dict[str, Any]:
    with ctx.runtime.read() as session:
        item = session.get(HeldItem, item_id)
        if item is None:
            raise NotFound(f"there is no held item {item_id}")
        mail = session.get(Mail, item.mail_id) if item.mail_id else None
        return dict(mail.parsed or {}) if mail is not None else {}


def _typed(ctx: Ctx) -> tuple[dict[str, str], list[dict[str, str]]]:
    """The fields and lines as the clerk left them in the form."""
    fields = {name: ctx.field(name) for name in FIELDS if ctx.form and name in ctx.form}
    try:
        count = min(int(ctx.field("line_count") or 0), 500)
    except ValueError:
        count = 0
    lines = [{k: ctx.field(f"line-{n}-{k}") for k in LINE_FIELDS} for n in range(count)]
    return fields, lines


def _text(value: object) -> str:
    return "" if value is None else str(value)
