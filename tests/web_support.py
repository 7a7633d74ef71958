"""Helpers for the clerks' queue tests: held mails, clerk accounts, the web app on a port."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mailroom.commands.web import make_server
from mailroom.parsers import parse_mail
from mailroom.respond import hold_mail
from mailroom.runtime import Runtime
from mailroom.service import Service
from store import clerks as accounts
from store.catalog import Customer
from store.holds import reason
from store.mail import Location, store_mail
from tests.servers import free_port
from tests.support import service_runtime, wait_until

PASSWORD = "correct horse battery"


def hold_a_mail(
    runtime: Runtime, raw: bytes, reasons: list[tuple[str, str]], uid: int | None = None
) -> int:
    """Store `raw`, parse it with the real parser, and hold it for a clerk; returns the item id.

    This is what a domain actor does when a check fails: the mail is recorded as parsed,
    then held with every reason found.
    """
    result = parse_mail(raw, runtime.catalog())
    with runtime.work() as work:
        mail = store_mail(work.session, raw, Location("test", "INBOX", 1, uid))
        assert mail is not None, "the same mail was stored twice"
        mail.message_id, mail.sender, mail.subject = (
            result.message_id,
            result.sender,
            result.subject,
        )
        mail.intent, mail.language, mail.customer_id = (
            result.intent,
            result.language,
            result.customer_id,
        )
        mail.parsed = {**result.to_json(), "references": result.references}
        item = hold_mail(work, mail, [reason(rule, text) for rule, text in reasons])
        return item.id


def add_clerk(runtime: Runtime, name: str, language: str = "en") -> str:
    with runtime.work() as work:
        accounts.add_clerk(work.session, name, PASSWORD, language)
    return name


def add_customer(
    runtime: Runtime, customer_id: str, name: str, email: str, language: str = "en"
) -> None:
    with runtime.work() as work:
        work.session.add(
            Customer(
                customer_id=customer_id,
                name=name,
                emails=[email],
                domains=[],
                language=language,
            )
        )


@dataclass
class Site:
    """The web app served on a loopback port, over a runtime with working follow-ups."""

    runtime: Runtime
    url: str


@contextmanager
def served(home: Path, **overrides: Any) -> Iterator[Site]:
    """`mailroom web` in a thread: uvicorn on a free port, plus the in-process workers."""
    with service_runtime(home, **overrides) as runtime:
        service = Service(runtime, None)
        service.start_workers()
        port = free_port()
        server = make_server(runtime, "127.0.0.1", port)
        thread = threading.Thread(target=server.run, daemon=True)
        thread.start()
        try:
            wait_until(lambda: server.started, timeout=10, what="the web server to start")
            yield Site(runtime, f"http://127.0.0.1:{port}")
        finally:
            server.should_exit = True
            thread.join(timeout=10)
            service.stop_workers()
