"""Benchmark the backbone: mails per second from fetch to reply, and delivery-to-reply delay.

Delivers N mails into a throw-away Dovecot, runs `mailroom run --once` in this process and
reports mails/s from the start of the run to the last reply accepted by SMTP. In the same run,
the same mails go through a plain pipeline (bench/plain.py: fetch, `parse_mail`, reply over
one SMTP connection, no database or queue) into the same kind of sink, and the ratio of the
two is printed. Then it runs the service with IDLE and delivers mails one by one at a steady
rate, reporting the median and 95th-percentile delay from delivery to reply. Run it for the
embedded default and for PostgreSQL + RabbitMQ:

    python bench/pipeline.py                      # embedded: SQLite + in-process broker
    python bench/pipeline.py --distributed        # PostgreSQL + RabbitMQ on this machine
    python bench/pipeline.py --distributed --workers 2   # the jobs in 2 `mailroom worker`s
    python bench/pipeline.py --processes 2        # embedded, jobs worked in 2 processes
    python bench/pipeline.py -n 200 --rate 20     # smaller
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.plain import plain_pipeline  # noqa: E402
from mailroom.mailbox import open_mailbox  # noqa: E402
from mailroom.runtime import open_runtime  # noqa: E402
from mailroom.service import Service  # noqa: E402
from mailroom.settings import load_settings  # noqa: E402
from tests.servers import free_port  # noqa: E402
from tests.servers.brokers import rabbitmq_namespace  # noqa: E402
from tests.servers.databases import fresh_postgres_database  # noqa: E402
from tests.servers.dovecot import DovecotServer  # noqa: E402
from tests.support import mail  # noqa: E402

SINK_SCRIPT = """
import sys, time
from aiosmtpd.controller import Controller


class Handler:
    async def handle_DATA(self, server, session, envelope):
        now = time.monotonic()
        for line in (envelope.original_content or b"").split(b"\\r\\n"):
            if line.lower().startswith(b"in-reply-to:"):
                key = line.split(b":", 1)[1].strip().strip(b"<>").decode()
                print(key, now, flush=True)
                break
        return "250 OK"

controller = Controller(Handler(), hostname="127.0.0.1", port=int(sys.argv[1]))
controller.start()
print("ready", flush=True)
sys.stdin.read()
controller.stop()
"""


class TimingSink:
    """An SMTP server in its own process (so it does not share our GIL) that notes when the
    reply to each original Message-ID arrived, on the machine-wide monotonic clock."""

    def __init__(self) -> None:
        self.arrived: dict[str, float] = {}
        self.lock = threading.Condition()
        port = free_port()
        self.process = subprocess.Popen(
            [sys.executable, "-c", SINK_SCRIPT, str(port)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert self.process.stdout is not None
        if self.process.stdout.readline().strip() != "ready":
            raise SystemExit("the SMTP sink did not start")
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()
        self.url = f"smtp://127.0.0.1:{port}"

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            key, when = line.split()
            with self.lock:
                self.arrived[key] = float(when)
                self.lock.notify_all()

    def wait_for(self, count: int, timeout: float) -> None:
        with self.lock:
            if not self.lock.wait_for(lambda: len(self.arrived) >= count, timeout=timeout):
                raise SystemExit(f"only {len(self.arrived)} of {count} replies arrived")

    def stop(self) -> None:
        assert self.process.stdin is not None
        self.process.stdin.close()
        self.process.wait(timeout=30)


def settings(home: Path, dovecot: DovecotServer, sink: TimingSink, extra: dict) -> dict:
    return {
        "home": home,
        "imap_url": dovecot.url(),
        "smtp_url": sink.url,
        "from_address": "orders@bench.example",
        "imap_poll_seconds": 60,
        "reply_cap": 10**6,
        **extra,
    }


KINDS = {
    # An order from a sender the catalog does not know: parsed, checked, held, acknowledged.
    "order": ("PO-{n}", "Please send {n} pcs of HX-2040."),
    # A question: parsed and acknowledged; the backbone's own cost.
    "question": ("Question {n}", "Hello, do you also sell stainless steel versions? Laura"),
}
KIND = "order"
WORKERS = 0  # `mailroom worker` processes doing the jobs; 0: the service's own threads
ROOT = Path(__file__).resolve().parents[1]


class WorkerProcesses:
    """`mailroom worker` processes on the bench's database and broker, started and stopped
    around one measurement, so the service process only fetches."""

    def __init__(self, count: int, home: str, sink: TimingSink, extra: dict) -> None:
        env = {k: v for k, v in os.environ.items() if not k.startswith("MAILROOM_")}
        env.update(
            MAILROOM_HOME=home,
            MAILROOM_DATABASE_URL=extra["database_url"],
            MAILROOM_BROKER_URL=extra["broker_url"],
            MAILROOM_SMTP_URL=sink.url,
            MAILROOM_FROM="orders@bench.example",
            MAILROOM_REPLY_CAP=str(10**6),
        )
        if "worker_threads" in extra:
            env["MAILROOM_WORKER_THREADS"] = str(extra["worker_threads"])
        self.processes = [
            subprocess.Popen(
                [sys.executable, "-m", "mailroom", "worker"],
                env=env,
                cwd=ROOT,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
                text=True,
            )
            for _ in range(count)
        ]
        for process in self.processes:
            assert process.stderr is not None
            line = ""
            while "working jobs" not in line and process.poll() is None:
                line = process.stderr.readline()
            if process.poll() is not None:
                raise SystemExit(f"mailroom worker did not start: {process.stderr.read()}")
            # Keep reading its log, or a full pipe would stop the worker at its next line.
            threading.Thread(target=process.stderr.read, daemon=True).start()

    def stop(self) -> None:
        for process in self.processes:
            process.terminate()
        for process in self.processes:
            process.communicate(timeout=60)


def service(runtime, mailbox) -> Service:
    return Service(runtime, mailbox, local_workers=WORKERS == 0)


def customer_mail(n: int) -> tuple[str, bytes]:
    message_id = f"{uuid.uuid4().hex}@customer.example"
    subject, body = KINDS[KIND]
    raw = mail(
        f"buyer{n}@customer{n % 97}.example",
        subject.format(n=n),
        body.format(n=n),
        Message_ID=f"<{message_id}>",
    )
    return message_id, raw


def throughput(count: int, extra: dict) -> float:
    """mailroom's mails/s: from the start of `run --once` to the last reply at the sink."""
    with DovecotServer() as dovecot, tempfile.TemporaryDirectory() as home:
        sink = TimingSink()
        dovecot.deliver_many([customer_mail(n)[1] for n in range(count)])
        runtime = open_runtime(load_settings(**settings(Path(home), dovecot, sink, extra)))
        workers = WorkerProcesses(WORKERS, home, sink, extra) if WORKERS else None
        try:
            started = time.monotonic()
            service(runtime, open_mailbox(runtime)).run_once()
            sink.wait_for(count, timeout=600)
            elapsed = max(sink.arrived.values()) - started
        finally:
            if workers:
                workers.stop()
            runtime.close()
            sink.stop()
    return count / elapsed


def plain_throughput(count: int) -> float:
    """The plain pipeline's mails/s on the same kind of mails, Dovecot and sink."""
    with DovecotServer() as dovecot:
        sink = TimingSink()
        dovecot.deliver_many([customer_mail(n)[1] for n in range(count)])
        try:
            started = time.monotonic()
            plain_pipeline("127.0.0.1", dovecot.port, dovecot.user, dovecot.password, sink.url)
            sink.wait_for(count, timeout=600)
            elapsed = max(sink.arrived.values()) - started
        finally:
            sink.stop()
    return count / elapsed


def delays(count: int, rate: float, extra: dict) -> list[float]:
    with DovecotServer() as dovecot, tempfile.TemporaryDirectory() as home:
        sink = TimingSink()
        runtime = open_runtime(load_settings(**settings(Path(home), dovecot, sink, extra)))
        workers = WorkerProcesses(WORKERS, home, sink, extra) if WORKERS else None
        stop = threading.Event()
        loop = service(runtime, open_mailbox(runtime))
        thread = threading.Thread(target=loop.run_forever, args=(stop,))
        thread.start()
        delivered: dict[str, float] = {}
        try:
            time.sleep(1.0)  # let the service reach IDLE: the bench measures steady state
            for n in range(count):
                message_id, raw = customer_mail(n)
                delivered[message_id] = time.monotonic()
                dovecot.deliver(raw)
                time.sleep(max(0.0, delivered[message_id] + 1 / rate - time.monotonic()))
            sink.wait_for(count, timeout=600)
        finally:
            stop.set()
            thread.join()
            if workers:
                workers.stop()
            runtime.close()
            sink.stop()
    return [sink.arrived[k] - delivered[k] for k in delivered]


def run(args: argparse.Namespace, mode: str, extra: dict) -> None:
    mode = f"{mode}, {args.mails} mails"
    plain = plain_throughput(args.n)
    print(f"plain pipeline, {args.mails} mails: {args.n} mails, {plain:.0f} mails/s", flush=True)
    rate = throughput(args.n, extra)
    print(
        f"{mode}: {args.n} mails, fetch to reply accepted: {rate:.0f} mails/s, "
        f"{rate / plain:.2f}x the plain pipeline",
        flush=True,
    )
    if not args.latency_mails:
        return
    seen = sorted(delays(args.latency_mails, args.rate, extra))
    p95 = seen[max(0, int(len(seen) * 0.95) - 1)]
    print(
        f"{mode}: {len(seen)} mails at {args.rate:g}/s with IDLE, delivery to reply: "
        f"median {statistics.median(seen) * 1000:.0f} ms, p95 {p95 * 1000:.0f} ms"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=1000, help="mails for the throughput run")
    parser.add_argument("--latency-mails", type=int, default=200)
    parser.add_argument("--rate", type=float, default=20.0, help="mails/s in the latency run")
    parser.add_argument("--distributed", action="store_true", help="PostgreSQL + RabbitMQ")
    parser.add_argument("--threads", type=int, default=None, help="worker threads")
    parser.add_argument(
        "--processes", type=int, default=None, help="embedded: processes working the jobs"
    )
    parser.add_argument(
        "--workers", type=int, default=0, help="with --distributed: mailroom worker processes"
    )
    parser.add_argument("--mails", choices=sorted(KINDS), default="order", help="what to send")
    args = parser.parse_args()
    global KIND, WORKERS
    KIND, WORKERS = args.mails, args.workers if args.distributed else 0
    threads = {"worker_threads": args.threads} if args.threads else {}
    if not args.distributed:
        processes = {"worker_processes": args.processes} if args.processes else {}
        count = args.processes or load_settings().worker_processes
        run(
            args,
            f"embedded (SQLite, jobs in the database, {count} processes)",
            {**threads, **processes},
        )
        return
    with fresh_postgres_database() as url, rabbitmq_namespace() as broker:
        extra = {"database_url": url, "broker_url": broker, **threads}
        who = f"{WORKERS} worker processes" if WORKERS else "the service's threads"
        run(args, f"distributed (PostgreSQL, RabbitMQ, {who})", extra)


if __name__ == "__main__":
    main()
