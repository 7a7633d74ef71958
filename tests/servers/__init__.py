"""Real servers for the test suite: one helper module per server, shared bits here.

Each helper starts (or finds) a real server at the edge of the system: Dovecot for IMAP, an
aiosmtpd sink for SMTP, SQLite and PostgreSQL, RabbitMQ and Redis. A server the machine should
run but does not is skipped locally and fails the run when `CI=true`.
"""

from __future__ import annotations

import os
import random
import socket
from pathlib import Path
from typing import NoReturn

import pytest


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now, below the ephemeral range.

    Servers restart on the same port; an outgoing connection never takes a port below the
    kernel's ephemeral range, so no client of another test can sit on it in between.
    Another process may still bind it between this probe and the server's bind: the
    helpers retry a first start with another port.
    """
    ceiling = _ephemeral_floor()
    for _ in range(200):
        port = random.randrange(ceiling // 2, ceiling)
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _ephemeral_floor() -> int:
    try:
        return int(Path("/proc/sys/net/ipv4/ip_local_port_range").read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return 32768


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
