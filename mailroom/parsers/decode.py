"""Decoding a raw mail into headers and text, with mail-parser's failures made harmless.

mail-parser raises on some malformed structures (FACTS.md); every call is wrapped here, and
a failure becomes a recorded reason instead of an exception.
"""

from __future__ import annotations

import email.policy
import re
from dataclasses import dataclass, field
from email.parser import BytesHeaderParser
from email.utils import getaddresses, parseaddr

import mailparser

from mailroom.parsers.automatic import classify_automatic

_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_LATIN = re.compile(r"[A-Za-z]")


@dataclass
class Decoded:
    message_id: str | None = None
    sender: str | None = None
    subject: str | None = None
    reply_to: str | None = None
    references: list[str] = field(default_factory=list)
    text: str = ""
    language: str = "und"
    automatic: str | None = None
    error: str | None = None


def decode(raw: bytes) -> Decoded:
    """Split a mail into the fields the rest of the parser reads; never raises."""
    headers = BytesHeaderParser(policy=email.policy.compat32).parsebytes(raw)
    result = Decoded(
        message_id=_bare_id(headers.get("Message-ID")),
        sender=address(str(headers.get("From", "") or "")),
        reply_to=address(str(headers.get("Reply-To", "") or "")),
        references=_ids(str(headers.get("References", "") or ""))
        + _ids(str(headers.get("In-Reply-To", "") or "")),
        automatic=classify_automatic(headers),
    )
    try:
        parsed = mailparser.parse_from_bytes(raw)
        result.subject = parsed.subject or None
        result.text = "\n".join(parsed.text_plain) or _strip_tags("\n".join(parsed.text_html))
    except Exception as exc:  # mail-parser raises many types on malformed input
        result.error = f"cannot decode the mail: {type(exc).__name__}: {exc}"[:500]
        return result
    if not raw.strip():
        result.error = "the mail is empty"
    result.language = language_of(f"{result.subject or ''}\n{result.text}")
    return result


def language_of(text: str) -> str:
    """`zh` when Chinese characters carry the text, `en` for Latin script, else `und`."""
    cjk, latin = len(_CJK.findall(text)), len(_LATIN.findall(text))
    if cjk and cjk * 3 >= latin:
        return "zh"
    if latin:
        return "en"
    return "und"


def address(value: str) -> str | None:
    """The bare address of a header value, lower-case, or None when there is none."""
    _name, addr = parseaddr(value)
    if "@" not in addr:
        found = [a for _n, a in getaddresses([value]) if "@" in a]
        addr = found[0] if found else ""
    return addr.strip().lower() or None


def _bare_id(value: object) -> str | None:
    text = str(value or "").strip()
    return text.strip("<>").strip() or None


def _ids(value: str) -> list[str]:
    return re.findall(r"<([^<>\s]+)>", value)


def _strip_tags(html: str) -> str:
    return re.sub(r"<[^>]+>", " ", html)
