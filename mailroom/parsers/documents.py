"""The attachments of a mail as the parser sees them: kind, size, text and tables.

Reading a file's content (PDF, spreadsheet, CSV) is `mailroom.parsers.attachments`; this
module calls it within the mail's time limit, and classifies the attachment's kind by its
content first and its name second.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, field

from mailroom.parsers.attachments import kind_of as readers_kind
from mailroom.parsers.attachments import read_attachment
from mailroom.parsers.decode import RawAttachment
from mailroom.parsers.result import Attachment

_KIND_WORDS = [
    (
        "purchase_order",
        r"purchase\s*order|\bP\.?O\.?\b|采购(订)?单|采購單|订购单|訂購單|\border\b|订单",
    ),
    ("invoice", r"invoice|发票|發票|\bINV\b"),
    ("packing_list", r"packing\s*list|装箱单|裝箱單|\bPL\b"),
    ("quote", r"quotation|\bquote\b|\bRFQ\b|报价|報價|询价"),
    ("contract", r"contract|agreement|合同|协议|合約"),
    ("shipping_document", r"bill\s*of\s*lading|\bB/?L\b|waybill|\bAWB\b|提单|运单|shipping"),
]

MAIL = "message/rfc822"


@dataclass
class Document:
    """One attachment: the contract's entry, and what was read of its content."""

    entry: Attachment
    text: str = ""
    tables: list[list[list[str]]] = field(default_factory=list)


def read_documents(items: list[RawAttachment], deadline: float) -> list[Document]:
    """Read every attachment within what is left of the mail's time limit."""
    documents = []
    for item in items:
        remaining = deadline - time.monotonic()
        mail = item.content_type.lower() == MAIL
        # An attached mail is listed, not read: it is a mail (kind "other"), not the document
        # its name may suggest, and what it asked for was asked before.
        text, tables, finding = (
            ("", [], None) if mail else _content(item, max(0.5, min(10.0, remaining)))
        )
        entry = Attachment(
            filename=item.filename,
            content_type=item.content_type,
            size=len(item.payload),
            kind="other" if mail else kind_of(item.filename, item.content_type, text),
            finding=finding,
        )
        documents.append(Document(entry, text, tables))
    return documents


def _content(
    item: RawAttachment, timeout_s: float
) -> tuple[str, list[list[list[str]]], str | None]:
    if item.content_type.startswith("image/"):
        return "", [], None
    try:
        content = read_attachment(
            item.filename, item.content_type, item.payload, timeout_s=timeout_s
        )
    except Exception as exc:  # a reader's failure is a finding on this attachment, not a crash
        return "", [], f"broken: {type(exc).__name__}"
    return content.text or "", list(content.tables or []), content.finding


def kind_of(filename: str, content_type: str, text: str) -> str:
    """The attachment's kind: the readers' classification, or ours should theirs fail."""
    try:
        return str(readers_kind(filename, content_type, text))
    except Exception:
        return fallback_kind(filename, content_type, text)


def fallback_kind(filename: str, content_type: str, text: str) -> str:
    """Kind by the document's first words, then by its file name, then by its type."""
    head = text[:600]
    for kind, words in _KIND_WORDS:
        if re.search(words, head, re.IGNORECASE):
            return kind
    stem = re.sub(r"[_\-.]+", " ", filename)
    for kind, words in _KIND_WORDS:
        if re.search(words, stem, re.IGNORECASE):
            return kind
    if content_type.startswith("image/"):
        return "image"
    return "other"
