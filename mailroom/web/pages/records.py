"""Mail and customers: searchable lists, detail pages, the mail frame and attachment files.

The mail frame and the files are served with headers that keep them inert: the HTML frame
may run nothing and load nothing remote (unless the clerk asked for images), and every
attachment except a real PDF is a download that the browser may not sniff into a page.
"""

from __future__ import annotations

import re

from starlette.responses import HTMLResponse, Response

from mailroom.errors import NotFound
from mailroom.web.context import Ctx
from mailroom.web.mailview import is_pdf, view
from store import documents, search
from store import tickets as tickets_store
from store.catalog import Customer
from store.mail import Mail

PAGE = 50
FRAME_CSP = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src data:{images}; font-src data:; "
    "base-uri 'none'; form-action 'none'; frame-ancestors 'self'; sandbox"
)
FRAME_PAGE = (
    '<!doctype html><html><head><meta charset="utf-8">'
    '<meta name="referrer" content="no-referrer"><base target="_blank">'
    "<style>body{{font:14px/1.45 system-ui,sans-serif;margin:12px;color:#222;"
    "overflow-wrap:anywhere}}img{{max-width:100%;height:auto}}table{{max-width:100%}}</style>"
    "</head><body>{body}</body></html>"
)


def _mail(ctx: Ctx) -> Mail:
    mail_id = int(ctx.request.path_params["mail_id"])
    with ctx.runtime.read() as session:
        mail = session.get(Mail, mail_id)
        if mail is None:
            raise NotFound(f"there is no mail {mail_id}")
        _ = mail.raw  # load the deferred bytes while the session is open
        return mail


def mail_list(ctx: Ctx) -> Response:
    """GET /mail?q=...&page=N."""
    text, page = ctx.arg("q"), max(int(ctx.arg("page") or 1), 1) if ctx.arg("page").isdigit() else 1
    with ctx.runtime.read() as session:
        found = search.mails(session, text, limit=PAGE + 1, offset=(page - 1) * PAGE)
    return ctx.page(
        "mail_list.html.j2", mails=found[:PAGE], q=text, page=page, more=len(found) > PAGE
    )


def mail_detail(ctx: Ctx) -> Response:
    """GET /mail/{id}: the mail, what was extracted, its replies and held items."""
    mail = _mail(ctx)
    with ctx.runtime.read() as session:
        items = search.items_of_mail(session, mail.id)
        replies = search.replies_to(session, [mail.id])
    shown = view(mail.raw)
    attachments = [
        {
            "n": n,
            "name": a.filename,
            "type": a.content_type,
            "size": len(a.payload),
            "pdf": is_pdf(a),
        }
        for n, a in enumerate(shown.attachments)
    ]
    return ctx.page(
        "mail_detail.html.j2",
        mail=mail,
        shown=shown,
        parsed=mail.parsed or {},
        items=items,
        replies=replies,
        attachments=attachments,
        images=ctx.arg("images") == "1",
        viewing=ctx.arg("view"),
    )


def mail_frame(ctx: Ctx) -> Response:
    """GET /mail/{id}/html: the sanitised HTML, for the sandboxed frame only."""
    shown = view(_mail(ctx).raw)
    images = " https: http:" if ctx.arg("images") == "1" else ""
    response = HTMLResponse(FRAME_PAGE.format(body=shown.html or ""))
    response.headers["Content-Security-Policy"] = FRAME_CSP.format(images=images)
    response.headers["X-Frame-Options"] = "SAMEORIGIN"
    return response


def mail_part(ctx: Ctx) -> Response:
    """GET /mail/{id}/parts/{n}: an attachment; `?inline=1` shows a real PDF in the page."""
    mail = _mail(ctx)
    number = int(ctx.request.path_params["n"])
    attachments = view(mail.raw).attachments
    if not 0 <= number < len(attachments):
        raise NotFound(f"mail {mail.id} has no attachment {number}")
    part = attachments[number]
    inline = ctx.arg("inline") == "1" and is_pdf(part)
    mime = "application/pdf" if inline else "application/octet-stream"
    response = Response(part.payload, media_type=mime)
    response.headers["Content-Disposition"] = disposition(
        "inline" if inline else "attachment", part.filename
    )
    response.headers["X-Frame-Options"] = "SAMEORIGIN"
    # A download is inert; a PDF keeps the browser's own viewer (a sandbox would block it).
    policy = "frame-ancestors 'self'" if inline else "default-src 'none'; sandbox"
    response.headers["Content-Security-Policy"] = policy
    return response


def mail_raw(ctx: Ctx) -> Response:
    """GET /mail/{id}/raw: the original message as an .eml download."""
    mail = _mail(ctx)
    response = Response(mail.raw, media_type="application/octet-stream")
    response.headers["Content-Disposition"] = disposition("attachment", f"{mail.reference}.eml")
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


def customer_list(ctx: Ctx) -> Response:
    """GET /customers?q=..."""
    text = ctx.arg("q")
    with ctx.runtime.read() as session:
        found = search.customers(session, text)
    return ctx.page("customers.html.j2", customers=found, q=text)


def customer_detail(ctx: Ctx) -> Response:
    """GET /customers/{id}: the record, its mails and held items (and orders, when kept)."""
    customer_id = ctx.request.path_params["customer_id"]
    with ctx.runtime.read() as session:
        customer = session.get(Customer, customer_id)
        if customer is None:
            raise NotFound(f"there is no customer {customer_id}")
        mails = search.mails_of_customer(session, customer_id)
        items = search.items_of_customer(session, customer_id)
        orders = _orders_of(session, customer_id) if ctx.state.areas.get("orders") else []
        filed = documents.listed(session, customer_id=customer_id)
        tickets = tickets_store.for_customer(session, customer_id)
    return ctx.page(
        "customer.html.j2",
        customer=customer,
        mails=mails,
        items=items,
        orders=orders,
        documents=filed,
        tickets=tickets,
    )


def _orders_of(session: object, customer_id: str) -> list[object]:
    from store import orders

    return list(orders.for_customer(session, customer_id, limit=50))  # type: ignore[arg-type]


def disposition(kind: str, filename: str) -> str:
    """A Content-Disposition with an ASCII fallback name and the real one (RFC 6266)."""
    from urllib.parse import quote

    ascii_name = re.sub(r"[^A-Za-z0-9._-]+", "_", filename).strip("_") or "attachment"
    return f"{kind}; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename, safe='')}"
