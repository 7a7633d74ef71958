"""Carrier mail read into a `Notice`: which parcel, its status, when, where, the ETA and why.

Everything carrier-specific is data (`carriers.toml`); this module only knows how notices
are laid out in general: fields as `label: value` lines or table rows, the event time as
a date with a clock time on a line that is not a plan (ETA, ETD), statuses as phrases.
"""

from __future__ import annotations

import email
import email.policy
import re
from datetime import UTC, date, datetime, tzinfo

from mailroom.logistics import carriers as known
from mailroom.logistics.carriers import Carrier, Phrase
from mailroom.logistics.events import Notice, TrackingEvent
from mailroom.parsers import fields
from mailroom.parsers.charsets import decode_bytes
from mailroom.parsers.dates import find_dates
from mailroom.parsers.decode import decode

_YMD = re.compile(
    r"(?<!\d)(20\d\d)\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*[日号]?[^\d\n]{0,12}?"
    r"(?<!\d)(\d{1,2}):(\d{2})(?::(\d{2}))?(?!\d)"
)
_NUMERIC = re.compile(
    r"(?<!\d)(\d{1,2})[/.](\d{1,2})[/.](20\d\d)(?!\d)[^\d\n]{0,20}?(?<!\d)(\d{1,2}):(\d{2})"
    r"(?::(\d{2}))?(?!\d)\s*(?P<half>[AaPp]\.?\s?[Mm]\.?)?"
)
_MAX_REASON = 300
# Words that follow a clock time: its zone, not a place.
_ZONE_WORDS = re.compile(
    r"^(?:\(?(?:local time|local|hrs|h|CET|CEST|GMT|UTC|HKT|CST)\)?)[.,]?(?=\s|$)", re.I
)
# A place as carriers print it: capitals, with spaces, dashes, commas and brackets.
_CAPITALS = re.compile(r"[A-Z][A-Z0-9 ,.'()/-]{2,60}[A-Z)]")
# A `label: value` line (the label short, without a sentence's full stop).
_LABELLED = re.compile(r"^[^:：.。\n]{1,24}[:：]")


def read_notice(raw: bytes) -> Notice | None:
    """Read a carrier's mail; None when it names no parcel or no status we can tell."""
    mail = decode(raw)
    return read_text(mail.sender, mail.subject or "", _plain_text(raw) or mail.text, mail.date)


def _plain_text(raw: bytes) -> str:
    """The mail's plain-text alternative, when it has one.

    Carriers lay their HTML out in tables of tables, which flatten into one long line; the
    plain alternative they send beside it keeps one field a line.
    """
    try:
        message = email.message_from_bytes(raw, policy=email.policy.compat32)
        for part in message.walk():
            disposition = str(part.get("Content-Disposition", "")).lower()
            if part.get_content_type() == "text/plain" and "attachment" not in disposition:
                data = part.get_payload(decode=True)
                charset = part.get_content_charset()
                if isinstance(data, bytes) and data.strip():
                    return decode_bytes(data, charset).replace("\r\n", "\n")
    except Exception:  # a mail the stdlib cannot walk: the decoder's text is used instead
        return ""
    return ""


def read_text(
    sender: str | None, subject: str, text: str, sent_at: datetime | None
) -> Notice | None:
    """Read a notice from its parts (see `read_notice`).

    Args:
        sender: the From address; a carrier's domain names the carrier.
        sent_at: the mail's Date; its zone is the zone of times written without one.
    """
    lines = _field_lines(text)
    body = "\n".join(lines)
    carrier = known.by_sender(sender) or known.by_mention(subject, body)
    number = _number(carrier, subject, body)
    phrase = _phrase(carrier, f"{subject}\n{body}")
    if carrier is None or number is None or phrase is None:
        return None
    zone = sent_at.tzinfo if sent_at and sent_at.tzinfo else UTC
    found = _event_time(lines, carrier.day_first, zone)
    happened_at, rest = found if found else ((sent_at or datetime.now(UTC)), "")
    event = TrackingEvent(
        happened_at=happened_at.astimezone(UTC),
        status=phrase.status,
        exception_kind=phrase.kind,
        place=_place(lines) or rest or None,
        description=_matched_line(lines, phrase.pattern, subject),
    )
    today = (sent_at or datetime.now(UTC)).date()
    reason = (_reason(lines) or _all_matched(lines, phrase.pattern)) if phrase.kind else None
    return Notice(carrier.code, number, event, _eta(lines, today, carrier.day_first), reason)


def _field_lines(text: str) -> list[str]:
    """The text as lines, table rows turned into `label: value` lines.

    A two-cell row is a label and its value; a row of labels followed by rows of as many
    cells is a header, and each later row becomes one line per cell under its label.
    """
    out: list[str] = []
    header: list[str] | None = None
    for line in text.splitlines():
        cells = [c.strip().rstrip(":：") for c in line.split(" | ")] if " | " in line else None
        if cells is None:
            header = None
            out.append(line.strip())
        elif len(cells) == 2:
            out.append(f"{cells[0]}: {cells[1]}")
        elif header is not None and len(cells) == len(header):
            out += [f"{label}: {value}" for label, value in zip(header, cells, strict=True)]
        else:
            header = cells if not any(re.search(r"\d", c) for c in cells) else None
            out.append(line.strip())
    return [line for line in out if line]


def _number(carrier: Carrier | None, subject: str, body: str) -> str | None:
    if carrier is not None:
        return carrier.find_number(subject) or carrier.find_number(body)
    return fields.tracking_number(subject, body)


def _phrase(carrier: Carrier | None, text: str) -> Phrase | None:
    return known.phrase_for(text, carrier)


def _event_time(lines: list[str], day_first: bool, zone: tzinfo) -> tuple[datetime, str] | None:
    """The first date with a clock time on a line that is not a plan, and what follows it."""
    planned = known.vocabulary().planned
    for line in lines:
        label = line.split(":", 1)[0] if ":" in line[:30] else ""
        if planned.search(label or line[:20]):
            continue
        found = _datetime(line, day_first, zone)
        if found is not None:
            return found
    return None


def _datetime(line: str, day_first: bool, zone: tzinfo) -> tuple[datetime, str] | None:
    """The date and time on `line`, and the place written beside it ("" when none)."""
    found = _YMD.search(line) or _NUMERIC.search(line)
    if found is None:
        return None
    try:
        if found.re is _YMD:
            y, mo, d, h, mi, s = (int(g or 0) for g in found.groups())
        else:
            a, b, y, h, mi, s = (int(g or 0) for g in found.groups()[:6])
            d, mo = (a, b) if day_first or a > 12 else (b, a)
            half = (found.group("half") or "").lower().replace(".", "").replace(" ", "")
            h = h % 12 + (12 if half == "pm" else 0) if half else h
        at = datetime(y, mo, d, h, mi, s, tzinfo=zone)
    except ValueError:  # 31/02 and the like: not a date
        return None
    place = _place_after(line[found.end() :]) or _place_before(line[: found.start()])
    return at, place


def _place_after(rest: str) -> str:
    """What follows an event time on its line, when it reads like a place.

    A clock's zone words ("local time") are not a place, and a status written before the
    place ("Out For Delivery Today - Birmingham") is dropped.
    """
    rest = _ZONE_WORDS.sub("", re.sub(r"^[\s,;|\-–]+", "", rest)).strip()
    head, dash, tail = rest.partition(" - ")
    if dash and known.phrase_for(head) is not None:
        rest = tail.strip()
    return rest if len(re.findall(r"[^\W\d_]", rest)) >= 3 else ""


def _place_before(text: str) -> str:
    """A place in capitals just before an event time ("FRANKFURT - GERMANY since ...")."""
    text = _LABELLED.sub("", text).strip()
    text = re.sub(r"(?i)[\s,]*\b(?:since|on|at|from)\s*$", "", text).strip()
    return text if _CAPITALS.fullmatch(text) else ""


def _value(lines: list[str], label: re.Pattern[str]) -> str | None:
    for line in lines:
        found = label.match(line)
        if found and found.group("value").strip():
            return found.group("value").strip()
    return None


def _place(lines: list[str]) -> str | None:
    value = _value(lines, known.vocabulary().place)
    if value is None:
        return None
    # A checkpoint's value may lead with its time: the place is what follows it.
    return _place_after(_strip_time(value)) or value


def _strip_time(value: str) -> str:
    for pattern in (_YMD, _NUMERIC):
        found = pattern.search(value)
        if found:
            return value[found.end() :]
    return value


def _reason(lines: list[str]) -> str | None:
    value = _value(lines, known.vocabulary().reason)
    return value[:_MAX_REASON] if value else None


def _matched_line(lines: list[str], pattern: re.Pattern[str], subject: str) -> str:
    for index, line in enumerate(lines):
        if pattern.search(line):
            return _sentence(lines, index)[:_MAX_REASON]
    return subject[:_MAX_REASON]


def _sentence(lines: list[str], index: int) -> str:
    """Line `index`, with the next line when the sentence was wrapped onto it (at ~72)."""
    line = lines[index]
    follow = lines[index + 1] if index + 1 < len(lines) else ""
    wrapped = len(line) >= 50 and not line.endswith((".", "。", "!", "！"))
    if wrapped and follow and not _LABELLED.match(follow):
        return f"{line} {follow}"
    return line


def _all_matched(lines: list[str], pattern: re.Pattern[str]) -> str | None:
    """Every line that names the exception, labels dropped, as one reason for a clerk."""
    said: list[str] = []
    for index, line in enumerate(lines):
        if pattern.search(line):
            line = _sentence(lines, index)
            labelled = _LABELLED.match(line)
            value = line[labelled.end() :].strip() if labelled else line
            if value not in said:
                said.append(value)
    return " / ".join(said)[:_MAX_REASON] or None


def _eta(lines: list[str], today: date, day_first: bool) -> date | None:
    value = _value(lines, known.vocabulary().eta)
    if not value:
        return None
    found = find_dates(value, today, us_first=not day_first)
    return found[0].value if found else None
