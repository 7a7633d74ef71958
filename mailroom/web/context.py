"""How every request is handled: who is signed in, the CSRF check, the language, the page.

Handlers are plain functions of a `Ctx`, run in a worker thread (the store is synchronous).
`protected()` wraps one so that it never runs for a visitor who is not signed in, and never
for a POST without its CSRF token; `public()` is for the sign-in page alone.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any
from urllib.parse import quote

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response

from mailroom.errors import MailroomError, NotFound
from mailroom.runtime import Runtime
from mailroom.web import csrf
from mailroom.web.i18n import Labels, choose, labels
from store import clerks as accounts

log = logging.getLogger(__name__)
SESSION_COOKIE = "mailroom_session"
LANGUAGE_COOKIE = "mailroom_lang"
Handler = Callable[["Ctx"], Response]
Endpoint = Callable[[Request], Awaitable[Response]]

templates = Environment(
    loader=PackageLoader("mailroom.web", "templates"),
    autoescape=select_autoescape(default=True, default_for_string=True),
    undefined=StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)


@dataclass
class WebState:
    """What every request needs: the runtime, the secret, and the optional areas present."""

    runtime: Runtime
    secret: bytes
    areas: dict[str, bool] = field(default_factory=dict)

    @property
    def secure(self) -> bool:
        return self.runtime.settings.web_secure_cookies


@dataclass
class Ctx:
    """One request as a handler sees it."""

    request: Request
    state: WebState
    lang: str
    t: Labels
    csrf_token: str
    clerk: str = ""
    session_token: str = ""
    form: FormData | None = None
    flash: str | None = None

    @property
    def runtime(self) -> Runtime:
        return self.state.runtime

    def arg(self, name: str, default: str = "") -> str:
        """A query parameter, trimmed."""
        return self.request.query_params.get(name, default).strip()

    def field(self, name: str, default: str = "") -> str:
        """A form field as text ("" when absent or a file)."""
        value = self.form.get(name) if self.form is not None else None
        return value if isinstance(value, str) else default

    def page(self, template: str, status: int = 200, **data: Any) -> HTMLResponse:
        """Render `template` with the common values (labels, clerk, CSRF token, message)."""
        html = templates.get_template(template).render(
            t=self.t,
            lang=self.lang,
            clerk=self.clerk,
            csrf=self.csrf_token,
            flash=self.flash,
            path=self.request.url.path,
            areas=self.state.areas,
            **data,
        )
        return HTMLResponse(html, status_code=status)

    def redirect(self, url: str, flash: str | None = None) -> RedirectResponse:
        """See Other to `url`, with a message for the next page shown."""
        if flash and self.session_token:
            with self.runtime.work() as work:
                accounts.set_flash(work.session, self.session_token, flash)
        return RedirectResponse(url, status_code=303)


def protected(handler: Handler, *, page: bool = True) -> Endpoint:
    """An endpoint that runs `handler` only for a signed-in clerk (and a valid CSRF token).

    Args:
        page: the handler shows a page (it takes the pending message); False for frames
            and downloads.
    """

    async def endpoint(request: Request) -> Response:
        form = await request.form() if request.method == "POST" else None
        return await run_in_threadpool(_guarded, handler, request, form, page)

    endpoint.__name__ = handler.__name__
    return endpoint


def public(handler: Handler) -> Endpoint:
    """An endpoint for visitors not signed in (the sign-in page); POSTs still need CSRF."""

    async def endpoint(request: Request) -> Response:
        form = await request.form() if request.method == "POST" else None
        return await run_in_threadpool(_open, handler, request, form)

    endpoint.__name__ = handler.__name__
    return endpoint


def _base_ctx(request: Request, form: FormData | None) -> tuple[Ctx, str | None]:
    state: WebState = request.app.state.web
    cookie = request.cookies.get(csrf.COOKIE)
    fresh = None if cookie else csrf.new_cookie()
    language = choose(
        request.cookies.get(LANGUAGE_COOKIE), None, request.headers.get("accept-language", "")
    )
    ctx = Ctx(
        request=request,
        state=state,
        lang=language,
        t=labels(language),
        csrf_token=csrf.token_for(state.secret, cookie or fresh or ""),
        form=form,
    )
    return ctx, fresh


def _csrf_ok(ctx: Ctx) -> bool:
    if ctx.request.method != "POST":
        return True
    return csrf.valid(ctx.state.secret, ctx.request.cookies.get(csrf.COOKIE), ctx.field(csrf.FIELD))


def _open(handler: Handler, request: Request, form: FormData | None) -> Response:
    ctx, fresh = _base_ctx(request, form)
    response = _refused(ctx) if not _csrf_ok(ctx) else handler(ctx)
    return _finish(ctx, response, fresh)


def _guarded(handler: Handler, request: Request, form: FormData | None, page: bool) -> Response:
    ctx, fresh = _base_ctx(request, form)
    if not _signed_in(ctx, take_flash=page):
        response = _to_signin(ctx)
    elif not _csrf_ok(ctx):
        response = _refused(ctx)
    else:
        response = _run(handler, ctx)
    return _finish(ctx, response, fresh)


def _signed_in(ctx: Ctx, *, take_flash: bool) -> bool:
    token = ctx.request.cookies.get(SESSION_COOKIE)
    if not token:
        return False
    settings = ctx.runtime.settings
    with ctx.runtime.work() as work:
        found = accounts.find_session(
            work.session, token, timedelta(minutes=settings.web_idle_minutes)
        )
        if found is None:
            return False
        clerk, row = found
        ctx.clerk, ctx.session_token = clerk.name, token
        if take_flash and row.flash:
            ctx.flash, row.flash = row.flash, None
        if LANGUAGE_COOKIE not in ctx.request.cookies and clerk.language != ctx.lang:
            ctx.lang, ctx.t = clerk.language, labels(clerk.language)
    return True


def _run(handler: Handler, ctx: Ctx) -> Response:
    try:
        return handler(ctx)
    except NotFound as exc:
        return ctx.page("message.html.j2", status=404, title=ctx.t.not_found, message=str(exc))
    except MailroomError as exc:
        if ctx.request.method != "POST":
            raise
        # A decision that cannot be made (claimed by another, already decided, bad value):
        # back to the page it came from, saying why; nothing was changed.
        return ctx.redirect(_same_page(ctx), flash=str(exc))


def _same_page(ctx: Ctx) -> str:
    back = ctx.field("back")
    return back if _local(back) else ctx.request.url.path


def _local(url: str) -> bool:
    return url.startswith("/") and not url.startswith("//") and "\\" not in url


def _to_signin(ctx: Ctx) -> Response:
    if ctx.request.method != "GET":
        return ctx.page(
            "message.html.j2", status=403, title=ctx.t.sign_in, message=ctx.t.signin_expired
        )
    target = ctx.request.url.path
    if ctx.request.url.query:
        target += "?" + ctx.request.url.query
    return RedirectResponse(f"/signin?next={quote(target, safe='')}", status_code=303)


def _refused(ctx: Ctx) -> Response:
    log.warning("refused a POST to %s without a valid CSRF token", ctx.request.url.path)
    return ctx.page("message.html.j2", status=403, title="403", message=ctx.t.csrf_refused)


def _finish(ctx: Ctx, response: Response, fresh_cookie: str | None) -> Response:
    if fresh_cookie:
        response.set_cookie(
            csrf.COOKIE,
            fresh_cookie,
            httponly=True,
            samesite="strict",
            secure=ctx.state.secure,
            path="/",
        )
    return response


def set_session_cookie(ctx: Ctx, response: Response, token: str) -> None:
    lifetime = timedelta(hours=ctx.runtime.settings.web_session_hours)
    response.set_cookie(
        SESSION_COOKIE,
        token,
        max_age=int(lifetime.total_seconds()),
        httponly=True,
        samesite="lax",
        secure=ctx.state.secure,
        path="/",
    )


def static_root() -> Path:
    return Path(__file__).parent / "static"


def is_local(url: str) -> bool:
    """True for a path on this site (a safe place to send the browser back to)."""
    return _local(url)
