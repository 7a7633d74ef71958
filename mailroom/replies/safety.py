"""Who may get an automatic reply: the rules that keep mailroom out of mail loops.

RFC 3834: never answer auto-replies, bounces, lists, `noreply` senders or our own mail; and
never more than a few automatic replies per sender per period, whatever the reason.
"""

from __future__ import annotations

import email.policy
from email.parser import BytesHeaderParser

from mailroom.logistics import carriers
from mailroom.parsers.automatic import classify_automatic, is_noreply
from mailroom.parsers.result import MACHINE_INTENTS, ParseResult


def why_no_reply(raw: bytes, result: ParseResult, own_address: str, own_domain: str) -> str | None:
    """The reason this mail must not get an automatic reply, or None when it may.

    The headers are read again here, whatever the parser concluded, so that no change in
    intent detection can ever open a loop. The reasons are short sentences a clerk reads.
    """
    sender = result.sender
    if not sender:
        return "the mail has no sender address"
    headers = BytesHeaderParser(policy=email.policy.compat32).parsebytes(raw)
    machine = classify_automatic(headers)
    if machine == "list":
        return "the mail came from a mailing list or bulk sender"
    if machine or result.intent in MACHINE_INTENTS:
        kind = (machine or result.intent).replace("_", " ")
        return f"the mail is an automatic message ({kind})"
    if is_noreply(sender):
        return f"the sender {sender} does not take replies"
    if is_own(result, own_address, own_domain):
        return "the mail is our own"
    carrier = carriers.by_sender(sender)
    if carrier is not None:
        return f"the mail is from a carrier ({carrier.label}); carriers are never answered"
    return None


def is_own(result: ParseResult, own_address: str, own_domain: str) -> bool:
    """Whether the mail is one we sent (our address, or a Message-ID of our domain)."""
    own_id = (result.message_id or "").endswith(f"@{own_domain}")
    return result.sender == own_address or own_id


def is_carrier_mail(result: ParseResult, own_address: str, own_domain: str) -> bool:
    """Whether the mail goes to the carrier notices, whatever else it is (never our own)."""
    if is_own(result, own_address, own_domain) or not result.sender:
        return False
    return carriers.by_sender(result.sender) is not None or result.intent == "shipment_notice"
