"""Message brokers for tests: the machine's RabbitMQ and Redis, emptied around each test.

Both run on loopback before the session starts. Redis: the suite owns one database number
and flushes it before and after each test. RabbitMQ: every queue of the default vhost is
deleted when the suite first uses it and after each test, so each test starts empty.
"""

from __future__ import annotations

import contextlib
import functools
import os
import shutil
import subprocess
from collections.abc import Iterator

import pika
import pika.exceptions
import redis

from . import processes, server_missing

RABBITMQ_URL = "amqp://guest:guest@127.0.0.1:5672/"
REDIS_SERVER = "redis://127.0.0.1:6379"
# The highest database numbers are the least likely to hold anything else; a parallel
# worker (pytest-xdist `gwN`) takes its own number below.
REDIS_TEST_DB = 15


def redis_test_url() -> str:
    """The URL of the Redis database this test process owns."""
    worker = os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw")
    number = REDIS_TEST_DB - (int(worker) if worker.isdigit() else 0) % REDIS_TEST_DB
    return f"{REDIS_SERVER}/{number}"


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
        client.flushdb()
    finally:
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
