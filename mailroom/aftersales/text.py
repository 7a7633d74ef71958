"""The new text of a stored mail: what the customer wrote this time, quotes and signature cut."""

from __future__ import annotations

from mailroom.parsers.decode import decode
from mailroom.parsers.normalise import normalise
from mailroom.parsers.quotes import split_quoted

MAX_TEXT = 20_000


def new_text(raw: bytes, subject: str | None) -> str:
    """The new text of the mail `raw` (empty when it cannot be decoded)."""
    decoded = decode(raw)
    return split_quoted(normalise(decoded.text[:MAX_TEXT]), subject).new.strip()
