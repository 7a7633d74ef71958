"""Telling machines from people by headers: auto-replies, bounces and mailing lists.

RFC 3834 says an automatic responder must not answer these; this module is the one place
that reads the headers which say so.
"""

from __future__ import annotations

import email.errors
import re
from email.header import decode_header, make_header
from email.message import Message

from mailroom.parsers.scripts import compile_either

_NOREPLY = compile_either(
    r"^(no-?reply|do-?not-?reply|donotreply|mailer-daemon|postmaster|bounces?|notifications?)"
    r"([+.-].*)?@",
    re.IGNORECASE,
)
_AUTO_SUBJECT = compile_either(
    r"^\s*(auto(matic)?[ -]?(reply|response)|out of (the )?office|autoreply"
    r"|自动回复|休假|不在办公室)",
    re.IGNORECASE,
)
_BOUNCE_SUBJECT = compile_either(
    r"(undeliver|delivery (status|failure)|returned mail|mail delivery failed|failure notice|"
    r"delivery has failed|退信|投递失败)",
    re.IGNORECASE,
)


def classify_automatic(headers: Message) -> str | None:
    """`bounce`, `auto_reply` or `list` when the headers say a machine or a list sent it."""
    content_type = str(headers.get("Content-Type", "")).lower()
    sender = _text(headers, "From").lower()
    subject = _text(headers, "Subject")
    if "multipart/report" in content_type and "delivery-status" in content_type:
        return "bounce"
    if not str(headers.get("Return-Path", "x")).strip("<> \t") and "Return-Path" in headers:
        return "bounce"
    if "mailer-daemon@" in sender or "postmaster@" in sender:
        return "bounce"
    if _BOUNCE_SUBJECT.search(subject) and not headers.get("In-Reply-To"):
        return "bounce"
    auto = str(headers.get("Auto-Submitted", "no")).strip().lower()
    if auto and not auto.startswith("no"):
        return "auto_reply"
    if headers.get("X-Autoreply") or headers.get("X-Autorespond"):
        return "auto_reply"
    if _AUTO_SUBJECT.search(subject):
        return "auto_reply"
    if str(headers.get("Precedence", "")).strip().lower() in ("bulk", "junk", "list"):
        return "list"
    if headers.get("List-Id") or headers.get("List-Unsubscribe"):
        return "list"
    return None


def is_noreply(addr: str | None) -> bool:
    """True for addresses that no person reads (noreply, mailer-daemon, notifications)."""
    return bool(addr and _NOREPLY.match(addr))


def _text(headers: Message, name: str) -> str:
    """A header with its RFC 2047 words decoded (compat32 leaves them encoded)."""
    value = headers.get(name)
    if value is None:
        return ""
    try:
        return str(make_header(decode_header(str(value))))
    except (LookupError, UnicodeError, ValueError, email.errors.HeaderParseError):
        return str(value)
