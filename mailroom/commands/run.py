"""`mailroom run`, `mailroom run --once`, `mailroom worker` and `mailroom demo`."""

from __future__ import annotations

import email
import email.policy
import logging
import shutil
import signal
import sys
import threading
from pathlib import Path

import click

from mailroom.catalog_import import import_files
from mailroom.errors import ConfigError
from mailroom.mailbox import open_mailbox, require_configured
from mailroom.runtime import Runtime, open_runtime
from mailroom.service import Service, Summary
from mailroom.settings import Settings, load_settings, redact

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"


def setup_logging(verbose: bool = False) -> None:
    logging.basicConfig(
        level=logging.DEBUG if verbose else logging.INFO,
        format="%(asctime)s %(levelname)-7s %(message)s",
        datefmt="%H:%M:%S",
        stream=sys.stderr,
    )
    for noisy in ("dramatiq", "pika", "alembic", "pdfminer", "imapclient"):
        logging.getLogger(noisy).setLevel(logging.WARNING if not verbose else logging.INFO)
    # A failing job's traceback is kept with its item in the clerks' queue; on the terminal
    # one line per failure is enough.
    logging.getLogger("dramatiq.worker.WorkerThread").setLevel(
        logging.ERROR if verbose else logging.CRITICAL
    )
    logging.getLogger("mailroom.actions.outbox").setLevel(
        logging.DEBUG if verbose else logging.WARNING
    )


def stop_on_signals() -> threading.Event:
    """An event set by SIGINT or SIGTERM: finish the work in hand, then exit 0."""
    stop = threading.Event()

    def handle(signum: int, _frame: object) -> None:
        logging.getLogger("mailroom").info("stopping (%s)", signal.Signals(signum).name)
        stop.set()

    signal.signal(signal.SIGINT, handle)
    signal.signal(signal.SIGTERM, handle)
    return stop


def run_once(runtime: Runtime) -> Summary:
    service = Service(runtime, open_mailbox(runtime))
    return service.run_once()


@click.command()
@click.option("--once", is_flag=True, help="Fetch what is new, work it off, send, then exit.")
@click.option("--verbose", "-v", is_flag=True, help="Say more about each step.")
def run(once: bool, verbose: bool) -> None:
    """The whole service in one process: mailbox, workers, replies, periodic jobs."""
    setup_logging(verbose)
    settings = load_settings()
    require_configured(settings)
    runtime = open_runtime(settings)
    try:
        if once:
            summary = run_once(runtime)
            _print(summary)
            if summary.waiting:
                click.echo(
                    f"{summary.waiting} replies wait in the outbox for the next run", err=True
                )
                sys.exit(1)
            return
        stop = stop_on_signals()
        mailbox = open_mailbox(runtime)
        _describe(settings)
        Service(runtime, mailbox).run_forever(stop)
    finally:
        runtime.close()


@click.command()
@click.option("--verbose", "-v", is_flag=True)
def worker(verbose: bool) -> None:
    """Dramatiq workers only, for scaling out with MAILROOM_BROKER_URL."""
    setup_logging(verbose)
    settings = load_settings()
    if not settings.broker_url:
        raise ConfigError(
            "mailroom worker needs MAILROOM_BROKER_URL (amqp://... or redis://...); "
            "without a broker, `mailroom run` does all the work in one process"
        )
    runtime = open_runtime(settings)
    stop = stop_on_signals()
    service = Service(runtime, None)
    service.start_workers()
    logging.getLogger("mailroom").info(
        "working jobs from %s with %d threads", redact(settings.broker_url), settings.worker_threads
    )
    try:
        stop.wait()
    finally:
        service.stop_workers()
        runtime.close()


@click.command()
@click.option("--home", type=click.Path(path_type=Path), default=None, help="Default: ./var/demo")
def demo(home: Path | None) -> None:
    """Process the sample mails in fixtures/demo end to end and show where replies went."""
    setup_logging()
    home = home or load_settings().home / "demo"
    shutil.rmtree(home, ignore_errors=True)
    maildir = home / "maildir"
    (maildir / "new").mkdir(parents=True)
    samples = sorted((FIXTURES / "demo").glob("*.eml"))
    for sample in samples:
        shutil.copy(sample, maildir / "new" / sample.name)
    settings = load_settings(
        home=home, maildir=str(maildir), imap_url="", smtp_url="", database_url="", broker_url=""
    )
    runtime = open_runtime(settings)
    try:
        _import_demo_catalog(runtime)
        summary = run_once(runtime)
    finally:
        runtime.close()
    click.echo(f"\nmailroom demo: {len(samples)} sample mails from {FIXTURES / 'demo'}")
    _print(summary)
    click.echo(f"\nreplies written to {settings.outbox_dir}:")
    for path in sorted(settings.outbox_dir.glob("*.eml"), key=lambda p: p.stat().st_mtime):
        click.echo(_describe_reply(path))
    home_env = f"MAILROOM_HOME={home}"
    click.echo(f"\nlook closer:  {home_env} mailroom orders list | quotes list | queue list")
    click.echo(f"              {home_env} mailroom parse {FIXTURES / 'demo'}")


def _describe_reply(path: Path) -> str:
    """One line for a reply file: to whom, the subject, and what is attached."""
    message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
    files = [part.get_filename() for part in message.iter_attachments()]
    attached = f"  [{', '.join(str(f) for f in files)}]" if files else ""
    return f"  {message['To']}: {message['Subject']}{attached}\n    {path.name}"


def _import_demo_catalog(runtime: Runtime) -> None:
    files = sorted((FIXTURES / "catalog").glob("*.csv"))
    with runtime.work() as work:
        import_files(work.session, files)


def _describe(settings: Settings) -> None:
    log = logging.getLogger("mailroom")
    log.info("mailbox: %s", redact(settings.imap_url) or settings.maildir)
    log.info("database: %s", redact(settings.db_url))
    log.info(
        "broker: %s",
        redact(settings.broker_url)
        or f"jobs in the database, worked by {settings.worker_processes} processes",
    )
    log.info("replies: %s", redact(settings.smtp_url) or f"files in {settings.outbox_dir}")


def _print(summary: Summary) -> None:
    for line in summary.lines():
        click.echo(line)
