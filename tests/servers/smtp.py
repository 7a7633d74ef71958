"""An SMTP sink for tests: a real aiosmtpd server in a thread that keeps every mail it gets.

It can refuse recipients (550 for a permanent failure, 4xx for a temporary one), can be
stopped and started again on the same port, to test "SMTP down, then back", and can run a
hook at a chosen moment of the conversation (`on_command`), to crash the client right there.
"""

from __future__ import annotations

import email
import threading
from collections.abc import Callable, Iterable
from email import policy
from email.message import EmailMessage
from types import TracebackType
from typing import Any, cast
from urllib.parse import quote

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, AuthResult, Envelope, LoginPassword, Session

from . import free_port


class ReceivedMessage(EmailMessage):
    """A mail as the sink got it: the parsed message, its SMTP envelope and its raw bytes."""

    envelope_from: str = ""
    envelope_to: tuple[str, ...] = ()
    raw: bytes = b""
    peer: object = None  # the client's (address, port): one per connection


class SmtpSink:
    """A local SMTP server that accepts mail into `messages` (and refuses on request).

    Args:
        user, password: require AUTH (PLAIN or LOGIN, no TLS needed) with these credentials.
        reject_recipients: addresses answered with `reject_code` at RCPT TO.
        reject_all: answer every recipient with `reject_code`.
        reject_code: 550 (permanent, the default) or a 4xx code (try again later).
    """

    def __init__(
        self,
        user: str | None = None,
        password: str | None = None,
        reject_recipients: Iterable[str] = (),
        reject_all: bool = False,
        reject_code: int = 550,
    ):
        self.port = 0
        self.user = user
        self.password = password
        self.reject_recipients = {address.lower() for address in reject_recipients}
        self.reject_all = reject_all
        self.reject_code = reject_code
        self._messages: list[ReceivedMessage] = []
        self._arrived = threading.Condition()
        self._controller: Controller | None = None
        # Called with "RCPT" (before the recipient is accepted) or "DATA" (after the message
        # was received, before the server says so): the test's hook, run in the sink's thread.
        self.on_command: Callable[[str], None] | None = None

    # -- lifecycle ----------------------------------------------------------------------------

    @property
    def running(self) -> bool:
        return self._controller is not None

    def start(self) -> SmtpSink:
        """Listen on 127.0.0.1, on the port of the previous start if there was one.

        Raises:
            OSError: the port of the previous start is taken meanwhile.
        """
        if self._controller is not None:
            return self
        first = self.port == 0
        for attempt in range(5):
            port = free_port() if first else self.port
            controller = self._controller_for(port)
            try:
                controller.start()
            except (OSError, RuntimeError):
                # Another process took the free port between our probe and the bind.
                if not first or attempt == 4:
                    raise
                continue
            self._controller, self.port = controller, port
            return self
        raise AssertionError("unreachable")

    def stop(self) -> None:
        """Close the listener and every open session; later connections are refused."""
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    def __enter__(self) -> SmtpSink:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()

    # -- what arrived -------------------------------------------------------------------------

    @property
    def url(self) -> str:
        """`smtp://127.0.0.1:PORT`, with `user:password@` when AUTH is required."""
        if self.user is None:
            return f"smtp://127.0.0.1:{self.port}"
        secret = quote(self.password or "", safe="")
        return f"smtp://{quote(self.user, safe='')}:{secret}@127.0.0.1:{self.port}"

    @property
    def messages(self) -> list[ReceivedMessage]:
        """The mails received so far, oldest first (a copy)."""
        with self._arrived:
            return list(self._messages)

    def wait_for(self, count: int, timeout: float = 5.0) -> list[ReceivedMessage]:
        """Wait until at least `count` mails have arrived.

        Returns:
            All mails received so far.

        Raises:
            TimeoutError: fewer than `count` arrived within `timeout` seconds.
        """
        with self._arrived:
            if not self._arrived.wait_for(lambda: len(self._messages) >= count, timeout):
                raise TimeoutError(
                    f"expected {count} mails within {timeout}s, got {len(self._messages)}"
                )
            return list(self._messages)

    def clear(self) -> None:
        """Forget the mails received so far."""
        with self._arrived:
            self._messages.clear()

    # -- the server side ----------------------------------------------------------------------

    def _controller_for(self, port: int) -> Controller:
        options: dict[str, Any] = {"enable_SMTPUTF8": True}
        if self.user is not None:
            options.update(
                authenticator=self._authenticate, auth_required=True, auth_require_tls=False
            )
        return Controller(_Handler(self), hostname="127.0.0.1", port=port, **options)

    def _authenticate(
        self, server: SMTP, session: Session, envelope: Envelope, mechanism: str, data: Any
    ) -> AuthResult:
        ok = (
            isinstance(data, LoginPassword)
            and data.login.decode() == self.user
            and data.password.decode() == self.password
        )
        return AuthResult(success=ok)

    def _refusal(self, address: str) -> str | None:
        if not (self.reject_all or address.lower() in self.reject_recipients):
            return None
        if self.reject_code >= 500:
            return f"{self.reject_code} 5.1.1 <{address}>: recipient address rejected"
        return f"{self.reject_code} 4.3.0 <{address}>: try again later"

    def _hook(self, command: str) -> None:
        if self.on_command is not None:
            self.on_command(command)

    def _receive(self, envelope: Envelope, peer: object = None) -> None:
        raw = envelope.original_content or b""
        if isinstance(raw, str):
            raw = raw.encode("utf-8", "surrogateescape")
        # SMTP carries CRLF; parsed with "\n" endings, text parts read as Python wrote them.
        unix = raw.replace(b"\r\n", b"\n")
        parsed = email.message_from_bytes(unix, _class=ReceivedMessage, policy=policy.default)
        message = cast(ReceivedMessage, parsed)
        message.envelope_from = envelope.mail_from or ""
        message.envelope_to = tuple(envelope.rcpt_tos)
        message.raw = raw
        message.peer = peer
        with self._arrived:
            self._messages.append(message)
            self._arrived.notify_all()


class _Handler:
    """aiosmtpd hooks; they run in the sink's server thread."""

    def __init__(self, sink: SmtpSink):
        self.sink = sink

    async def handle_RCPT(
        self, server: SMTP, session: Session, envelope: Envelope, address: str, options: Any
    ) -> str:
        self.sink._hook("RCPT")
        refusal = self.sink._refusal(address)
        if refusal is not None:
            return refusal
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        self.sink._receive(envelope, session.peer)
        self.sink._hook("DATA")
        return "250 Message accepted for delivery"
