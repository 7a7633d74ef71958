"""Mailboxes the service reads from: an IMAP folder, or a Maildir for tests and demos.

A mailbox stores each new mail in the ledger and commits before it marks anything on the
server, then enqueues `mail.received` for it.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Protocol

from mailroom.errors import ConfigError
from mailroom.runtime import Runtime
from mailroom.settings import Settings


@dataclass
class MailboxStatus:
    """What the health report and the run summary say about a mailbox."""

    name: str
    on_server: int | None = None
    ingested: int | None = None
    not_ingested: int = 0


class Mailbox(Protocol):
    name: str

    def fetch_new(self) -> list[int]:
        """Store every new mail, commit, enqueue it; return the new mail ids."""

    def mark_done(self) -> int:
        """Mark on the server the mails whose work is durable; return how many."""

    def wait(self, seconds: float, stop: threading.Event) -> None:
        """Return when new mail may have arrived, `seconds` passed, or `stop` is set."""

    def status(self) -> MailboxStatus: ...

    def close(self) -> None: ...


def open_mailbox(runtime: Runtime) -> Mailbox:
    """The mailbox the settings name (IMAP wins over Maildir).

    Raises:
        ConfigError: neither is configured.
        MailboxError: the server cannot be reached or refuses the login.
    """
    settings = runtime.settings
    require_configured(settings)
    if settings.imap_url:
        from mailroom.mailbox.imap import ImapMailbox

        mailbox: Mailbox = ImapMailbox(runtime)
        return mailbox
    from mailroom.mailbox.maildir import MaildirMailbox

    return MaildirMailbox(runtime)


def require_configured(settings: Settings) -> None:
    """Raise ConfigError unless the settings name a mailbox."""
    if not (settings.imap_url or settings.maildir):
        raise ConfigError(
            "no mailbox configured: set MAILROOM_IMAP_URL (imap://user:password@host:port/INBOX)"
            " or MAILROOM_MAILDIR (a Maildir folder)"
        )


def oversized(raw_head: bytes, size: int, limit: int) -> tuple[bytes, str]:
    """What is stored for a mail over the size limit: its header block and the reason."""
    head = raw_head.split(b"\r\n\r\n", 1)[0].split(b"\n\n", 1)[0]
    note = (
        f"the mail is {size:,} bytes, over the {limit:,}-byte limit; only its headers were stored"
    )
    body = f"\r\n\r\n[{note}; the full mail stays on the server]\r\n".encode()
    return head + body, note
