"""A stored mail as a clerk sees it: headers, text, sanitised HTML and its attachments.

Decoding reuses the parser's charset-safe `decode()`, so the page shows what the parser read.
The HTML is cleaned with nh3 (no script, no event handlers, no forms, no frames) and is
then shown only inside a sandboxed frame whose Content-Security-Policy forbids scripts and,
unless the clerk asks, every image that is not inline data. Nothing here raises for bad mail.
"""

from __future__ import annotations

import email
import email.policy
from dataclasses import dataclass, field

import nh3

from mailroom.parsers.charsets import decode_bytes
from mailroom.parsers.decode import MAX_PARTS, RawAttachment, decode, header_text

HEADERS = ("From", "To", "Cc", "Reply-To", "Date", "Subject", "Message-ID")
# Only presentational attributes survive; `style` keeps a few harmless properties.
_ATTRIBUTES = {
    "*": {"title", "lang", "dir", "align", "valign", "width", "height", "style"},
    "a": {"href"},
    "img": {"src", "alt", "width", "height"},
    "td": {"colspan", "rowspan", "bgcolor"},
    "th": {"colspan", "rowspan", "bgcolor"},
    "table": {"border", "cellpadding", "cellspacing", "bgcolor"},
    "font": {"color", "size", "face"},
}
_STYLE = {
    "color",
    "background-color",
    "font-weight",
    "font-style",
    "font-size",
    "text-align",
    "text-decoration",
    "border",
    "border-collapse",
    "padding",
    "margin",
    "width",
}


@dataclass
class MailView:
    headers: list[tuple[str, str]] = field(default_factory=list)
    text: str = ""
    html: str | None = None
    attachments: list[RawAttachment] = field(default_factory=list)
    error: str | None = None


def view(raw: bytes) -> MailView:
    """What the item page shows of a raw mail."""
    decoded = decode(raw)
    result = MailView(text=decoded.text, attachments=decoded.attachments, error=decoded.error)
    if decoded.headers is not None:
        result.headers = [
            (name, value) for name in HEADERS if (value := header_text(decoded.headers, name))
        ]
    htmls = _html_parts(raw)
    if htmls:
        result.html = sanitise("\n<hr>\n".join(htmls))
    return result


def sanitise(markup: str) -> str:
    """Markup safe to show in the mail frame: no script, handlers, forms, frames or styles."""
    return nh3.clean(
        markup,
        tags=set(nh3.ALLOWED_TAGS) | {"font"},
        attributes=_ATTRIBUTES,
        filter_style_properties=_STYLE,
        url_schemes={"http", "https", "mailto", "data"},
        link_rel="noopener noreferrer",
        strip_comments=True,
        attribute_filter=_only_images_inline,
    )


def _only_images_inline(tag: str, attribute: str, value: str) -> str | None:
    # data: URLs are fine as image sources, never as links (they could carry a page).
    if attribute == "href" and value.strip().lower().startswith("data:"):
        return None
    return value


def is_pdf(attachment: RawAttachment) -> bool:
    """True for a real PDF (by its first bytes, whatever the mail claimed)."""
    return attachment.payload[:1024].lstrip().startswith(b"%PDF-")


def _html_parts(raw: bytes) -> list[str]:
    try:
        message = email.message_from_bytes(raw, policy=email.policy.compat32)
        found = []
        for count, part in enumerate(message.walk()):
            if count > MAX_PARTS:
                break
            disposition = str(part.get("Content-Disposition", "")).lower()
            if part.get_content_type() != "text/html" or "attachment" in disposition:
                continue
            payload = part.get_payload(decode=True)
            if isinstance(payload, bytes):
                found.append(decode_bytes(payload, part.get_content_charset()))
        return found
    except Exception:  # a mail that breaks the parser still shows its text and headers
        return []
