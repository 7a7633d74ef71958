"""Handing a finished message to the world: an SMTP server, or `.eml` files when there is none.

Sending is the only step that cannot be made atomic with the database, so it is kept tiny and
its errors are sorted into transient (the reply waits and is tried again) and permanent
(a clerk looks at it).
"""

from __future__ import annotations

import smtplib
import ssl
from pathlib import Path
from typing import Protocol
from urllib.parse import urlsplit

from mailroom.errors import SendError
from mailroom.settings import Settings, redact, url_credentials


class Sender(Protocol):
    description: str

    def send(self, raw: bytes, sender: str, recipient: str, message_id: str) -> None:
        """Deliver one message; raises SendError."""


class SmtpSender:
    """Sends over SMTP (`smtp://`, `smtps://` or `smtp+starttls://`), one connection a message."""

    def __init__(self, url: str, timeout: float = 30.0) -> None:
        parts = urlsplit(url)
        self.scheme = parts.scheme
        self.host = parts.hostname or "localhost"
        self.port = parts.port or {"smtps": 465, "smtp+starttls": 587}.get(parts.scheme, 25)
        self.user, self.password = url_credentials(url)
        self.timeout = timeout
        self.description = f"SMTP {redact(url)}"

    def send(self, raw: bytes, sender: str, recipient: str, message_id: str) -> None:
        try:
            with self._connect() as smtp:
                if self.user:
                    smtp.login(self.user, self.password)
                refused = smtp.sendmail(sender, [recipient], raw)
        except smtplib.SMTPAuthenticationError as exc:
            raise SendError(f"{self.description} refused the login: {_reply(exc)}") from None
        except smtplib.SMTPRecipientsRefused as exc:
            codes = [code for code, _msg in exc.recipients.values()]
            transient = all(400 <= code < 500 for code in codes)
            raise SendError(
                f"{self.description} refused {recipient}: {exc.recipients}", transient=transient
            ) from None
        except smtplib.SMTPResponseException as exc:
            transient = 400 <= exc.smtp_code < 500
            raise SendError(f"{self.description}: {_reply(exc)}", transient=transient) from None
        except (OSError, smtplib.SMTPException) as exc:
            raise SendError(f"{self.description} cannot be reached: {exc}") from None
        if refused:
            raise SendError(f"{self.description} refused {recipient}: {refused}", transient=False)

    def _connect(self) -> smtplib.SMTP:
        if self.scheme == "smtps":
            context = ssl.create_default_context()
            return smtplib.SMTP_SSL(self.host, self.port, timeout=self.timeout, context=context)
        smtp = smtplib.SMTP(self.host, self.port, timeout=self.timeout, local_hostname="mailroom")
        if self.scheme == "smtp+starttls":
            smtp.starttls(context=ssl.create_default_context())
        return smtp


class DirectorySender:
    """Writes each message to `<outbox>/<message-id>.eml` (the default with no SMTP URL)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.description = f"files in {folder}"

    def send(self, raw: bytes, sender: str, recipient: str, message_id: str) -> None:
        name = "".join(c if c.isalnum() or c in "-._@" else "_" for c in message_id) + ".eml"
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            partial = self.folder / f".{name}.part"
            partial.write_bytes(raw)
            partial.replace(self.folder / name)
        except OSError as exc:
            raise SendError(f"cannot write {self.folder / name}: {exc}") from None


def make_sender(settings: Settings) -> Sender:
    if settings.smtp_url:
        return SmtpSender(settings.smtp_url)
    return DirectorySender(settings.outbox_dir)


def _reply(exc: smtplib.SMTPResponseException) -> str:
    text = exc.smtp_error.decode("utf-8", "replace") if isinstance(exc.smtp_error, bytes) else ""
    return f"{exc.smtp_code} {text}".strip()
