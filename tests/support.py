"""Small helpers the service tests share: building mails and running the service in-process."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from pathlib import Path
from typing import Any

from mailroom.mailbox import open_mailbox
from mailroom.runtime import Runtime, open_runtime
from mailroom.service import Service, Summary
from mailroom.settings import load_settings
from store.db import transaction


def mail(
    sender: str = "laura@northwind.example",
    subject: str = "A question about your catalogue",
    body: str = "Hello, do you also sell stainless steel versions? Kind regards, Laura",
    **headers: str,
) -> bytes:
    """A plain customer mail as bytes, with a fresh Message-ID unless one is given."""
    msg = EmailMessage()
    msg["From"] = sender
    msg["To"] = "orders@mailroom.example"
    msg["Subject"] = subject
    msg["Date"] = formatdate()
    msg["Message-ID"] = headers.pop("Message_ID", make_msgid(domain="customer.example"))
    for name, value in headers.items():
        msg[name.replace("_", "-")] = value
    msg.set_content(body)
    return msg.as_bytes()


def settings_for(home: Path, **overrides: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "home": home,
        "from_address": "orders@mailroom.example",
        "max_retries": 1,
        "min_backoff_ms": 10,
        "imap_poll_seconds": 5,
    }
    return {**base, **overrides}


@contextmanager
def service_runtime(home: Path, **overrides: Any) -> Iterator[Runtime]:
    runtime = open_runtime(load_settings(**settings_for(home, **overrides)))
    try:
        yield runtime
    finally:
        runtime.close()


def run_once(home: Path, **overrides: Any) -> Summary:
    """`mailroom run --once` in this process."""
    with service_runtime(home, **overrides) as runtime:
        return Service(runtime, open_mailbox(runtime)).run_once()


@contextmanager
def running_service(home: Path, **overrides: Any) -> Iterator[Runtime]:
    """`mailroom run` in a thread of this process, stopped (and joined) at the end."""
    with service_runtime(home, **overrides) as runtime:
        stop = threading.Event()
        service = Service(runtime, open_mailbox(runtime))
        thread = threading.Thread(target=service.run_forever, args=(stop,), daemon=True)
        thread.start()
        try:
            yield runtime
        finally:
            stop.set()
            thread.join(timeout=30)
            assert not thread.is_alive(), "the service did not stop"


def wait_until(condition: Callable[[], Any], timeout: float = 20.0, what: str = "") -> Any:
    """Wait for `condition()` to be truthy; fail with `what` after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what or condition}")
        time.sleep(0.02)


def query(runtime: Runtime, fn: Callable[[Any], Any]) -> Any:
    with transaction(runtime.sessions) as session:
        return fn(session)
