"""Clerks who work the queue: accounts with argon2 password hashes, web sessions, sign-ins.

Sessions live in the database (only a hash of the cookie's token is stored), so signing out
ends a session at once and any number of `mailroom web` processes share them. Every sign-in
attempt is kept for a while, so failures can be limited per account and per address.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import ForeignKey, String, Text, delete, func, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from mailroom.errors import UsageError
from store.base import Base, Timestamped, utcnow

MIN_PASSWORD = 10
NAME_CHARS = set("abcdefghijklmnopqrstuvwxyz0123456789._-")
_hasher = PasswordHasher()
# Verified against when the name is unknown, so a wrong name costs as long as a wrong password.
_DUMMY_HASH = _hasher.hash(secrets.token_hex(16))


class Clerk(Timestamped, Base):
    __tablename__ = "clerks"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(64), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    language: Mapped[str] = mapped_column(String(8), default="en")
    active: Mapped[bool] = mapped_column(default=True)


class WebSession(Base):
    """A signed-in browser: the SHA-256 of its cookie token, its clerk and when it ends."""

    __tablename__ = "web_sessions"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    clerk_id: Mapped[int] = mapped_column(ForeignKey("clerks.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    # One message for the next page shown (the result of the last action).
    flash: Mapped[str | None] = mapped_column(Text)


class SignInAttempt(Base):
    __tablename__ = "sign_in_attempts"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(64), index=True)
    address: Mapped[str] = mapped_column(String(64), index=True)
    ok: Mapped[bool]
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)


def check_name(name: str) -> str:
    """The account name, lower-cased.

    Raises:
        UsageError: the name is empty, too long, or has characters other than a-z 0-9 . _ -.
    """
    name = name.strip().lower()
    if not name or len(name) > 64 or not set(name) <= NAME_CHARS:
        raise UsageError(
            f"a clerk's name is 1-64 characters of a-z, 0-9, '.', '_' or '-' (got {name!r})"
        )
    return name


def add_clerk(session: Session, name: str, password: str, language: str = "en") -> Clerk:
    """Create a clerk account, or set a new password if `name` exists.

    Raises:
        UsageError: the name is not usable or the password is shorter than MIN_PASSWORD.
    """
    name = check_name(name)
    if len(password) < MIN_PASSWORD:
        raise UsageError(f"a password needs at least {MIN_PASSWORD} characters")
    clerk = session.scalar(select(Clerk).where(Clerk.name == name))
    if clerk is None:
        clerk = Clerk(name=name, password_hash=_hasher.hash(password), language=language)
        session.add(clerk)
    else:
        clerk.password_hash, clerk.active = _hasher.hash(password), True
        clerk.language = language
        session.execute(delete(WebSession).where(WebSession.clerk_id == clerk.id))
    session.flush()
    return clerk


def verify(session: Session, name: str, password: str) -> Clerk | None:
    """The active clerk `name` if `password` is theirs, else None (in about the same time)."""
    clerk = session.scalar(select(Clerk).where(Clerk.name == name.strip().lower()))
    stored = clerk.password_hash if clerk is not None and clerk.active else _DUMMY_HASH
    try:
        _hasher.verify(stored, password)
    except (VerificationError, InvalidHashError):
        return None
    if clerk is None or not clerk.active:
        return None
    if _hasher.check_needs_rehash(clerk.password_hash):
        clerk.password_hash = _hasher.hash(password)
    return clerk


def record_attempt(session: Session, name: str, address: str, ok: bool) -> None:
    session.add(SignInAttempt(name=name.strip().lower()[:64], address=address[:64], ok=ok))


def failures_since(session: Session, since: datetime, *, name: str = "", address: str = "") -> int:
    """How many sign-ins failed since `since` for account `name` or from `address`."""
    column = SignInAttempt.name if name else SignInAttempt.address
    value = name.strip().lower() if name else address
    query = select(func.count()).where(
        column == value, SignInAttempt.at >= since, SignInAttempt.ok.is_(False)
    )
    return session.scalar(query) or 0


def forget_attempts(session: Session, before: datetime) -> None:
    session.execute(delete(SignInAttempt).where(SignInAttempt.at < before))


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def open_session(session: Session, clerk: Clerk, lifetime: timedelta) -> str:
    """Start a web session for `clerk`; returns the token for the cookie (stored only hashed)."""
    token = secrets.token_urlsafe(32)
    now = utcnow()
    session.add(
        WebSession(
            id=_digest(token), clerk_id=clerk.id, last_seen_at=now, expires_at=now + lifetime
        )
    )
    session.execute(delete(WebSession).where(WebSession.expires_at < now))
    return token


def find_session(session: Session, token: str, idle: timedelta) -> tuple[Clerk, WebSession] | None:
    """The clerk and session of a cookie token, if neither expired nor idle too long."""
    row = session.get(WebSession, _digest(token))
    now = utcnow()
    if row is None or row.expires_at <= now or row.last_seen_at + idle <= now:
        return None
    clerk = session.get(Clerk, row.clerk_id)
    if clerk is None or not clerk.active:
        return None
    if now - row.last_seen_at > timedelta(seconds=30):  # not a write on every page view
        row.last_seen_at = now
    return clerk, row


def set_flash(session: Session, token: str, text: str) -> None:
    """Keep `text` to show on the session's next page."""
    row = session.get(WebSession, _digest(token))
    if row is not None:
        row.flash = text[:2000]


def close_session(session: Session, token: str) -> None:
    session.execute(delete(WebSession).where(WebSession.id == _digest(token)))


def all_clerks(session: Session) -> list[Clerk]:
    return list(session.scalars(select(Clerk).order_by(Clerk.name)))
