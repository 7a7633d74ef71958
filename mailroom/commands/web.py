"""`mailroom web`: the clerks' web interface, served by uvicorn."""

from __future__ import annotations

import contextlib
import signal
from collections.abc import Iterator

import click
import uvicorn

from mailroom.commands.run import setup_logging
from mailroom.runtime import Runtime, open_runtime
from mailroom.settings import load_settings


def make_server(runtime: Runtime, host: str, port: int) -> uvicorn.Server:
    """A uvicorn server for the web app over `runtime` (call `.run()`, stop by `.should_exit`)."""
    from mailroom.web.app import create_app

    config = uvicorn.Config(
        create_app(runtime),
        host=host,
        port=port,
        log_level="warning",
        access_log=False,
        proxy_headers=True,
        server_header=False,
        lifespan="off",
    )
    return _Server(config)


class _Server(uvicorn.Server):
    """uvicorn's server without its own signal handling (it re-raises the signal at the end,
    which would skip closing the workers and the database); `mailroom web` stops it itself.
    """

    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        yield


def _stop_on_signals(server: uvicorn.Server) -> None:
    """SIGINT or SIGTERM: finish the requests in hand, close everything, exit 0."""

    def stop(_signum: int, _frame: object) -> None:
        server.should_exit = True

    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8025, show_default=True, type=click.IntRange(1, 65535))
def web(host: str, port: int) -> None:
    """The clerks' web interface (sign in with an account from `mailroom clerks add`).

    On the embedded default (no MAILROOM_BROKER_URL) this process also works jobs, such as
    what a clerk's decision starts (a reply to send, a mail to route again), beside any
    running `mailroom run`; with a shared broker the workers elsewhere do.
    """
    setup_logging()
    runtime = open_runtime(load_settings())
    from mailroom.service import Service

    service = Service(runtime, None)
    if not runtime.settings.broker_url:
        service.start_workers()
    server = make_server(runtime, host, port)
    _stop_on_signals(server)
    click.echo(f"mailroom web on http://{host}:{port}/ (Ctrl-C stops)", err=True)
    try:
        server.run()
    finally:
        service.stop_workers()
        runtime.close()
