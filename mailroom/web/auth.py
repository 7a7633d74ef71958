"""Signing clerks in and out, with failed attempts limited per account and per address.

A sign-in is refused without checking the password once an account, or an address, has
had too many failures within the window (settings `web_signin_*`), so guessing is slow
whichever of the two an attacker varies.
"""

from __future__ import annotations

import logging
import os
import secrets
from datetime import timedelta
from pathlib import Path

from starlette.responses import RedirectResponse, Response

from mailroom.settings import Settings
from mailroom.web.context import (
    LANGUAGE_COOKIE,
    SESSION_COOKIE,
    Ctx,
    is_local,
    set_session_cookie,
)
from mailroom.web.i18n import LANGUAGES
from store import clerks as accounts
from store.base import utcnow

log = logging.getLogger(__name__)
SECRET_FILE = "web-secret"


def load_secret(settings: Settings) -> bytes:
    """The key of the CSRF tokens: `web_secret`, else one made once and kept in the home."""
    if settings.web_secret:
        return settings.web_secret.encode()
    path = Path(settings.home) / SECRET_FILE
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        # Created readable by the owner only; a racing second process keeps the first's key.
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass
        else:
            with os.fdopen(fd, "w") as out:
                out.write(secrets.token_hex(32))
    return path.read_text().strip().encode()


def signin_page(ctx: Ctx) -> Response:
    """GET /signin: the form."""
    return ctx.page("signin.html.j2", error=None, name="", next=_next(ctx))


def signin(ctx: Ctx) -> Response:
    """POST /signin: check the limits, then the password; start a session."""
    name = ctx.field("name").strip().lower()[:64]
    password = ctx.field("password")
    address = ctx.request.client.host if ctx.request.client else "unknown"
    settings = ctx.runtime.settings
    since = utcnow() - timedelta(minutes=settings.web_signin_window_minutes)
    with ctx.runtime.work() as work:
        session = work.session
        limited = (
            accounts.failures_since(session, since, name=name)
            >= settings.web_signin_failures_per_account
            or accounts.failures_since(session, since, address=address)
            >= settings.web_signin_failures_per_address
        )
        clerk = None if limited or not name else accounts.verify(session, name, password)
        accounts.record_attempt(session, name, address, ok=clerk is not None)
        token = None
        if clerk is not None:
            lifetime = timedelta(hours=settings.web_session_hours)
            token = accounts.open_session(session, clerk, lifetime)
            accounts.forget_attempts(session, utcnow() - timedelta(days=7))
    if token is None:
        log.warning("failed sign-in for %r from %s%s", name, address, " (limited)" * limited)
        error = ctx.t.signin_limited if limited else ctx.t.signin_failed
        status = 429 if limited else 401
        return ctx.page("signin.html.j2", status=status, error=error, name=name, next=_next(ctx))
    response = RedirectResponse(_next(ctx) or "/queue", status_code=303)
    set_session_cookie(ctx, response, token)
    return response


def signout(ctx: Ctx) -> Response:
    """POST /signout: end the session here and in the store."""
    with ctx.runtime.work() as work:
        accounts.close_session(work.session, ctx.session_token)
    response = RedirectResponse("/signin", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


def language(ctx: Ctx) -> Response:
    """POST /language: switch the interface language (kept in a cookie for a year)."""
    chosen = ctx.field("language")
    back = ctx.field("back")
    response = RedirectResponse(back if is_local(back) else "/queue", status_code=303)
    if chosen in LANGUAGES:
        response.set_cookie(
            LANGUAGE_COOKIE, chosen, max_age=365 * 86400, samesite="lax", httponly=True, path="/"
        )
    return response


def _next(ctx: Ctx) -> str:
    target = ctx.field("next") or ctx.arg("next")
    return target if is_local(target) and not target.startswith("/signin") else ""
