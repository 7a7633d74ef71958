"""Reference fields of a request: PO, our order and quote numbers, tracking, date.

Labels and keywords are data (data/fields.toml); the patterns for our own numbers and for
carriers' tracking numbers are formats, so they live here.
"""

from __future__ import annotations

import re
from datetime import date

from mailroom.numbering import NumberFormat, Numbering
from mailroom.parsers.dates import FoundDate, find_dates
from mailroom.parsers.scripts import compile_either, load_table

_DATA = load_table("fields.toml")

# A subject that is a code alone, or an order word and a code ("New order BL-PO-2611",
# "订货 JL2026-1187"): how customers title a mail about their PO.
_SUBJECT_CODE = compile_either(
    r"^\s*(?:(?:re|aw|sv|fw|fwd|wg|回复|回覆|答复|转发)\s*[:：]\s*)*"
    r"(?:(?:new\s+|our\s+)?(?:purchase\s+)?order|订货|订购|采购订单|采购单|订购单|订单)?\s*[:：#]?\s*"
    r"(?P<value>[A-Z]{1,6}[-/]?[A-Z0-9/-]*\d[A-Z0-9/-]*)\s*$",
    re.IGNORECASE,
)
# Numbers of other documents, never a PO.
_NOT_PO = compile_either(r"^(INV|RFQ|PI|CI|DN|PL|QT|QUO|INVOICE)[-/]?\d", re.IGNORECASE)

_PO_LABEL = "|".join(_DATA["po_labels"])
_PO = compile_either(
    # Not inside a code: the "PO" of "TD-PO-261130" labels nothing.
    rf"(?<![A-Za-z-])(?:{_PO_LABEL})\s*[:：#.|]?\s*"
    r"(?:(?:for (?:this|it|the order)(?: \w+)? )?(?:is|will be|shall be)\s+|为|是)?"
    # "SCE 4471": capitals and digits apart are one number too (a dictated or typed one).
    r"(?P<value>(?-i:[A-Z]{2,6} \d{3,8})(?![\w/-]|\.\w)|[A-Z0-9][A-Z0-9\-/_.]*\d[A-Z0-9\-/_]*|"
    r"\d[A-Z0-9\-/_]*)",
    re.IGNORECASE,
)
_JOINED_PO = compile_either(r"PO-", re.IGNORECASE)
# "订单 PO 123456": a second label before the number labels it too; it is not part of it.
_LABEL_AGAIN = compile_either(r"^PO (?=\d)")
_CARRIER_REFERENCE = compile_either(
    r"(?<![A-Za-z])(?:" + "|".join(_DATA["carrier_reference_labels"]) + r")[\s:：#|]*"
    r"(?P<value>[A-Z0-9][A-Z0-9\-/_.]*\d[A-Z0-9\-/_]*|\d[A-Z0-9\-/_]*)",
    re.IGNORECASE,
)
# ASCII bounds, not \b: in "包裹SF1234..." a CJK letter touches the number.
# Digits may come in groups as a carrier prints them ("SF 1402 8356 1729 3").
_TRACKING_FORMATS = [
    compile_either(p)
    for p in (
        r"(?<![A-Za-z0-9])1Z[0-9A-Z]{16}(?![A-Za-z0-9])",  # UPS
        r"(?<![A-Za-z0-9])SF ?\d(?: ?\d){11,12}(?![A-Za-z0-9])",  # SF Express 顺丰
        r"(?<![A-Za-z0-9])YT ?\d(?: ?\d){12,15}(?![A-Za-z0-9])",  # YTO 圆通
        r"(?<![A-Za-z0-9])JD[A-Z]{0,2}\d{10,15}(?![A-Za-z0-9])",  # JD Logistics 京东
        r"(?<![A-Za-z0-9])DPK ?\d(?: ?\d){10,12}(?![A-Za-z0-9])",  # Deppon 德邦
        r"(?<![A-Za-z0-9])KY\d{12,14}(?![A-Za-z0-9])",  # Kuayue 跨越速运
        r"(?<![A-Za-z0-9])(?:JJD\d{10,20}|GM\d{16,20})(?![A-Za-z0-9])",  # DHL parcel
        r"(?<![A-Za-z0-9])[A-Z]{2}\d{9}(?:CN|HK|US|GB|DE|TW|AU|CA|JP)(?![A-Za-z0-9])",  # EMS, UPU
    )
]
_CARRIER_WORDS = (
    r"tracking|track|trace|AWB|air ?waybill|waybill|consignment|shipment|parcel|DHL|FedEx|UPS|"
    r"EMS|ZTO|YTO|SF|顺丰|中通|圆通|京东|德邦|申通|韵达|极兔|运单|快递|物流"
)
# An air waybill: the airline's three-digit prefix and eight digits, beside its name.
_AWB = compile_either(
    r"(?<![A-Za-z])(?:[MH]?AWB|air\s*waybill)\b[^\n\d]{0,20}(?<!\d)(\d{3}[- ]?\d{8})(?!\d)",
    re.IGNORECASE,
)
# An ocean bill of lading: the carrier's four-letter code and its digits, after the label.
_BILL_OF_LADING = compile_either(
    r"(?<![A-Za-z])(?:B/L|bill\s*of\s*lading|提单)(?:\s*(?:no\.?|number|#|号))?[^\n\w]{0,10}"
    r"([A-Z]{4}\d{8,12})(?![A-Za-z0-9])",
    re.IGNORECASE,
)
# A forwarder's house bill of lading: the number its customer tracks with ("House B/L |
# KNSZX2612045"); it comes before the ocean carrier's master bill and the container.
_HOUSE_BILL = compile_either(
    r"(?<![A-Za-z])(?:house\s*(?:B/L|bill\s*of\s*lading|BL)|HB/?L|H-B/L|HAWB)"
    r"(?:\s*(?:no\.?|number|#))?[^\n\w]{0,10}([A-Z]{2,6}\d{6,12})(?![A-Za-z0-9])",
    re.IGNORECASE,
)
# A forwarder's own shipment number ("K+N Reference SZX2612045", "Shipment No. DGF4471203"),
# tracked at the forwarder when no house bill is given.
_FORWARDER_REF = compile_either(
    r"(?<![A-Za-z])(?:K\+N|forwarder(?:'s)?|shipment|booking)\s*(?:reference|ref\.?|no\.?|number|id)"
    r"[^\n\w]{0,10}([A-Z]{2,6}\d{6,12})(?![A-Za-z0-9])",
    re.IGNORECASE,
)
# An ISO 6346 container number beside its label, the last resort of a sea shipment.
_CONTAINER = compile_either(
    r"(?<![A-Za-z])container(?:\s*(?:no\.?|number|#|\(\w+\)))?[^\n\w]{0,10}"
    r"([A-Z]{3}U\d{7})(?![A-Za-z0-9])",
    re.IGNORECASE,
)
# Digit-only numbers (DHL 10, FedEx 12/15, ZTO 12-14) are tracking numbers only beside a word
# (a whole word: the "sf" of "transfer" names no carrier), and never glued to letters (an EU
# VAT number, PL7792456013) or after a tax label.
_TRACKING_DIGITS = compile_either(
    rf"(?<![A-Za-z])(?:{_CARRIER_WORDS})s?(?![A-Za-z])[^\n\d]{{0,30}}?(?<![A-Za-z0-9-])"
    r"(?P<digits>\d(?:[ ]?\d){9,21})(?![\d-])",
    re.IGNORECASE,
)
_TAX_LABEL = compile_either(
    r"\b(VAT|tax|TIN|EORI|ABN|GST|NIP|USt|UID|company\s*reg(istration)?|税号|稅號|统一编号|統一編號)\b",
    re.IGNORECASE,
)
_DATE_KEY = compile_either(r"(?:" + "|".join(_DATA["date_keywords"]) + r")", re.IGNORECASE)
_DATE_STOP = compile_either(r"(?:" + "|".join(_DATA["date_stop_keywords"]) + r")", re.IGNORECASE)


def our_number(kind: NumberFormat, *texts: str | None) -> str | None:
    """The first of our quote or order numbers (of `kind`) in the texts, as written."""
    for text in texts:
        found = kind.find(text)
        if found:
            return found
    return None


def po_number(numbering: Numbering, *texts: str | None) -> str | None:
    """The customer's PO number: the first labelled one that is not one of our numbers."""
    for text in texts:
        for found in _PO.finditer(text or ""):
            value = found.group("value").strip(".-/_")
            label = found.string[found.start() : found.start("value")]
            if _JOINED_PO.fullmatch(label):  # "PO-88412" is the number as written, prefix and all
                value = label + value
            value = _LABEL_AGAIN.sub("", value)
            if _could_be_po(numbering, value):
                return value
    return None


def carrier_reference(
    numbering: Numbering, *texts: str | None, tracking: str | None = None
) -> str | None:
    """The customer's PO in a carrier's notice: the first of the shipper's references (UPS
    "Reference Number 1/2", FedEx "Reference", DHL "Shipment reference") that looks like a PO.
    A shipper types there our order number or the buyer's PO; ours is read as ours, and the
    parcel's own number (`tracking`, a forwarder's "K+N Reference") is no PO."""
    for text in texts:
        for found in _CARRIER_REFERENCE.finditer(text or ""):
            value = found.group("value").strip(".-/_")
            if value != tracking and not tracking_number(value) and _could_be_po(numbering, value):
                return value
    return None


def _could_be_po(numbering: Numbering, value: str) -> bool:
    """A value read as the customer's PO: long enough, not one of our numbers, not a date."""
    return len(value) >= 3 and not numbering.is_ours(value) and not _is_date(value)


def subject_reference(subject: str | None, numbering: Numbering) -> str | None:
    """A subject that is nothing but one reference code ("Re: PR-2026-140"), if not ours.

    Customers title mail about their PO with the PO's number alone; the caller checks that the
    code is not a product's.
    """
    found = _SUBJECT_CODE.match(subject or "")
    value = found.group("value") if found else ""
    if not found or numbering.is_ours(value) or tracking_number(value) or _NOT_PO.match(value):
        return None
    return value if sum(c.isdigit() for c in value) >= 3 else None


def _is_date(value: str) -> bool:
    return bool(
        re.fullmatch(r"20\d\d[-/.]\d{1,2}[-/.]\d{1,2}|\d{1,2}[-/.]\d{1,2}[-/.]20\d\d", value)
    )


def tracking_number(*texts: str | None) -> str | None:
    """A carrier tracking number, spaces removed: a distinctive format in any of the texts
    first, then a waybill beside its label (a forwarder's house bill or its own shipment
    number before the carrier's master bill), then digits beside a carrier's word, and last a
    container number."""
    for text in texts:
        for pattern in _TRACKING_FORMATS:
            found = pattern.search(text or "")
            if found:
                return found.group(0).replace(" ", "")
    for text in texts:
        for waybill in (_HOUSE_BILL, _FORWARDER_REF, _AWB, _BILL_OF_LADING):
            found = waybill.search(text or "")
            if found:
                return found.group(1)
    for text in texts:
        for found in _TRACKING_DIGITS.finditer(text or ""):
            if not _TAX_LABEL.search(found.string, found.start(), found.start("digits")):
                return found.group("digits").replace(" ", "")
    for text in texts:
        container = _CONTAINER.search(text or "")
        if container:
            return container.group(1)
    return None


# What the rest of a date's clause says is due by then, when it is not the goods.
_DUE_AFTER = compile_either(
    r"[^,.;，。；\n]{0,12}?(报价|報價|回复|回覆|答复|答覆|\bquot(e|ation)|\boffer\b|\brepl(y|ies)\b|"
    r"\brespon(d|se)\b|\banswer\b)",
    re.IGNORECASE,
)


# After the date: the goods due by then ("前到货", "要到货").
_DUE_GOODS = compile_either(r"\s*(要|需要?|须|必须)?\s*(之?前|以前|到货|交货|送到)")


# Before the date, in its clause: what is due by then, when it is a quote or an answer
# ("Please send your quotation by 16.12.2026"), unless the clause also names the goods.
_DUE_ANSWER = compile_either(
    r"\b(quot(e|es|ation|ations)|offers?|bids?|proposals?|repl(y|ies)|respon(d|se)|answers?|"
    r"feedback)\b|报价|報價|回复|回覆|答复|答覆",
    re.IGNORECASE,
)
_GOODS = compile_either(
    r"\b(deliver\w*|ship\w*|goods|arriv\w*|dispatch\w*|lead\s*time)\b|交货|交貨|到货|到貨|发货|發貨|交期",
    re.IGNORECASE,
)
# A label that makes its date the last day goods may come.
_LATEST = compile_either(
    r"\b(latest|no\s+later\s+than|not\s+later\s+than|spätestens)\b|最迟|最晚|不晚于|不迟于",
    re.IGNORECASE,
)
# A date changed from one day to another: "from 01/15 to 02/05", "由1月15日改为2月5日".
_FROM = compile_either(r"(?:\bfrom|从|由)\s*$", re.IGNORECASE)
_TO = compile_either(r"\s*(?:to|->|→|改为|改到|推迟到|延至|至|到)\s*", re.IGNORECASE)
# How far after a calendar week a day written beside it may stand ("CW 5, at the latest Fri 5.2").
_BESIDE = 50


def requested_date(
    text: str, today: date, *, us_first: bool = False, roc: bool = False
) -> str | None:
    """The requested delivery date: a date introduced by a delivery word, as YYYY-MM-DD.
    The first line that requests one decides; in it a date said to be the latest ("so latest
    delivery 8 January", "at the latest Friday 05.02.2027") beats the others."""
    for line in text.split("\n"):
        found_in_line = _requested_in_line(line, today, us_first=us_first, roc=roc)
        if found_in_line:
            latest = [value for value, deadline in found_in_line if deadline]
            return (latest or [found_in_line[0][0]])[0].isoformat()
    return None


def _requested_in_line(
    line: str, today: date, *, us_first: bool, roc: bool
) -> list[tuple[date, bool]]:
    """The dates of one line that a delivery word introduces, each with whether its label
    says it is the latest day."""
    requested = []
    dates = find_dates(line, today, us_first=us_first, roc=roc)
    for index, found in enumerate(dates):
        # A form on one line ("Order Date: 04-Dec Required Delivery: 18-Dec") labels each
        # date by the words since the date before it.
        since = dates[index - 1].end if index else 0
        before = line[max(since, found.start - 60) : found.start]
        after = line[found.end : found.end + 12]
        # In a table row the date's label is the cell before it ("Required | Jan 22").
        cells = before.split("|")
        cell = cells[-2] if len(cells) > 1 and not cells[-1].strip() else cells[-1]
        # A form sets its value a wide gap after the label ("Delivery Date      w/c ...").
        nearest = re.split(r"[.;。；!?]|\s{3,}", cell.rstrip())[-1]
        following = dates[index + 1] if index + 1 < len(dates) else None
        if following and _FROM.search(nearest) and _TO.fullmatch(line[found.end : following.start]):
            # "moved from 01/15/2027 to 02/05/2027": what the label dates is the new day
            found = following
        if _DATE_STOP.search(nearest) or found.value < today:
            continue  # a date before the mail was written is history, not a request
        if _DUE_AFTER.match(line, found.end):
            continue  # "下周一前能收到报价": the date a quote or a reply is due
        clause = re.split(r"[,，]", nearest)[-1]
        if _DUE_ANSWER.search(clause) and not _GOODS.search(clause):
            continue  # "send your quotation by 16.12.": the quote is due then, not goods
        if _DATE_KEY.search(nearest) or _DUE_GOODS.match(after):
            value = _within_week(found, dates[index + 1 :])
            requested.append((value, bool(_LATEST.search(nearest[-30:]))))
    return requested


def _within_week(found: FoundDate, following: list[FoundDate]) -> date:
    """A calendar week's date, or the day written just after it within that week ("CW 5/2027,
    at the latest Friday 05.02.2027"): the day says more exactly what the week only bounds."""
    if not found.week:
        return found.value
    monday = found.value.toordinal() - found.value.weekday()
    for day in following:
        near = day.start - found.end <= _BESIDE
        if near and not day.week and monday <= day.value.toordinal() < monday + 7:
            return day.value
    return found.value


def requested_date_in_tables(
    tables: list[list[list[str]]], today: date, *, us_first: bool = False, roc: bool = False
) -> str | None:
    """The earliest date in a table column whose header asks for delivery ("Delivery Date",
    "交期"): line-by-line dates of a PO form, where no sentence introduces them."""
    found: list[date] = []
    for table in tables:
        column = None
        for row in table:
            if column is None:
                column = _date_column(row)
                continue
            if column < len(row):
                found += [
                    d.value for d in find_dates(row[column], today, us_first=us_first, roc=roc)
                ]
    return min(found).isoformat() if found else None


def headed_rows(text: str) -> list[list[list[str]]]:
    """Boxes of a printed form as two-row tables: a line of headings set wide apart ("ORDER
    DATE      REQUIRED DATE") and the first line below it, within three, whose values stand
    in as many columns ("2026-12-02      Jan 22, 2027")."""
    lines = [[c for c in re.split(r"\s{3,}", line.strip()) if c] for line in text.split("\n")]
    found = []
    for index, heads in enumerate(lines):
        if len(heads) < 2 or any(re.search(r"\d", head) for head in heads):
            continue
        below = (row for row in lines[index + 1 : index + 4] if len(row) == len(heads))
        values = next(below, None)
        if values and all(re.search(r"\d", value) for value in values):
            found.append([heads, values])
    return found


def aligned_columns(text: str) -> list[list[list[str]]]:
    """Date columns of a fixed-width printout (an IBM i or SAP spool) as one-column tables: a
    heading line without digits that names a delivery date ("... PER DUE DATE"), and under it
    the word of each following line that stands in the heading's place ("20270115"), up to
    the next blank line."""
    lines = text.split("\n")
    found = []
    for index, line in enumerate(lines):
        if re.search(r"\d", line) or len(line.split()) < 4:
            continue
        for key in _DATE_KEY.finditer(line):
            if key.start() and not line[key.start() - 1].isspace():
                continue  # inside a word
            head = _heading_at(line, key.start())
            if head is None:
                continue
            start, end = head
            column = [[line[start:end]]]
            for row in lines[index + 1 : index + 40]:
                if not row.strip():
                    break
                column += [
                    [word.group()]
                    for word in re.finditer(r"\S+", row)
                    if word.start() < end and word.end() > start
                ]
            if len(column) > 1:
                found.append(column)
    return found


def _heading_at(line: str, at: int) -> tuple[int, int] | None:
    """The span of the heading (words set one space apart) holding position `at`, when it
    names a delivery date and nothing else."""
    for cell in re.finditer(r"\S+(?: \S+)*", line):
        if cell.start() <= at < cell.end():
            # The heading may run into its neighbour on one space ("PER DUE DATE"): from the key.
            name = line[at : cell.end()]
            if _DATE_KEY.match(name) and not _DATE_STOP.search(name) and len(name) <= 30:
                return at, cell.end()
    return None


def _date_column(row: list[str]) -> int | None:
    for index, cell in enumerate(row):
        name = cell.strip()
        header = 0 < len(name) <= 40 and not re.search(r"\d", name)
        if header and _DATE_KEY.search(name) and not _DATE_STOP.search(name):
            return index
    return None
