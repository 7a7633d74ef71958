"""Message brokers for tests: the machine's RabbitMQ and Redis, emptied around each test.

Both run on loopback before the session starts, shared by every test run on the machine,
so runs side by side must not empty each other's data:
- Redis: each test process takes a database number of its own (held by a file lock for
  the process's life) and flushes it before and after each test.
- RabbitMQ: a test holds a machine-wide file lock while it uses the broker; every queue of
  the default vhost is deleted when a run first uses it and after each test.
"""

from __future__ import annotations

import contextlib
import fcntl
import functools
import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pika
import pika.exceptions
import redis

from . import processes, server_missing

RABBITMQ_URL = "amqp://guest:guest@127.0.0.1:5672/"
REDIS_SERVER = "redis://127.0.0.1:6379"
# Database 0 is left to anything else on the machine.
REDIS_TEST_DBS = range(15, 0, -1)
LOCKS = Path(tempfile.gettempdir()) / "mailroom-test-locks"
_held_locks: list[int] = []


def redis_test_url() -> str:
    """The URL of the Redis database this test process owns."""
    return f"{REDIS_SERVER}/{_redis_db()}"


@functools.cache
def _redis_db() -> int:
    # The first number no other live test process holds; the lock ends with the process.
    for number in REDIS_TEST_DBS:
        fd = _lock(f"redis-{number}", wait=False)
        if fd is not None:
            _held_locks.append(fd)
            return number
    _held_locks.append(_wait_lock(f"redis-{REDIS_TEST_DBS[0]}"))
    return REDIS_TEST_DBS[0]


def _lock(name: str, wait: bool) -> int | None:
    """An exclusive lock on a file in LOCKS: its descriptor, or None if taken and not `wait`."""
    LOCKS.mkdir(mode=0o777, exist_ok=True)
    fd = os.open(LOCKS / f"{name}.lock", os.O_RDWR | os.O_CREAT, 0o666)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
    except BlockingIOError:
        os.close(fd)
        return None
    return fd


def _wait_lock(name: str) -> int:
    fd = _lock(name, wait=True)
    if fd is None:
        raise RuntimeError(f"lock {name} was not taken")
    return fd


@contextlib.contextmanager
def _holding(name: str) -> Iterator[None]:
    fd = _wait_lock(name)
    try:
        yield
    finally:
        os.close(fd)


@contextlib.contextmanager
def redis_namespace() -> Iterator[str]:
    """An empty Redis database for one test, flushed again afterwards.

    Raises:
        pytest.skip.Exception / pytest.fail.Exception: Redis does not answer.
    """
    url = redis_test_url()
    client = redis.Redis.from_url(url, socket_timeout=3, socket_connect_timeout=3)
    try:
        client.ping()
    except redis.RedisError as exc:
        client.close()
        server_missing("Redis", f"{url}: {exc}")
    try:
        client.flushdb()
        yield url
    finally:
        client.flushdb()
        client.close()


@contextlib.contextmanager
def rabbitmq_namespace() -> Iterator[str]:
    """RabbitMQ with no queues for one test; the test's queues are deleted afterwards.

    Raises:
        pytest.skip.Exception / pytest.fail.Exception: RabbitMQ does not answer.
    """
    try:
        pika.BlockingConnection(_rabbitmq_parameters()).close()
    except pika.exceptions.AMQPError as exc:
        server_missing("RabbitMQ", f"{RABBITMQ_URL}: {exc!r}")
    # Waits while a test of another run uses the broker: it would delete our queues.
    with _holding("rabbitmq"):
        _empty_once_per_session()
        try:
            yield RABBITMQ_URL
        finally:
            delete_all_queues()


def queue_names() -> list[str]:
    """The queues of the default vhost, from `rabbitmqctl` (about 1 s: it boots Erlang).

    Raises:
        RuntimeError: rabbitmqctl is missing or fails; there is no way to list queues over
            AMQP, so a test could not be isolated.
    """
    rabbitmqctl = shutil.which("rabbitmqctl", path="/usr/sbin:/usr/bin:/sbin")
    if rabbitmqctl is None:
        raise RuntimeError("rabbitmqctl not found: cannot empty RabbitMQ between tests")
    processes.become_subreaper()
    done = subprocess.run(
        [rabbitmqctl, "-q", "list_queues", "--no-table-headers", "name"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    # Its Erlang VM leaves two resolver helpers behind; adopted here, they are reaped here.
    helpers = [p for p in processes.children(os.getpid()) if processes.comm(p) == "inet_gethost"]
    processes.reap(helpers, timeout=10)
    if done.returncode != 0:
        raise RuntimeError(f"rabbitmqctl list_queues failed: {done.stderr.strip()}")
    return [line.strip() for line in done.stdout.splitlines() if line.strip()]


def delete_all_queues() -> None:
    """Delete every queue of the default vhost, with its messages."""
    names = queue_names()
    if not names:
        return
    connection = pika.BlockingConnection(_rabbitmq_parameters())
    try:
        channel = connection.channel()
        for name in names:
            channel.queue_delete(name)
    finally:
        connection.close()


@functools.cache
def _empty_once_per_session() -> None:
    # After that, each test deletes its own queues when it ends.
    delete_all_queues()


def _rabbitmq_parameters() -> pika.URLParameters:
    parameters = pika.URLParameters(RABBITMQ_URL)
    parameters.socket_timeout = 3
    parameters.blocked_connection_timeout = 3
    parameters.connection_attempts = 1
    return parameters
