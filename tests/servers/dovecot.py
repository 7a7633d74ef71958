"""A throw-away Dovecot IMAP server for tests, run as a child process on a free loopback port.

Nothing under /etc/dovecot is read: the server lives in its own folder (config, users, mail).
Dovecot runs in the foreground (`-F`) as our child and is stopped with SIGTERM; daemonised,
its orphans would never be reaped on these machines and a restart would refuse to run. This
process becomes a child subreaper, so Dovecot's own children are reaped here too.
"""

from __future__ import annotations

import atexit
import contextlib
import grp
import os
import pwd
import re
import shutil
import signal
import socket
import string
import subprocess
import tempfile
import time
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from types import TracebackType
from urllib.parse import quote

from imapclient import IMAPClient

from . import free_port, processes

DOVECOT = shutil.which("dovecot", path="/usr/sbin:/usr/bin:/sbin") or "/usr/sbin/dovecot"
DOVEADM = shutil.which("doveadm", path="/usr/bin:/usr/sbin") or "/usr/bin/doveadm"
INSTANCE = "mailroom-test"
START_TIMEOUT = 10.0
STOP_TIMEOUT = 10.0
_APPENDUID = re.compile(rb"APPENDUID \d+ ([0-9:,]+)")
_TITLE = f"dovecot-{INSTANCE}/".encode()

CONFIG = Path(__file__).with_name("dovecot.conf.in")


class DovecotError(RuntimeError):
    """Dovecot did not start, stop or answer as expected; the message quotes its log."""


class DovecotServer:
    """One Dovecot instance with its own folder, users and mail.

    `user` and `password` name the default account; every method that takes `user=` uses it
    when none is given. Use it as a context manager, or call `start()` and `close()`.
    """

    def __init__(self, root: Path | None = None, user: str = "mailroom", password: str = "secret"):
        self._owns_root = root is None
        self.root = Path(root) if root else Path(tempfile.mkdtemp(prefix="mailroom-dovecot-"))
        self.port = free_port()
        self.user = user
        self.password = password
        self._passwords: dict[str, str] = {}
        self._process: subprocess.Popen[bytes] | None = None
        self._started = False
        self._prepare_root()
        self.add_user(user, password)

    # -- lifecycle ----------------------------------------------------------------------------

    @property
    def running(self) -> bool:
        """Whether the Dovecot master process is alive."""
        return self._process is not None and self._process.poll() is None

    def start(self) -> DovecotServer:
        """Start Dovecot and wait until it greets a client (30-40 ms).

        Raises:
            DovecotError: it exited or did not greet within START_TIMEOUT seconds.
        """
        if self.running:
            return self
        for attempt in range(3):
            try:
                self._launch()
                self._started = True
                return self
            except DovecotError:
                # Only a first start may move: another process may have taken the free port
                # between the probe and the bind. A restart must keep its port.
                if self._started or attempt == 2:
                    raise
                self.port = free_port()
        raise AssertionError("unreachable")

    def stop(self) -> None:
        """Drop every client, stop Dovecot and reap all its processes. Mail is kept."""
        process = self._process
        if process is None:
            return
        family = processes.children(process.pid)
        if process.poll() is None:
            # Sessions first: with a client still connected the master lingers for a second.
            self.kill_connections()
            process.send_signal(signal.SIGTERM)
            # The log process, too, waits a second for its clients; its last lines don't matter.
            processes.signal_all([p for p in family if processes.comm(p) == "log"], signal.SIGTERM)
            try:
                process.wait(STOP_TIMEOUT)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        self._process = None
        _RUNNING.discard(self)
        # A zombie's command line is empty, so children that exited early are known from
        # `family`; children started since are found by their process title.
        titled = [
            p for p in processes.children(os.getpid()) if processes.cmdline(p).startswith(_TITLE)
        ]
        processes.reap({*family, *titled}, STOP_TIMEOUT)

    def restart(self) -> None:
        """Stop and start again on the same port with the same mail, as after an upgrade."""
        self.stop()
        self.start()

    def close(self) -> None:
        """Stop the server and delete its folder if this object created it."""
        self.stop()
        if self._owns_root:
            shutil.rmtree(self.root, ignore_errors=True)

    def __enter__(self) -> DovecotServer:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    # -- accounts -----------------------------------------------------------------------------

    @property
    def config_path(self) -> Path:
        return self.root / "dovecot.conf"

    @property
    def log(self) -> str:
        """Dovecot's log so far, to quote in a failure message."""
        path = self.root / "dovecot.log"
        return path.read_text(errors="replace") if path.exists() else ""

    def add_user(self, name: str, password: str) -> None:
        """Create an account; Dovecot sees it at the next login, no restart needed.

        Raises:
            ValueError: the name or password cannot be written to a passwd-file.
        """
        if not name or any(c in name for c in ":\n/ ") or any(c in password for c in ":\n"):
            raise ValueError(f"unusable IMAP account {name!r}")
        if name in self._passwords:
            raise ValueError(f"IMAP account {name!r} exists already")
        self._passwords[name] = password
        (self.root / "users" / name).write_text(f"{name}:{{PLAIN}}{password}\n")

    def url(self, folder: str = "INBOX", user: str | None = None) -> str:
        """`imap://user:password@127.0.0.1:PORT/FOLDER` for an account (default: `self.user`)."""
        name = user or self.user
        secret = quote(self._passwords[name], safe="")
        return f"imap://{quote(name, safe='')}:{secret}@127.0.0.1:{self.port}/{quote(folder)}"

    @contextlib.contextmanager
    def client(self, user: str | None = None) -> Iterator[IMAPClient]:
        """A logged-in IMAPClient for an account, logged out at the end of the block."""
        name = user or self.user
        imap = IMAPClient("127.0.0.1", port=self.port, ssl=False, timeout=10)
        try:
            imap.login(name, self._passwords[name])
            yield imap
        finally:
            with contextlib.suppress(Exception):
                imap.logout()

    # -- mail ---------------------------------------------------------------------------------

    def deliver(
        self,
        raw: bytes,
        folder: str = "INBOX",
        user: str | None = None,
        flags: Sequence[str] = (),
    ) -> int:
        """Put one mail into a folder (created if missing) with IMAP APPEND.

        Returns:
            The UID the server gave the mail.
        """
        with self.client(user) as imap:
            _ensure_folder(imap, folder)
            answer = imap.append(folder, raw, flags=tuple(flags))
        return _appended_uids(answer)[-1]

    def deliver_many(
        self, raws: Iterable[bytes], folder: str = "INBOX", user: str | None = None
    ) -> list[int]:
        """Put many mails into a folder in one MULTIAPPEND over one connection.

        Returns:
            The UIDs the server gave the mails, in order.
        """
        messages = list(raws)
        if not messages:
            return []
        with self.client(user) as imap:
            _ensure_folder(imap, folder)
            _, lines = imap.multiappend(folder, messages)
        uids = _appended_uids(lines[-1])
        if len(uids) != len(messages):
            raise DovecotError(f"appended {len(messages)} mails, server reported {uids}")
        return uids

    def message_count(self, folder: str = "INBOX", user: str | None = None) -> int:
        """How many mails a folder holds."""
        return self._status(folder, user, b"MESSAGES")

    def uidvalidity(self, folder: str = "INBOX", user: str | None = None) -> int:
        """The UIDVALIDITY the server reports for a folder."""
        return self._status(folder, user, b"UIDVALIDITY")

    def flags(self, uid: int, folder: str = "INBOX", user: str | None = None) -> set[str]:
        """All flags and keywords of one mail (`\\Seen`, `$MailroomDone`, ...)."""
        with self.client(user) as imap:
            imap.select_folder(folder, readonly=True)
            found = imap.get_flags([uid])
        if uid not in found:
            raise DovecotError(f"no mail with UID {uid} in {folder}")
        return {f.decode() if isinstance(f, bytes) else str(f) for f in found[uid]}

    def keywords(self, uid: int, folder: str = "INBOX", user: str | None = None) -> set[str]:
        """The keywords of one mail: its flags without the `\\` system flags."""
        return {f for f in self.flags(uid, folder, user) if not f.startswith("\\")}

    def _status(self, folder: str, user: str | None, item: bytes) -> int:
        with self.client(user) as imap:
            return int(imap.folder_status(folder, [item])[item])

    # -- faults -------------------------------------------------------------------------------

    def reset_uidvalidity(self, folder: str = "INBOX", user: str | None = None) -> int:
        """Make the server report a new UIDVALIDITY for a folder, keeping its mails.

        Dovecot forgets the folder's UID list and indexes while stopped and renumbers the
        mails from 1 at the next start, as a server does after a restore or migration.

        Returns:
            The new UIDVALIDITY.

        Raises:
            DovecotError: the server still reports the old value.
        """
        name = user or self.user
        before = self.uidvalidity(folder, name)
        path = Path(self._doveadm("mailbox", "path", "-u", name, folder).strip())
        self.stop()
        stale = [path / "dovecot-uidlist", *path.glob("dovecot.index*")]
        # The folder list index caches UIDVALIDITY for STATUS; it is rebuilt from disk.
        stale += (self.root / "mail" / name).glob("dovecot.list.index*")
        for file in stale:
            file.unlink(missing_ok=True)
        self.start()
        after = self.uidvalidity(folder, name)
        if after == before:
            raise DovecotError(f"UIDVALIDITY of {folder} stayed {before} after the reset")
        return after

    def kill_connections(self) -> int:
        """Drop every client connection at once, as a crashing or restarting server does.

        Returns:
            How many IMAP sessions were dropped.
        """
        if not self.running or self._process is None:
            return 0
        children = processes.children(self._process.pid)
        sessions = [pid for pid in children if processes.comm(pid) == "imap"]
        # Returns once each is gone: its socket is closed by then, so every client sees it.
        processes.terminate(sessions, STOP_TIMEOUT)
        return len(sessions)

    # -- internals ----------------------------------------------------------------------------

    def _launch(self) -> None:
        if not os.access(DOVECOT, os.X_OK):
            raise DovecotError(f"{DOVECOT} is missing: scripts/test.sh installs dovecot-imapd")
        processes.become_subreaper()
        self._write_config()
        (self.root / "run" / "master.pid").unlink(missing_ok=True)
        self._process = subprocess.Popen(
            [DOVECOT, "-F", "-c", str(self.config_path)],
            stdin=subprocess.DEVNULL,
            preexec_fn=processes.die_with_parent,
        )
        _RUNNING.add(self)
        try:
            self._wait_for_greeting()
        except DovecotError:
            self.stop()
            raise

    def _prepare_root(self) -> None:
        mail = self.root / "mail"
        for folder in (
            self.root,
            self.root / "run",
            self.root / "state",
            self.root / "users",
            mail,
        ):
            folder.mkdir(parents=True, exist_ok=True)
        # The mail belongs to the unprivileged mail user, who must reach it through every
        # parent folder; tempfile and pytest folders are 0700.
        self.root.chmod(0o755)
        for parent in self.root.parents:
            if parent.stat().st_mode & 0o001 == 0:
                parent.chmod(parent.stat().st_mode | 0o001)
        if os.geteuid() == 0:
            shutil.chown(mail, "nobody", "nogroup")

    def _write_config(self) -> None:
        if os.geteuid() == 0:
            uid, gid, non_root, chroot = "nobody", "nogroup", "", ""
        else:
            # As an ordinary user Dovecot cannot switch users or chroot: it runs as us.
            uid, gid = str(os.geteuid()), str(os.getegid())
            me = pwd.getpwuid(os.geteuid()).pw_name
            group = grp.getgrgid(os.getegid()).gr_name
            non_root = (
                f"default_internal_user = {me}\ndefault_internal_group = {group}\n"
                f"default_login_user = {me}\nfirst_valid_uid = {uid}"
            )
            chroot = "chroot ="
        self.config_path.write_text(
            string.Template(CONFIG.read_text()).substitute(
                root=self.root,
                instance=INSTANCE,
                port=self.port,
                uid=uid,
                gid=gid,
                non_root=non_root,
                chroot=chroot,
            )
        )

    def _wait_for_greeting(self) -> None:
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if not self.running:
                raise DovecotError(f"dovecot exited at start:\n{self.log[-2000:]}")
            if _greets(self.port, deadline - time.monotonic()):
                return
            # Not listening yet: look again in 5 ms, or at once if the master exits meanwhile.
            processes.wait_exited([self._process.pid] if self._process else [], 0.005)
        raise DovecotError(f"dovecot did not greet within {START_TIMEOUT}s:\n{self.log[-2000:]}")

    def _doveadm(self, *args: str) -> str:
        done = subprocess.run(
            [DOVEADM, "-c", str(self.config_path), *args],
            capture_output=True,
            text=True,
            timeout=30,
        )
        if done.returncode != 0:
            raise DovecotError(f"doveadm {' '.join(args)} failed: {done.stderr.strip()}")
        return done.stdout


def _ensure_folder(imap: IMAPClient, folder: str) -> None:
    if folder.upper() != "INBOX" and not imap.folder_exists(folder):
        imap.create_folder(folder)


def _appended_uids(answer: bytes) -> list[int]:
    """The UIDs of an APPENDUID response code: `[APPENDUID 17 4:6,9]` gives [4, 5, 6, 9]."""
    match = _APPENDUID.search(answer)
    if match is None:
        raise DovecotError(f"no APPENDUID in the APPEND answer {answer!r}")
    uids: list[int] = []
    for part in match.group(1).decode().split(","):
        first, _, last = part.partition(":")
        low, high = sorted((int(first), int(last or first)))
        uids.extend(range(low, high + 1))
    return uids


def _greets(port: int, timeout: float) -> bool:
    """Whether an IMAP greeting arrives; it comes once the login and auth processes run."""
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=max(timeout, 0.01)) as conn:
            return conn.recv(64).startswith(b"* OK")
    except OSError:
        return False


_RUNNING: set[DovecotServer] = set()


@atexit.register
def _stop_all() -> None:
    # Fixture finalizers stop servers normally; this covers an interrupted session.
    for server in list(_RUNNING):
        with contextlib.suppress(Exception):
            server.stop()
