"""Parsers: from a mail's raw bytes to a ParseResult (what the service understood of it).

`parse_mail` is the one entry point: `mailroom parse` and the `mail.received` actor both call
it, so what the command line shows is exactly what the service acts on.
"""

from __future__ import annotations

from mailroom.parsers.decode import decode
from mailroom.parsers.result import ParseResult

__all__ = ["ParseResult", "parse_mail"]


def parse_mail(raw: bytes, catalog: object = None, *, file: str | None = None) -> ParseResult:
    """Read one mail. Never raises for bad input: an unreadable mail is an `unreadable` result."""
    decoded = decode(raw)
    result = ParseResult(
        file=file,
        message_id=decoded.message_id,
        sender=decoded.sender,
        subject=decoded.subject,
        reply_to=decoded.reply_to,
        references=decoded.references,
        text=decoded.text,
    )
    if decoded.error:
        result.intent, result.error = "unreadable", decoded.error
        return result
    result.language = decoded.language
    result.intent = decoded.automatic or "other"
    result.confidence = 0.5
    return result
