"""Turning a rendered reply into an RFC 5322 message that threads and cannot start a loop.

Every message we send carries our own Message-ID domain, `Auto-Submitted: auto-replied`
(RFC 3834) and, for replies, `In-Reply-To` and `References` so mail clients thread it.
"""

from __future__ import annotations

from dataclasses import dataclass
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import formataddr, formatdate, make_msgid

from mailroom.replies.render import Rendered


@dataclass(frozen=True)
class Thread:
    """What a reply answers: the original's Message-ID and its References chain."""

    message_id: str | None
    references: tuple[str, ...] = ()


@dataclass(frozen=True)
class Document:
    filename: str
    content: bytes
    mime: str = "application/pdf"


def new_message_id(domain: str) -> str:
    """A fresh Message-ID on our domain, without angle brackets."""
    return make_msgid(domain=domain).strip("<>")


def compose(
    rendered: Rendered,
    *,
    sender: str,
    sender_name: str,
    recipient: str,
    message_id: str,
    thread: Thread | None = None,
    documents: tuple[Document, ...] = (),
) -> bytes:
    """Build the message bytes: text and HTML alternatives, documents attached."""
    msg = EmailMessage()
    msg["From"] = formataddr((sender_name, sender))
    msg["To"] = recipient
    msg["Subject"] = rendered.subject
    msg["Date"] = formatdate(localtime=False, usegmt=True)
    msg["Message-ID"] = f"<{message_id}>"
    msg["Auto-Submitted"] = "auto-replied"
    msg["X-Auto-Response-Suppress"] = "All"
    if thread and thread.message_id:
        msg["In-Reply-To"] = f"<{thread.message_id}>"
        chain = [*thread.references, thread.message_id][-20:]
        msg["References"] = " ".join(f"<{ref}>" for ref in dict.fromkeys(chain))
    msg.set_content(rendered.text)
    if rendered.html:
        msg.add_alternative(rendered.html, subtype="html")
    for doc in documents:
        maintype, subtype = doc.mime.split("/", 1)
        msg.add_attachment(doc.content, maintype=maintype, subtype=subtype, filename=doc.filename)
    return msg.as_bytes(policy=SMTP)  # CRLF line ends: what SMTP servers require


def reply_subject_prefix(original: str | None, language: str) -> str:
    """`Re: ` unless the original subject already starts with a reply marker."""
    if original and original.strip().lower().startswith(("re:", "回复:", "回复：", "答复:")):
        return ""
    return "Re: " if language != "zh" else "回复："
