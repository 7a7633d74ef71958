"""Reading new mail from a Maildir folder (`MAILROOM_MAILDIR`): for tests, demos and exports.

New mail sits in `new/`; once a mail is stored and committed it moves to `cur/`, the Maildir
way of saying "seen by a program". The content hash in the ledger makes a re-read harmless.
"""

from __future__ import annotations

import logging
import os
import threading
from pathlib import Path

from mailroom.actions.intake import mail_received
from mailroom.errors import ConfigError
from mailroom.mailbox import MailboxStatus, oversized
from mailroom.runtime import Runtime
from store.mail import Location, store_mails

log = logging.getLogger(__name__)
BATCH = 200


class MaildirMailbox:
    def __init__(self, runtime: Runtime) -> None:
        self.runtime = runtime
        self.root = Path(runtime.settings.maildir).expanduser().resolve()
        if not self.root.is_dir():
            raise ConfigError(f"MAILROOM_MAILDIR {self.root} is not a folder")
        for sub in ("new", "cur", "tmp"):
            (self.root / sub).mkdir(exist_ok=True)
        self.name = f"maildir:{self.root}"
        self._ingested = 0

    def fetch_new(self) -> list[int]:
        files = sorted(p for p in (self.root / "new").iterdir() if p.is_file())
        new_ids: list[int] = []
        for start in range(0, len(files), BATCH):
            new_ids += self._store(files[start : start + BATCH])
        return new_ids

    def _store(self, files: list[Path]) -> list[int]:
        limit = self.runtime.settings.max_mail_bytes
        where = Location(self.name, "INBOX")
        found = [(raw, where, error) for raw, error in (_read(path, limit) for path in files)]
        with self.runtime.work() as work:
            new_ids = store_mails(work.session, found)
            for mail_id in new_ids:
                work.send_after_commit(mail_received, mail_id)
        for path in files:  # after the commit: the Maildir's own "seen by a program"
            os.replace(path, self.root / "cur" / f"{path.name.split(':', 1)[0]}:2,")
        self._ingested += len(files)
        return new_ids

    def mark_done(self) -> int:
        return 0

    def wait(self, seconds: float, stop: threading.Event) -> None:
        stop.wait(min(seconds, 1.0))

    def status(self) -> MailboxStatus:
        waiting = sum(1 for p in (self.root / "new").iterdir() if p.is_file())
        return MailboxStatus(
            self.name, on_server=None, ingested=self._ingested, not_ingested=waiting
        )

    def close(self) -> None:
        pass


def _read(path: Path, limit: int) -> tuple[bytes, str | None]:
    size = path.stat().st_size
    if size <= limit:
        return path.read_bytes(), None
    with path.open("rb") as handle:
        head = handle.read(256 * 1024)
    return oversized(head, size, limit)
