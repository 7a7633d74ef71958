"""Parsers: from a mail's raw bytes to a ParseResult (what the service understood of it).

`parse_mail` is the one entry point: `mailroom parse` and the `mail.received` actor both call
it, so what the command line shows is exactly what the service acts on.
"""

from __future__ import annotations

import signal
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from mailroom.parsers.catalog import Catalog
from mailroom.parsers.history import NO_HISTORY, History
from mailroom.parsers.result import ParseResult

__all__ = ["Catalog", "ParseResult", "parse_mail"]

DEFAULT_TIMEOUT_S = 20.0


class ParseTimeout(Exception):
    """Parsing one mail took longer than its limit."""


def parse_mail(
    raw: bytes,
    catalog: Catalog | None = None,
    *,
    file: str | None = None,
    timeout_s: float = DEFAULT_TIMEOUT_S,
    history: History | None = None,
) -> ParseResult:
    """Read one mail into the contract's parse object. Never raises for bad input.

    Args:
        raw: the mail as received (RFC 5322 bytes).
        catalog: products and customers to resolve SKUs and the sender; empty when None.
        file: the file name to report (the command line's PATH).
        timeout_s: the time limit for this mail; past it the mail is `unreadable`.
        history: what the store knows of the mail's references (nothing when None).

    Returns:
        The parse result; an unreadable mail has intent `unreadable` and an `error`.
    """
    from mailroom.parsers.understand import understand

    deadline = time.monotonic() + timeout_s
    try:
        with _time_limit(timeout_s):
            return understand(
                raw,
                catalog or Catalog.empty(),
                file=file,
                deadline=deadline,
                history=history or NO_HISTORY,
            )
    except ParseTimeout:
        return ParseResult(
            file=file, intent="unreadable", error=f"parsing took longer than {timeout_s:g} s"
        )
    except Exception as exc:  # a bug or a hostile mail must cost one mail, not the run
        return ParseResult(
            file=file,
            intent="unreadable",
            error=f"the parser failed on this mail: {type(exc).__name__}: {exc}"[:300],
        )


@contextmanager
def _time_limit(seconds: float) -> Iterator[None]:
    """A hard limit in the main thread (an interval timer); elsewhere the stages check time."""
    if threading.current_thread() is not threading.main_thread() or not hasattr(
        signal, "setitimer"
    ):
        yield
        return

    def _expired(_signum: int, _frame: Any) -> None:
        raise ParseTimeout

    previous = signal.signal(signal.SIGALRM, _expired)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
