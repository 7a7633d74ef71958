"""The one tree of typed errors: what can go wrong, with the fields a message needs.

Expected failures reach the user as one clear line (`str(error)`), never as a traceback.
"""

from __future__ import annotations


class MailroomError(Exception):
    """Base of every error the service expects and explains."""

    exit_code = 1


class ConfigError(MailroomError):
    """A setting is missing or wrong; the message names it and says what to do."""

    exit_code = 2


class UsageError(MailroomError):
    """A command was called with arguments that do not fit."""

    exit_code = 2


class MailboxError(MailroomError):
    """The mailbox cannot be reached or refuses us (network, TLS, wrong password)."""

    def __init__(self, message: str, *, transient: bool = True) -> None:
        super().__init__(message)
        self.transient = transient


class SendError(MailroomError):
    """A reply could not be handed to the SMTP server."""

    def __init__(self, message: str, *, transient: bool = True) -> None:
        super().__init__(message)
        self.transient = transient


class UnreadableMail(MailroomError):
    """A mail that cannot be decoded; the reason is recorded on the mail."""


class ImportFileError(MailroomError):
    """A catalog file has invalid rows; `problems` lists (file, line, message)."""

    def __init__(self, problems: list[tuple[str, int, str]]) -> None:
        self.problems = problems
        super().__init__("\n".join(f"{f}:{line}: {msg}" for f, line, msg in problems))


class NotFound(MailroomError):
    """A record named on the command line does not exist."""


class QueueError(MailroomError):
    """A clerk's action on a held item that cannot be done (not open, claimed by another)."""


class CarrierError(MailroomError):
    """A carrier's tracking service could not be reached or answered what we cannot read."""
