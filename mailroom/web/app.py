"""The web application: every route in one table, and the headers every response carries.

Every route but the sign-in page, the static files and the carriers' push (which carries a
shared secret instead) goes through `protected()`, so no page, frame or file is served to a
visitor who is not signed in. `mailroom web` serves this app
with uvicorn; tests serve it the same way.
"""

from __future__ import annotations

import importlib.util

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.responses import RedirectResponse, Response
from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from mailroom.runtime import Runtime
from mailroom.web import auth
from mailroom.web.context import Ctx, WebState, protected, public, static_root
from mailroom.web.pages import documents, health, hooks, item, orders, records, tickets
from mailroom.web.pages import queue as queue_page

APP_CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "frame-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
)
PUBLIC_PATHS = ("/signin", "/static", "/hooks/carrier")


def home(ctx: Ctx) -> Response:
    return RedirectResponse("/queue", status_code=303)


def routes(areas: dict[str, bool]) -> list[BaseRoute]:
    """The route table (orders only when the store keeps them)."""
    table: list[BaseRoute] = [
        Route("/signin", public(auth.signin_page), methods=["GET"]),
        Route("/signin", public(auth.signin), methods=["POST"]),
        Route("/signout", protected(auth.signout), methods=["POST"]),
        Route("/language", protected(auth.language), methods=["POST"]),
        Route("/", protected(home), methods=["GET"]),
        Route("/queue", protected(queue_page.queue_page), methods=["GET"]),
        Route("/items/{item_id:int}", protected(item.item_page), methods=["GET"]),
        Route("/items/{item_id:int}/claim", protected(item.claim), methods=["POST"]),
        Route("/items/{item_id:int}/release", protected(item.release), methods=["POST"]),
        Route("/items/{item_id:int}/accept", protected(item.accept), methods=["POST"]),
        Route("/items/{item_id:int}/reply", protected(item.reply), methods=["POST"]),
        Route("/items/{item_id:int}/reject", protected(item.reject), methods=["POST"]),
        Route("/items/{item_id:int}/discard", protected(item.discard), methods=["POST"]),
        Route("/items/{item_id:int}/defer", protected(item.defer), methods=["POST"]),
        Route("/mail", protected(records.mail_list), methods=["GET"]),
        Route("/mail/{mail_id:int}", protected(records.mail_detail), methods=["GET"]),
        Route(
            "/mail/{mail_id:int}/html", protected(records.mail_frame, page=False), methods=["GET"]
        ),
        Route(
            "/mail/{mail_id:int}/parts/{n:int}",
            protected(records.mail_part, page=False),
            methods=["GET"],
        ),
        Route("/mail/{mail_id:int}/raw", protected(records.mail_raw, page=False), methods=["GET"]),
        Route("/customers", protected(records.customer_list), methods=["GET"]),
        Route("/customers/{customer_id}", protected(records.customer_detail), methods=["GET"]),
        Route("/tickets", protected(tickets.ticket_list), methods=["GET"]),
        Route("/tickets/{number}", protected(tickets.ticket_detail), methods=["GET"]),
        Route("/tickets/{number}/reply", protected(tickets.reply), methods=["POST"]),
        Route("/tickets/{number}/resolve", protected(tickets.resolve), methods=["POST"]),
        Route("/health", protected(health.health_page), methods=["GET"]),
        Route(
            "/documents/{document_id:int}",
            protected(documents.document_file, page=False),
            methods=["GET"],
        ),
        Mount("/static", app=StaticFiles(directory=static_root()), name="static"),
        # Carriers push tracking here; they prove themselves with the shared secret.
        Route("/hooks/carrier", hooks.carrier_hook, methods=["POST"]),
    ]
    if areas.get("orders"):
        table += [
            Route("/orders", protected(orders.order_list), methods=["GET"]),
            Route("/orders/{number}", protected(orders.order_detail), methods=["GET"]),
            Route("/orders/{number}/shipments", protected(orders.book_parcel), methods=["POST"]),
        ]
    return table


def create_app(runtime: Runtime) -> Starlette:
    """The clerks' web application over an open runtime."""
    areas = {"orders": importlib.util.find_spec("store.orders") is not None}
    app = Starlette(routes=routes(areas), middleware=[Middleware(SecurityHeaders)])
    app.state.web = WebState(
        runtime=runtime, secret=auth.load_secret(runtime.settings), areas=areas
    )
    return app


class SecurityHeaders:
    """Adds the safe defaults to every response that did not set its own."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        static = scope["path"].startswith("/static/")

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = message.setdefault("headers", [])
                present = {name.lower() for name, _ in headers}
                for name, value in _defaults(static):
                    if name not in present:
                        headers.append((name, value))
            await send(message)

        await self.app(scope, receive, with_headers)


def _defaults(static: bool) -> list[tuple[bytes, bytes]]:
    found = [
        (b"content-security-policy", APP_CSP.encode()),
        (b"x-content-type-options", b"nosniff"),
        (b"x-frame-options", b"DENY"),
        (b"referrer-policy", b"no-referrer"),
        (b"cross-origin-opener-policy", b"same-origin"),
    ]
    if not static:
        found.append((b"cache-control", b"no-store"))
    return found
