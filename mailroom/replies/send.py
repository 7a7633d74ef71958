"""Handing a finished message to the world: an SMTP server, or `.eml` files when there is none.

Sending is the only step that cannot be made atomic with the database, so it is kept tiny and
its errors are sorted into transient (the reply waits and is tried again) and permanent
(a clerk looks at it).
"""

from __future__ import annotations

import smtplib
import ssl
import threading
import time
from pathlib import Path
from typing import Protocol
from urllib.parse import urlsplit

from mailroom.errors import SendError
from mailroom.settings import Settings, redact, url_credentials


class Sender(Protocol):
    description: str

    def send(self, raw: bytes, sender: str, recipient: str, message_id: str) -> None:
        """Deliver one message; raises SendError."""

    def close(self) -> None:
        """Let go of any open connection."""


class SmtpSender:
    """Sends over SMTP (`smtp://`, `smtps://` or `smtp+starttls://`).

    Each worker thread keeps its connection open from one message to the next: opening one
    (TCP, greeting, EHLO, maybe TLS and AUTH) costs more than the message itself. A connection
    idle for `IDLE_CHECK_SECONDS` is checked with NOOP first and replaced if the server has
    dropped it, before anything is handed over; any error during a send closes it, so a
    connection is never used again in an unknown state (the row is retried as before).
    """

    IDLE_CHECK_SECONDS = 2.0

    def __init__(self, url: str, timeout: float = 30.0) -> None:
        parts = urlsplit(url)
        self.scheme = parts.scheme
        self.host = parts.hostname or "localhost"
        self.port = parts.port or {"smtps": 465, "smtp+starttls": 587}.get(parts.scheme, 25)
        self.user, self.password = url_credentials(url)
        self.timeout = timeout
        self.description = f"SMTP {redact(url)}"
        self._local = threading.local()
        self._open: set[smtplib.SMTP] = set()
        self._lock = threading.Lock()

    def send(self, raw: bytes, sender: str, recipient: str, message_id: str) -> None:
        try:
            smtp = self._connection()
            try:
                refused = smtp.sendmail(sender, [recipient], raw)
            except smtplib.SMTPRecipientsRefused:
                raise  # the conversation ended cleanly (RSET): the connection stays usable
            except BaseException:
                self._drop(smtp)
                raise
            self._local.used_at = time.monotonic()
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

    def close(self) -> None:
        with self._lock:
            connections, self._open = list(self._open), set()
        for smtp in connections:
            _quietly_quit(smtp)

    def _connection(self) -> smtplib.SMTP:
        """This thread's open connection, checked when it sat idle; a new one otherwise."""
        smtp: smtplib.SMTP | None = getattr(self._local, "smtp", None)
        if smtp is not None and smtp in self._open:
            idle = time.monotonic() - getattr(self._local, "used_at", 0.0)
            if idle < self.IDLE_CHECK_SECONDS or _answers(smtp):
                return smtp
            self._drop(smtp)
        smtp = self._connect()
        try:
            if self.user:
                smtp.login(self.user, self.password)
        except BaseException:
            _quietly_quit(smtp)
            raise
        self._local.smtp, self._local.used_at = smtp, time.monotonic()
        with self._lock:
            self._open.add(smtp)
        return smtp

    def _drop(self, smtp: smtplib.SMTP) -> None:
        with self._lock:
            self._open.discard(smtp)
        self._local.smtp = None
        _quietly_quit(smtp)

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

    def close(self) -> None:
        """Nothing stays open between files."""


def make_sender(settings: Settings) -> Sender:
    if settings.smtp_url:
        return SmtpSender(settings.smtp_url)
    return DirectorySender(settings.outbox_dir)


def _answers(smtp: smtplib.SMTP) -> bool:
    """Whether an idle connection still answers (servers drop idle clients)."""
    try:
        return smtp.noop()[0] == 250
    except (OSError, smtplib.SMTPException):
        return False


def _quietly_quit(smtp: smtplib.SMTP) -> None:
    try:
        smtp.quit()
    except (OSError, smtplib.SMTPException):
        smtp.close()


def _reply(exc: smtplib.SMTPResponseException) -> str:
    text = exc.smtp_error.decode("utf-8", "replace") if isinstance(exc.smtp_error, bytes) else ""
    return f"{exc.smtp_code} {text}".strip()
