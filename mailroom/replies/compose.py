"""Turning a rendered reply into an RFC 5322 message that threads and cannot start a loop.

Every message we send carries our own Message-ID domain, `Auto-Submitted: auto-replied`
(RFC 3834) and, for replies, `In-Reply-To` and `References` so mail clients thread it.
"""

from __future__ import annotations

from dataclasses import dataclass
from email import encoders
from email.header import Header
from email.mime.application import MIMEApplication
from email.mime.base import MIMEBase
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText
from email.policy import Compat32
from email.utils import formataddr, formatdate, make_msgid
from typing import cast

from mailroom.replies.render import Rendered


class _SmtpCompat(Compat32):
    """`compat32` with CRLF line ends, writing a header that needs no folding as it is.

    Folding builds an `email.header.Header` for every header, the MIME parts' included, and
    that was half the cost of composing a reply; a short ASCII line comes out the same
    without it (`tests/test_compose.py` holds the two to the same bytes).
    """

    def _fold(self, name: str, value: object, sanitize: bool) -> str:
        if (
            isinstance(value, str)
            and value.isascii()
            and len(name) + len(value) + 2 <= 78
            and "\n" not in value
            and "\r" not in value
        ):
            return f"{name}: {value}{self.linesep}"
        return str(super()._fold(name, value, sanitize))  # type: ignore[misc]


SMTP_COMPAT = _SmtpCompat(linesep="\r\n")


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
    automatic: bool = True,
) -> bytes:
    """Build the message bytes (CRLF line ends): text and HTML alternatives, documents attached.

    `automatic` marks the message `Auto-Submitted: auto-replied` (RFC 3834); a reply a clerk
    wrote is not automatic and goes without it.

    Built with the `email.mime` classes: the modern `EmailMessage` API parses every header it
    is given, which made composing the costliest step of answering a mail.
    """
    body: MIMEBase = MIMEText(rendered.text, "plain", "utf-8")
    if rendered.html:
        body = _parts(MIMEMultipart("alternative"), body, MIMEText(rendered.html, "html", "utf-8"))
    if documents:
        body = _parts(MIMEMultipart("mixed"), body, *(_attachment(doc) for doc in documents))
    body["From"] = formataddr((sender_name, sender), charset="utf-8")
    body["To"] = recipient
    subject = rendered.subject
    # A Header object (not its encoded text) lets the generator fold long Chinese subjects.
    body["Subject"] = subject if subject.isascii() else cast(str, Header(subject, "utf-8"))
    body["Date"] = formatdate(localtime=False, usegmt=True)
    body["Message-ID"] = f"<{message_id}>"
    if automatic:
        body["Auto-Submitted"] = "auto-replied"
        body["X-Auto-Response-Suppress"] = "All"
    if thread and thread.message_id:
        body["In-Reply-To"] = f"<{thread.message_id}>"
        chain = [*thread.references, thread.message_id][-20:]
        body["References"] = " ".join(f"<{ref}>" for ref in dict.fromkeys(chain))
    return body.as_bytes(policy=SMTP_COMPAT)


def _parts(container: MIMEMultipart, *parts: MIMEBase) -> MIMEMultipart:
    for part in parts:
        container.attach(part)
    return container


def _attachment(doc: Document) -> MIMEBase:
    maintype, subtype = doc.mime.split("/", 1)
    part = (
        MIMEApplication(doc.content, _subtype=subtype)
        if maintype == "application"
        else (MIMEBase(maintype, subtype))
    )
    if maintype != "application":
        part.set_payload(doc.content)
        encoders.encode_base64(part)
    part.add_header("Content-Disposition", "attachment", filename=("utf-8", "", doc.filename))
    return part


def reply_subject_prefix(original: str | None, language: str) -> str:
    """`Re: ` unless the original subject already starts with a reply marker."""
    if original and original.strip().lower().startswith(("re:", "回复:", "回复：", "答复:")):
        return ""
    return "Re: " if language != "zh" else "回复："
