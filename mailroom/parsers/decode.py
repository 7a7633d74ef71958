"""Decoding a raw mail into headers, body text and attachments, whatever its charsets.

The MIME tree is walked with the standard library's compat32 parser (the one mail-parser
wraps, and the one that raised on none of the real corpus), and every text is decoded here:
mail-parser's failures listed in FACTS.md (ISO-2022-JP left raw, gb2312 that is really GBK
turned into U+FFFD, raw Big5 headers, a leading BOM, TNEF kept opaque) are the cases this
module exists for. Nothing here raises for bad input: problems become `Decoded.error`.
"""

from __future__ import annotations

import email
import email.policy
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.header import decode_header
from email.message import Message
from email.utils import getaddresses, parseaddr, parsedate_to_datetime

from mailroom.parsers.automatic import classify_automatic
from mailroom.parsers.charsets import decode_bytes, decode_header_bytes
from mailroom.parsers.html import html_to_text
from mailroom.parsers.result import Returned

_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_LATIN = re.compile(r"[A-Za-z]")
MAX_PARTS = 400


@dataclass
class RawAttachment:
    """An attachment as found in the mail: decoded name, type and bytes."""

    filename: str
    content_type: str
    payload: bytes


@dataclass
class Decoded:
    """What the rest of the parser reads of one mail."""

    message_id: str | None = None
    sender: str | None = None
    subject: str | None = None
    reply_to: str | None = None
    references: list[str] = field(default_factory=list)
    date: datetime | None = None
    text: str = ""
    attachments: list[RawAttachment] = field(default_factory=list)
    headers: Message | None = None
    automatic: str | None = None
    language: str = "und"
    error: str | None = None
    returned: Returned | None = None  # only for a bounce


def decode(raw: bytes) -> Decoded:
    """Split a mail into the fields the rest of the parser reads; never raises."""
    if not raw.strip():
        return Decoded(error="the mail is empty (0 bytes of content)")
    raw = raw.removeprefix(b"\xef\xbb\xbf").lstrip(b"\r\n")
    try:
        message = email.message_from_bytes(raw, policy=email.policy.compat32)
    except Exception as exc:  # the parser is lenient, but a mail must never crash us
        return Decoded(error=f"cannot parse the mail: {type(exc).__name__}: {exc}"[:300])
    result = _headers_of(message)
    try:
        texts, htmls = _walk(message, result.attachments)
    except Exception as exc:
        result.error = f"cannot decode the mail body: {type(exc).__name__}: {exc}"[:300]
        return result
    body = "\n\n".join(t for t in texts if t.strip())
    # An HTML table keeps its structure only in the HTML part; the plain alternative that mail
    # programs write for it loses the columns, so the HTML wins when it holds a table.
    if htmls and (not body.strip() or any(_has_table(h) for h in htmls)):
        body = "\n\n".join(html_to_text(h) for h in htmls)
    result.text = body.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff")
    if not _has_content(message, result):
        result.error = "the mail has neither headers nor content that can be read"
    result.language = language_of(f"{result.subject or ''}\n{result.text}")
    if result.automatic == "bounce":
        result.returned = _returned(message, result.text)
    return result


_QUOTED_ID = re.compile(r"^\s*Message-ID:\s*<([^<>\s]+)>", re.IGNORECASE | re.MULTILINE)
_QUOTED_SUBJECT = re.compile(r"^\s*Subject:[ \t]*(.+)$", re.IGNORECASE | re.MULTILINE)
_QUOTED_TO = re.compile(r"^\s*To:[ \t]*(.+)$", re.IGNORECASE | re.MULTILINE)


def _returned(message: Message, text: str) -> Returned:
    """The returned message's identity and the failure, from a delivery report's parts or,
    where a mail server writes its bounce as plain text, from the copy of the message in it."""
    found = Returned()
    for part in _parts(message):
        ctype = (part.get_content_type() or "").lower()
        if ctype == "message/delivery-status":
            _report_fields(part, found)
        elif ctype == "text/rfc822-headers":
            _returned_headers(email.message_from_bytes(_payload(part)), found)
        elif ctype == "message/rfc822":
            inner = part.get_payload()
            if isinstance(inner, list) and inner and isinstance(inner[0], Message):
                _returned_headers(inner[0], found)
    if found.message_id is None and (quoted := _QUOTED_ID.search(text)):
        found.message_id = quoted.group(1)
        start = quoted.start()
        # The copy's own headers sit around its Message-ID, after the server's explanation.
        if subject := _QUOTED_SUBJECT.search(text, max(0, start - 2000)):
            found.subject = found.subject or subject.group(1).strip()
        if to := _QUOTED_TO.search(text, max(0, start - 2000)):
            found.recipient = found.recipient or address(to.group(1))
    return found


def _report_fields(part: Message, found: Returned) -> None:
    """The per-recipient fields of a `message/delivery-status` part (the first failed one)."""
    blocks = part.get_payload()
    for block in blocks if isinstance(blocks, list) else []:
        if not isinstance(block, Message) or not block.get("Action"):
            continue
        if found.action == "failed":
            break
        found.action = str(block.get("Action", "")).strip().lower() or None
        found.status = str(block.get("Status", "")).strip() or None
        diagnostic = " ".join(str(block.get("Diagnostic-Code", "")).split())
        found.diagnostic = diagnostic.split(";", 1)[-1].strip()[:300] or None
        recipient = str(block.get("Final-Recipient") or block.get("Original-Recipient") or "")
        found.recipient = address(recipient.split(";", 1)[-1]) or found.recipient


def _returned_headers(headers: Message, found: Returned) -> None:
    found.message_id = found.message_id or _bare_id(header_text(headers, "Message-ID"))
    found.subject = found.subject or header_text(headers, "Subject") or None
    found.recipient = found.recipient or address(header_text(headers, "To"))


def _has_table(markup: str) -> bool:
    return re.search(r"<td[\s>]", markup[:200_000], re.IGNORECASE) is not None


def _has_content(message: Message, result: Decoded) -> bool:
    return bool(len(message.keys()) or result.text.strip() or result.attachments)


def _headers_of(message: Message) -> Decoded:
    result = Decoded(headers=message)
    result.message_id = _bare_id(header_text(message, "Message-ID"))
    result.sender = address(header_text(message, "From"))
    result.reply_to = address(header_text(message, "Reply-To"))
    result.subject = header_text(message, "Subject") or None
    refs = _ids(header_text(message, "References")) + _ids(header_text(message, "In-Reply-To"))
    result.references = list(dict.fromkeys(refs))
    result.date = _date(header_text(message, "Date"))
    try:
        result.automatic = classify_automatic(message)
    except Exception:
        result.automatic = None
    return result


def header_text(message: Message, name: str) -> str:
    """A header's value as text: RFC 2047 words decoded, raw 8-bit bytes charset-detected."""
    # The raw stored value: compat32 hands out 8-bit headers as Header objects whose text has
    # already lost the bytes (U+FFFD), while the raw value keeps them as surrogate escapes.
    value = next((v for k, v in message.raw_items() if k.lower() == name.lower()), None)
    if value is None:
        return ""
    try:
        return decode_words(str(value))
    except Exception:
        return ""


def decode_words(value: str) -> str:
    """Decode RFC 2047 encoded words (and raw 8-bit bytes) in a header value."""
    if any("\udc80" <= ch <= "\udcff" for ch in value):
        value = decode_header_bytes(value.encode("ascii", "surrogateescape"))
    if "=?" not in value:
        return " ".join(value.split())
    parts = []
    for chunk, charset in decode_header(value):
        if isinstance(chunk, bytes):
            parts.append(decode_bytes(chunk, charset))
        else:
            parts.append(chunk)
    return " ".join("".join(parts).split())


def _walk(message: Message, attachments: list[RawAttachment]) -> tuple[list[str], list[str]]:
    """Collect body texts, HTML bodies and attachments, descending into forwarded mail."""
    texts: list[str] = []
    htmls: list[str] = []
    for count, part in enumerate(_parts(message)):
        if count > MAX_PARTS:
            break
        ctype = (part.get_content_type() or "text/plain").lower()
        filename = _filename(part)
        disposition = str(part.get("Content-Disposition", "")).lower()
        if _is_attached_mail(part):
            attachments.append(RawAttachment(filename or f"part-{count}.eml", ctype, _mail(part)))
            continue
        if part.is_multipart():
            continue
        # A multipart without a usable boundary arrives as one text part: keep its text.
        plain = ctype.startswith("multipart/") or (ctype == "text/plain" and not filename)
        if plain and "attachment" not in disposition:
            texts.append(_part_text(part))
            continue
        if ctype == "text/html" and not filename and "attachment" not in disposition:
            htmls.append(_part_text(part))
        elif ctype in ("message/rfc822", "message/delivery-status", "text/rfc822-headers"):
            continue  # walk() descends into the forwarded mail; DSN fields are not a body
        elif ctype == "application/ms-tnef" or filename.lower() == "winmail.dat":
            _tnef(_payload(part), texts, htmls, attachments)
        else:
            attachments.append(RawAttachment(filename or f"part-{count}", ctype, _payload(part)))
    return texts, htmls


def _parts(message: Message) -> Iterator[Message]:
    """Every part of the MIME tree in order, like `Message.walk`, except that a mail attached as
    a file is one part: its own parts are not the body of this mail."""
    yield message
    if _is_attached_mail(message):
        return
    payload = message.get_payload() if message.is_multipart() else None
    for sub in payload or []:
        if isinstance(sub, Message):
            yield from _parts(sub)


def _is_attached_mail(part: Message) -> bool:
    """A mail sent as an attachment ("PO-88342.eml"), not forwarded inline: the sender's own
    text says what it is for, and its text is the background, an old request, not this one."""
    if (part.get_content_type() or "").lower() != "message/rfc822":
        return False
    disposition = str(part.get("Content-Disposition", "")).lower()
    return disposition.strip().startswith("attachment")


def _mail(part: Message) -> bytes:
    """The attached mail's bytes as it was written into this one."""
    inner = part.get_payload()
    if isinstance(inner, list) and inner and isinstance(inner[0], Message):
        try:
            return inner[0].as_bytes()
        except Exception:
            return str(inner[0]).encode("utf-8", "surrogateescape")
    return _payload(part)


def _payload(part: Message) -> bytes:
    try:
        data = part.get_payload(decode=True)
    except Exception:
        data = None
    if isinstance(data, bytes):
        return data
    raw = part.get_payload()
    return raw.encode("utf-8", "surrogateescape") if isinstance(raw, str) else b""


def _part_text(part: Message) -> str:
    charset = part.get_content_charset() or part.get_param("charset") or None
    return decode_bytes(_payload(part), str(charset) if charset else None)


def _filename(part: Message) -> str:
    try:
        name = part.get_filename() or part.get_param("name") or ""
    except Exception:
        return ""
    if isinstance(name, tuple):  # an RFC 2231 value the library could not collapse
        name = decode_bytes(str(name[2]).encode("latin-1", "replace"), name[0])
    return decode_words(str(name)).strip()


def _tnef(
    data: bytes, texts: list[str], htmls: list[str], attachments: list[RawAttachment]
) -> None:
    """Unpack Outlook's winmail.dat: its body becomes text, its files become attachments."""
    try:
        from tnefparse import TNEF

        tnef = TNEF(data)
    except Exception:
        attachments.append(RawAttachment("winmail.dat", "application/ms-tnef", data))
        return
    body = getattr(tnef, "body", None)
    html = getattr(tnef, "htmlbody", None)
    if body:
        texts.append(body if isinstance(body, str) else decode_bytes(body, None))
    elif html:
        htmls.append(html if isinstance(html, str) else decode_bytes(html, None))
    for item in getattr(tnef, "attachments", []) or []:
        try:
            name = item.long_filename() or item.name
        except Exception:
            name = getattr(item, "name", "") or "attachment"
        if isinstance(name, bytes):
            name = decode_bytes(name, None)
        payload = item.data if isinstance(item.data, bytes) else b""
        attachments.append(RawAttachment(str(name).strip("\x00"), _guess_type(name), payload))


def _guess_type(name: str) -> str:
    import mimetypes

    return mimetypes.guess_type(name)[0] or "application/octet-stream"


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
    return addr.strip().strip("<>").lower() or None


def _date(value: str) -> datetime | None:
    try:
        parsed = parsedate_to_datetime(value) if value else None
    except (TypeError, ValueError, IndexError):
        return None
    if parsed is None:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _bare_id(value: str) -> str | None:
    text = value.strip()
    found = re.search(r"<([^<>]+)>", text)
    return (found.group(1) if found else text).strip() or None


def _ids(value: str) -> list[str]:
    return re.findall(r"<([^<>\s]+)>", value)
