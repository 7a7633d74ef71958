"""The yardstick for bench/pipeline.py: fetch, parse and reply with nothing in between.

One process, one thread: fetch every mail from the IMAP folder in batches, read it with the
same `parse_mail` the service uses (against the same empty catalog), write a short reply
threaded to it, and hand it to SMTP over one connection. No database, no queue, no ledger:
nothing survives a crash. mailroom's figure divided by this one is the price of its
guarantees.
"""

from __future__ import annotations

import smtplib
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import formatdate, make_msgid
from urllib.parse import urlsplit

from imapclient import IMAPClient

from mailroom.parsers import parse_mail
from mailroom.parsers.catalog import Catalog

BATCH = 200


def plain_pipeline(host: str, port: int, user: str, password: str, smtp_url: str) -> int:
    """Answer every mail in INBOX once; return how many replies were handed to SMTP."""
    catalog = Catalog()
    smtp_parts = urlsplit(smtp_url)
    sent = 0
    with (
        IMAPClient(host, port=port, ssl=False) as imap,
        smtplib.SMTP(smtp_parts.hostname, smtp_parts.port, local_hostname="plain") as smtp,
    ):
        imap.login(user, password)
        imap.select_folder("INBOX", readonly=True)
        uids = sorted(imap.search(["ALL"]))
        for start in range(0, len(uids), BATCH):
            fetched = imap.fetch(uids[start : start + BATCH], ["BODY.PEEK[]"])
            for uid in uids[start : start + BATCH]:
                result = parse_mail(fetched[uid][b"BODY[]"], catalog)
                reply = _reply(result.sender or "", result.subject or "", result.message_id)
                raw = reply.as_bytes(policy=SMTP)
                smtp.sendmail("orders@bench.example", [reply["To"]], raw)
                sent += 1
    return sent


def _reply(recipient: str, subject: str, message_id: str | None) -> EmailMessage:
    reply = EmailMessage()
    reply["From"] = "orders@bench.example"
    reply["To"] = recipient
    reply["Subject"] = f"Re: {subject}"
    reply["Date"] = formatdate()
    reply["Message-ID"] = make_msgid(domain="bench.example")
    if message_id:
        reply["In-Reply-To"] = f"<{message_id}>"
        reply["References"] = f"<{message_id}>"
    reply["Auto-Submitted"] = "auto-replied"
    reply.set_content("Thank you for your mail; we will come back to you shortly.\n")
    return reply
