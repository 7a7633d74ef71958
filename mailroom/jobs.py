"""Dramatiq wiring: how actors are declared, which broker carries them, and retry policy.

Actors are declared once, at import, on a placeholder broker; `bind()` moves them to the
broker the settings ask for: jobs in the service's own database by default
(`mailroom.database_broker`), RabbitMQ or Redis when `MAILROOM_BROKER_URL` is set. That
keeps every actor module free of configuration and lets tests start the service several
times in one process.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import TYPE_CHECKING, Any, ParamSpec, TypeVar

import dramatiq
from dramatiq.broker import MessageProxy
from dramatiq.brokers.stub import StubBroker
from dramatiq.middleware import (
    AgeLimit,
    Callbacks,
    CurrentMessage,
    Middleware,
    Pipelines,
    Retries,
    ShutdownNotifications,
    TimeLimit,
)
from sqlalchemy.engine import Engine

from mailroom.database_broker import DatabaseBroker
from mailroom.errors import ConfigError
from mailroom.pipeline import FOLLOW_UPS
from mailroom.settings import Settings, redact

if TYPE_CHECKING:
    from mailroom.runtime import Work

QUEUE = "mailroom"
EXHAUSTED = "jobs.exhausted"
# Lower runs first: a reply waiting to go out beats a new mail waiting to be read.
PRIORITY_SEND, PRIORITY_WORK = 0, 10

log = logging.getLogger(__name__)
P = ParamSpec("P")
R = TypeVar("R")

_placeholder = StubBroker()
ACTORS: list[dramatiq.Actor[Any, Any]] = []


def job(
    name: str, *, priority: int = PRIORITY_WORK, **options: Any
) -> Callable[[Callable[P, R]], dramatiq.Actor[P, R]]:
    """Declare a mailroom actor named `area.verb`; out of retries it lands in the clerks' queue."""

    def declare(fn: Callable[P, R]) -> dramatiq.Actor[P, R]:
        if name != EXHAUSTED:
            options.setdefault("on_retry_exhausted", EXHAUSTED)
        declare_on = dramatiq.actor(
            actor_name=name, queue_name=QUEUE, priority=priority, broker=_placeholder, **options
        )
        actor: dramatiq.Actor[P, R] = declare_on(fn)
        ACTORS.append(actor)
        return actor

    return declare


class FollowUps(Middleware):
    """Enqueues the step that follows an actor (`pipeline.FOLLOW_UPS`) once it succeeded.

    The actor has committed by then, so the follow-up sees its work. The follow-up takes
    the same arguments (an id) and is safe to run twice, as every actor is.
    """

    def __init__(self, follow_ups: dict[str, str]) -> None:
        self.follow_ups = follow_ups

    def after_process_message(
        self,
        broker: dramatiq.Broker,
        message: MessageProxy,
        *,
        result: Any | None = None,
        exception: BaseException | None = None,
    ) -> None:
        follow_up = self.follow_ups.get(message.actor_name)
        if exception is None and follow_up and message.options.get("documents", True):
            broker.enqueue(broker.get_actor(follow_up).message(*message.args))


def run_here(work: Work, actor: dramatiq.Actor[Any, Any], *args: Any, **options: Any) -> None:
    """Run the job `actor(*args)` now, in this thread and in `work`'s transaction.

    A step that is done with a mail hands it on this way when nothing has to follow (see
    `mailroom.actions.intake`): the worker that read the mail writes its reply in the same
    commit, and the queue is spared a job to write, claim and delete, the database a
    transaction. The step's own unit of work becomes a savepoint (`Runtime.work`). Should the
    step fail, that savepoint is rolled back and the step is queued with `options` in
    `work`, so its retries, and at their end the clerks' queue, take over as for any job.
    """
    try:
        actor(*args)
    except Exception:
        log.warning("%s%r failed; queued to be tried again", actor.actor_name, args, exc_info=True)
        work.send_after_commit(actor, *args, **options)


def make_broker(
    settings: Settings,
    engine: Engine,
    reader: Engine,
    writing: AbstractContextManager[Any],
) -> dramatiq.Broker:
    """The broker the settings ask for, with mailroom's middleware; actors bound to it.

    Without a broker URL the jobs live in the service's database (`DatabaseBroker` on
    `engine`, looking through `reader`, each write taking its turn through `writing`).

    Raises:
        ConfigError: the broker URL names a server that cannot be used.
    """
    middleware = [
        AgeLimit(),
        TimeLimit(time_limit=15 * 60 * 1000),
        ShutdownNotifications(),
        Callbacks(),
        Pipelines(),
        CurrentMessage(),
        FollowUps(FOLLOW_UPS),
        Retries(
            max_retries=settings.max_retries,
            min_backoff=settings.min_backoff_ms,
            max_backoff=60 * 60 * 1000,
        ),
    ]
    url = settings.broker_url
    broker: dramatiq.Broker
    try:
        if not url:
            broker = DatabaseBroker(engine, reader, writing, middleware=middleware)
        elif url.startswith(("amqp://", "amqps://")):
            from dramatiq.brokers.rabbitmq import RabbitmqBroker

            broker = RabbitmqBroker(url=url, middleware=middleware, confirm_delivery=True)
        else:
            from dramatiq.brokers.redis import RedisBroker

            broker = RedisBroker(url=url, middleware=middleware, namespace="mailroom")
        _bind(broker)
    except Exception as exc:
        raise ConfigError(f"MAILROOM_BROKER_URL {redact(url)} cannot be used: {exc}") from None
    return broker


def _bind(broker: dramatiq.Broker) -> None:
    import mailroom.actions  # noqa: F401  (declares every actor)

    for actor in ACTORS:
        actor.broker = broker
        broker.declare_actor(actor)
