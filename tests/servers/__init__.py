"""Real servers for the test suite: one helper module per server, shared bits here.

Each helper starts (or finds) a real server at the edge of the system: Dovecot for IMAP, an
aiosmtpd sink for SMTP, SQLite and PostgreSQL, RabbitMQ and Redis. A server the machine should
run but does not is skipped locally and fails the run when `CI=true`.
"""

from __future__ import annotations

import os
import socket
from typing import NoReturn

import pytest


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now.

    The kernel picks it; the small window before the server binds it is accepted, and the
    helpers that use it retry with another port when the bind fails.
    """
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def in_ci() -> bool:
    """Whether the run is a CI run, where every server of the machine must answer."""
    return os.environ.get("CI", "").strip().lower() in {"1", "true", "yes"}


def server_missing(name: str, why: str) -> NoReturn:
    """Skip the test because server `name` does not answer, or fail it when `CI=true`.

    Raises:
        pytest.skip.Exception: locally, so a laptop without the server can still run the rest.
        pytest.fail.Exception: in CI, where a missing server means the run proves nothing.
    """
    message = f"{name} is not answering ({why})"
    if in_ci():
        pytest.fail(f"{message}; CI=true requires it", pytrace=False)
    pytest.skip(message)


def port_answers(port: int, host: str = "127.0.0.1", timeout: float = 1.0) -> bool:
    """Whether something accepts TCP connections on host:port."""
    try:
        with socket.create_connection((host, port), timeout=timeout):
            return True
    except OSError:
        return False
