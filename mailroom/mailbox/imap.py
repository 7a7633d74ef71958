"""Watching an IMAP folder: fetch new mail by UID, store it, and mark it once its work is done.

Bookkeeping is per UIDVALIDITY epoch (a new UIDVALIDITY starts from UID 1 again and the
content hash keeps known mail from doubling). `\\Seen` is never used or changed: people read
the same mailbox. IDLE tells us of new mail when the server has it; otherwise we poll.
"""

from __future__ import annotations

import logging
import socket
import ssl
import threading
import time
from typing import Any
from urllib.parse import unquote, urlsplit

from imapclient import IMAPClient
from imapclient.exceptions import IMAPClientError, LoginError

from mailroom.actions.intake import mail_received
from mailroom.errors import MailboxError
from mailroom.mailbox import MailboxStatus, oversized
from mailroom.runtime import Runtime
from mailroom.settings import url_credentials
from store import mail as ledger
from store.base import utcnow

log = logging.getLogger(__name__)
ERRORS = (OSError, IMAPClientError, socket.timeout, ssl.SSLError)


class ImapMailbox:
    def __init__(self, runtime: Runtime) -> None:
        self.runtime = runtime
        self.settings = settings = runtime.settings
        parts = urlsplit(settings.imap_url)
        self.tls = parts.scheme == "imaps"
        self.host = parts.hostname or "localhost"
        self.port = parts.port or (993 if self.tls else 143)
        self.user, self.password = url_credentials(settings.imap_url)
        self.folder = unquote(parts.path.lstrip("/")) or "INBOX"
        self.account = f"{parts.scheme}://{self.user}@{self.host}:{self.port}"
        self.name = f"{self.account}/{self.folder}"
        self.client: IMAPClient | None = None
        self.uidvalidity = 0
        self._status = MailboxStatus(self.name)

    # -- connection ---------------------------------------------------------------------

    def connect(self) -> IMAPClient:
        """Log in and select the folder (read-write, but nothing is fetched that sets \\Seen).

        Raises:
            MailboxError: unreachable (transient) or login refused (not transient).
        """
        if self.client is not None:
            return self.client
        try:
            client = IMAPClient(
                self.host, port=self.port, ssl=self.tls, timeout=self.settings.imap_timeout_seconds
            )
        except ERRORS as exc:
            raise MailboxError(f"cannot reach the mailbox {self.name}: {exc}") from None
        try:
            client.login(self.user, self.password)
            selected = client.select_folder(self.folder)
        except LoginError:
            _quietly_logout(client)
            raise MailboxError(
                f"the mailbox {self.name} refused the login for {self.user!r}: check the user "
                "and password in MAILROOM_IMAP_URL",
                transient=False,
            ) from None
        except ERRORS as exc:
            _quietly_logout(client)
            raise MailboxError(f"cannot open the folder {self.name}: {exc}") from None
        self.uidvalidity = int(selected[b"UIDVALIDITY"])
        self.client = client
        return client

    def close(self) -> None:
        if self.client is not None:
            _quietly_logout(self.client)
            self.client = None

    # -- fetching -----------------------------------------------------------------------

    def fetch_new(self) -> list[int]:
        """Store every mail above the epoch's last UID, one committed batch at a time."""
        client = self.connect()
        try:
            return self._fetch(client)
        except ERRORS as exc:
            self.close()
            raise MailboxError(f"lost the mailbox {self.name} while fetching: {exc}") from None

    def _fetch(self, client: IMAPClient) -> list[int]:
        with self.runtime.work() as work:
            last = ledger.mailbox_state(
                work.session, self.account, self.folder, self.uidvalidity
            ).last_uid
        uids = sorted(uid for uid in client.search(["UID", f"{last + 1}:*"]) if uid > last)
        new_ids: list[int] = []
        size = self.settings.imap_batch_size
        for start in range(0, len(uids), size):
            new_ids += self._fetch_batch(client, uids[start : start + size])
        self._count(client)
        return new_ids

    def _fetch_batch(self, client: IMAPClient, uids: list[int]) -> list[int]:
        limit = self.settings.max_mail_bytes
        sizes = client.fetch(uids, ["RFC822.SIZE"])
        small = [u for u in uids if int(sizes.get(u, {}).get(b"RFC822.SIZE", 0)) <= limit]
        large = [u for u in uids if u in sizes and u not in small]
        bodies = (
            {u: d.get(b"BODY[]") for u, d in client.fetch(small, ["BODY.PEEK[]"]).items()}
            if small
            else {}
        )
        heads = client.fetch(large, ["BODY.PEEK[HEADER]"]) if large else {}
        found = []
        for uid in uids:
            raw, error = self._content(uid, bodies, heads, sizes, limit)
            if raw is not None:  # else expunged between SEARCH and FETCH
                where = ledger.Location(self.account, self.folder, self.uidvalidity, uid)
                found.append((raw, where, error))
        with self.runtime.work() as work:
            state = ledger.mailbox_state(work.session, self.account, self.folder, self.uidvalidity)
            new_ids = ledger.store_mails(work.session, found)
            for mail_id in new_ids:
                work.send_after_commit(mail_received, mail_id)
            state.last_uid = max(state.last_uid, uids[-1])
        return new_ids

    @staticmethod
    def _content(
        uid: int, bodies: dict[int, Any], heads: dict[int, Any], sizes: dict[int, Any], limit: int
    ) -> tuple[bytes | None, str | None]:
        if uid in bodies:
            return bodies[uid], None
        if uid in heads:
            size = int(sizes[uid][b"RFC822.SIZE"])
            return oversized(heads[uid].get(b"BODY[HEADER]", b""), size, limit)
        return None, None

    def _count(self, client: IMAPClient) -> None:
        """Compare what the server holds with what the ledger has, and warn when they differ."""
        on_server = set(client.search(["ALL"]))
        with self.runtime.work() as work:
            known = ledger.ingested_uids(work.session, self.account, self.folder, self.uidvalidity)
            state = ledger.mailbox_state(work.session, self.account, self.folder, self.uidvalidity)
            state.server_count, state.last_fetch_at = len(on_server), utcnow()
            last = state.last_uid
        # Mail that arrived since our SEARCH is not missing yet: only count what we passed.
        missing = {uid for uid in on_server - known if uid <= last}
        self._status = MailboxStatus(self.name, len(on_server), len(known), len(missing))
        if missing:
            log.warning(
                "%s: %d mails on the server are not in the ledger (UIDs %s...)",
                self.name,
                len(missing),
                sorted(missing)[:5],
            )

    def status(self) -> MailboxStatus:
        return self._status

    # -- marking ------------------------------------------------------------------------

    def mark_done(self) -> int:
        """Keyword or move the mails whose work is durable, then note that they are marked."""
        action = self.settings.imap_done_action
        with self.runtime.read() as session:
            done = ledger.unmarked(session, self.account, self.folder, self.uidvalidity)
            uids, ids = [m.uid for m in done], [m.id for m in done]
        if not uids:
            return 0
        client = self.connect()
        try:
            if action == "keyword":
                client.add_flags(uids, [self.settings.imap_done_keyword.encode()])
            elif action == "move":
                self._move(client, uids)
        except ERRORS as exc:
            self.close()
            raise MailboxError(f"cannot mark mail on {self.name}: {exc}") from None
        with self.runtime.work() as work:
            ledger.set_marked(work.session, ids)
        return len(uids)

    def _move(self, client: IMAPClient, uids: list[int | None]) -> None:
        target = self.settings.imap_done_folder
        if not client.folder_exists(target):
            client.create_folder(target)
        if b"MOVE" in client.capabilities():
            client.move(uids, target)
        else:
            client.copy(uids, target)
            client.delete_messages(uids)
            client.uid_expunge(uids)

    # -- waiting ------------------------------------------------------------------------

    def wait(self, seconds: float, stop: threading.Event) -> None:
        """IDLE until the server announces mail, `seconds` pass or `stop` is set."""
        client = self.connect()
        if not (self.settings.imap_idle and client.has_capability("IDLE")):
            stop.wait(seconds)
            return
        deadline = time.monotonic() + seconds
        try:
            client.idle()
            while not stop.is_set() and time.monotonic() < deadline:
                responses = client.idle_check(
                    timeout=min(1.0, max(deadline - time.monotonic(), 0.01))
                )
                if any(r[1] in (b"EXISTS", b"RECENT") for r in responses if len(r) > 1):
                    break
            client.idle_done()
        except ERRORS as exc:
            self.close()
            raise MailboxError(f"lost the mailbox {self.name} while waiting: {exc}") from None


def _quietly_logout(client: IMAPClient) -> None:
    try:
        client.logout()
    except Exception:  # the connection is being dropped anyway
        try:
            client.shutdown()
        except Exception:
            log.debug("IMAP connection already gone")
