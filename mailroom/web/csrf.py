"""Cross-site request forgery tokens: every form carries one, every POST without it is refused.

The browser holds a random value in an HttpOnly cookie; a form's token is the HMAC of that
value under the server's secret. A page on another site can make the browser send the
cookie, but cannot read it or our pages, so it cannot produce the token. The sign-in form
is covered too (before there is any session).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

COOKIE = "mailroom_csrf"
FIELD = "csrf"


def new_cookie() -> str:
    return secrets.token_urlsafe(24)


def token_for(secret: bytes, cookie: str) -> str:
    """The form token that goes with the browser's cookie value."""
    return hmac.new(secret, cookie.encode(), hashlib.sha256).hexdigest()


def valid(secret: bytes, cookie: str | None, token: str | None) -> bool:
    """True when `token` is the one for `cookie` (compared in constant time)."""
    if not cookie or not token:
        return False
    return hmac.compare_digest(token_for(secret, cookie), token)
