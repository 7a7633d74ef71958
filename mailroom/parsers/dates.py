"""Dates as customers write them, in English and Chinese, read into `YYYY-MM-DD`.

`2026-12-15`, `2026/12/15`, `15/12/2026`, `12/15/2026` (US), `15.12.2026`, `Dec 15, 2026`,
`15 December 2026`, `2026年12月15日`, `12月15日`, `12/15`; a date without a year is the next
such day on or after the mail was sent. A calendar week ("CW 5/2027", "KW 5", "week 5") is
the Friday that ends its working week, the day it is due by; "w/c 11/01/2027" (week
commencing) is the day it gives. ERPs print `20270115`. Taiwan's ROC (民國) years,
`116/01/20` and `民國116年1月20日`, are read only in text that is Taiwanese (`roc=True`) or
says 民國.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from mailroom.parsers.scripts import compile_either, simplified

_MONTHS = {
    m: i + 1
    for i, m in enumerate(
        ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
    )
}
_MONTH = r"(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
_MONTH += r"sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
_ORD = r"(?:st|nd|rd|th)?"
# A week named by what starts it ("w/c 11/01/2027", "week commencing 11 Jan"): the date given.
_COMMENCING = r"(?:(?<![A-Za-z])w/c\.?|\bweek\s+(?:commencing|beginning|starting|of))\s*"
PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    # A calendar week: "CW 5/2027", "KW05 2027", "week 5", "wk 5-27", "第5周".
    (
        "week",
        compile_either(
            r"\b(?:(?:CW|KW|WK)\.?|calendar\s+week|week)[ \t]*[#:：]?[ \t]*(\d{1,2})"
            r"(?:\s*[/.-]\s*(20\d\d|\d\d)|,?\s+(20\d\d))?(?![\d/-]|\.\d)|第\s*(\d{1,2})\s*周",
            re.I,
        ),
    ),
    # Taiwan's ROC years written with 民國: unambiguous wherever they stand.
    ("roc_named", compile_either(r"民國\s*(1\d\d)\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*[日号號]?")),
    (
        "ymd",
        compile_either(
            r"(?<!\d)(20\d\d)\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*[日号號]?(?!\d)"
        ),
    ),
    # A date printed without separators by an ERP ("DUE DATE 20270115").
    (
        "ymd_compact",
        compile_either(r"(?<![\w/.-])(20\d\d)(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])(?![\w/.-])"),
    ),
    ("zh_md", compile_either(r"(?<![\d年])(\d{1,2})\s*月\s*(\d{1,2})\s*[日号號]")),
    (
        "num",
        compile_either(
            rf"(?:{_COMMENCING})?(?<![\d/.-])(\d{{1,2}})\s*([/.-])\s*(\d{{1,2}})\s*\2\s*(20\d\d|\d\d)"
            r"(?![\d/-]|\.\d)",
            re.I,
        ),
    ),
    # Month and day without a year ("12/15", "15/12"): slashes only, as decimals use dots.
    ("md", compile_either(r"(?<![\d/.\-])(\d{1,2})/(\d{1,2})(?![\d/]|\.\d)")),
    (
        "mdy",
        compile_either(
            rf"(?:{_COMMENCING})?\b{_MONTH}\s+(\d{{1,2}}){_ORD}(?:\s*,\s*|\s+)?(20\d\d)?(?!\d)",
            re.I,
        ),
    ),
    (
        "dmy",
        compile_either(
            rf"(?:{_COMMENCING})?(?<!\d)(\d{{1,2}}){_ORD}\s+(?:of\s+)?{_MONTH},?\s*(20\d\d)?(?!\d)",
            re.I,
        ),
    ),
    # Oracle and SAP print "15-JAN-2027" and "15.Jan.2027".
    ("dmy", compile_either(rf"(?<![\d\w])(\d{{1,2}})[-.]{_MONTH}[-.](20\d\d)(?!\d)", re.I)),
]

# Taiwan's ROC years without 民國 ("116/01/20", "116年1月20日"): read only in Taiwanese text.
_ROC = compile_either(
    r"(?<![\d/.-])(1[01]\d)\s*([/.-]|年)\s*(\d{1,2})\s*(?:\2|月)\s*(\d{1,2})\s*[日号號]?(?![\d/-]|\.\d)"
)

# The end of a month, as a deadline: "end of January", "January end", "end of next month",
# "1月底", "这个月底", "下个月末", "年底". Its day is the month's last.
PATTERNS += [
    (
        "month_end",
        compile_either(
            rf"\b(?:(?:the\s+)?end\s+of\s+{_MONTH}|{_MONTH}\s+end)(?:\s*,?\s*(20\d\d))?\b", re.I
        ),
    ),
    (
        "this_month_end",
        compile_either(
            r"\b(?:(?:the\s+)?end\s+of\s+(this|the|next)\s+month|(this|next)\s+month[- ]end)\b",
            re.I,
        ),
    ),
    ("zh_month_end", compile_either(r"(?<![\d年])(\d{1,2})\s*月\s*(?:底|末|份?底)")),
    ("zh_this_month_end", compile_either(r"(这个|这|本|当|下个|下)月\s*(?:底|末)|(?<![\d月])月底")),
    ("zh_year_end", compile_either(r"(今年|年)\s*底")),
    # A weekday of this week or the next ("下周三", "本周五", "下星期一"): its date.
    (
        "zh_weekday",
        compile_either(r"(下下|下|本|这|這)\s*(?:个)?(?:周|星期|礼拜|禮拜)([一二三四五六日天])"),
    ),
]


@dataclass(frozen=True)
class FoundDate:
    """A date found in a text: where it stood, and its value."""

    start: int
    end: int
    value: date
    # A calendar week, read as its Friday: a day written beside it says the day more exactly.
    week: bool = False


def _safe(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _no_year(month: int, day: int, today: date) -> date | None:
    found = _safe(today.year, month, day)
    if found is not None and (today - found).days > 31:
        found = _safe(today.year + 1, month, day)
    return found


def _from_match(kind: str, m: re.Match[str], today: date, us_first: bool) -> date | None:
    groups = m.groups()
    if kind in ("ymd", "ymd_compact"):
        return _safe(int(groups[0]), int(groups[1]), int(groups[2]))
    if kind == "roc_named":
        return _safe(int(groups[0]) + _ROC_OFFSET, int(groups[1]), int(groups[2]))
    if kind == "roc":
        return _safe(int(groups[0]) + _ROC_OFFSET, int(groups[2]), int(groups[3]))
    if kind == "week":
        return _week(groups, today)
    if kind == "zh_md":
        return _no_year(int(groups[0]), int(groups[1]), today)
    if kind == "num":
        a, b, year = int(groups[0]), int(groups[2]), int(groups[3])
        year = year + 2000 if year < 100 else year
        # The first number is the day unless it cannot be, or the writer uses US order.
        day, month = (b, a) if (a <= 12 and (us_first or b > 12)) else (a, b)
        return _safe(year, month, day)
    if kind == "md":
        a, b = int(groups[0]), int(groups[1])
        month, day = (a, b) if (a <= 12 and (us_first or b > 12)) else (b, a)
        return _no_year(month, day, today)
    if kind in _MONTH_ENDS:
        return _MONTH_ENDS[kind](groups, today)
    if kind == "zh_weekday":
        return _zh_weekday(groups, today)
    if kind == "mdy":
        month, day, year_text = _MONTHS[groups[0].lower()[:3]], int(groups[1]), groups[2]
    else:
        day, month, year_text = int(groups[0]), _MONTHS[groups[1].lower()[:3]], groups[2]
    if year_text:
        return _safe(int(year_text), month, day)
    return _no_year(month, day, today)


# The ROC (民國) calendar counts years from 1912: 民國116年 is 2027.
_ROC_OFFSET = 1911
_FRIDAY = 5


def _week(groups: tuple[str | None, ...], today: date) -> date | None:
    """The Friday of an ISO calendar week, the last working day a delivery "in CW 5" may
    come; a week without a year is the next such week, counting this one."""
    number = int(groups[0] or groups[3] or 0)
    year_text = groups[1] or groups[2]
    year = (int(year_text) + (2000 if len(year_text) == 2 else 0)) if year_text else today.year
    if not year_text and number < today.isocalendar().week - 4:
        year += 1
    try:
        return date.fromisocalendar(year, number, _FRIDAY)
    except ValueError:
        return None


def _month_end(year: int, month: int) -> date:
    following = date(year + month // 12, month % 12 + 1, 1)
    return date.fromordinal(following.toordinal() - 1)


def _named_month_end(groups: tuple[str | None, ...], today: date) -> date:
    month = _MONTHS[(groups[0] or groups[1] or "")[:3].lower()]
    year = int(groups[2]) if groups[2] else today.year + (month < today.month)
    return _month_end(year, month)


def _relative_month_end(groups: tuple[str | None, ...], today: date) -> date:
    ahead = any(g in ("next", "下个", "下") for g in groups)
    month = today.month + ahead
    return _month_end(today.year + (month > 12), (month - 1) % 12 + 1)


def _zh_month_end(groups: tuple[str | None, ...], today: date) -> date:
    month = int(groups[0] or today.month)
    return _month_end(today.year + (month < today.month), month) if 1 <= month <= 12 else today


_WEEKDAYS = {"一": 0, "二": 1, "三": 2, "四": 3, "五": 4, "六": 5, "日": 6, "天": 6}


def _zh_weekday(groups: tuple[str | None, ...], today: date) -> date:
    """ "下周三" is the Wednesday of the week after this one (weeks start on Monday)."""
    weeks = {"下下": 2, "下": 1}.get(simplified(groups[0] or ""), 0)
    monday = today.toordinal() - today.weekday()
    return date.fromordinal(monday + 7 * weeks + _WEEKDAYS[groups[1] or "一"])


_MONTH_ENDS = {
    "month_end": _named_month_end,
    "this_month_end": _relative_month_end,
    "zh_month_end": _zh_month_end,
    "zh_this_month_end": _relative_month_end,
    "zh_year_end": lambda _groups, today: date(today.year, 12, 31),
}


def find_dates(
    text: str, today: date, *, us_first: bool = False, roc: bool = False
) -> list[FoundDate]:
    """Every date in `text`, in order; overlapping readings keep the first pattern's. With
    `roc`, the text is Taiwanese and `116/01/20` is an ROC date (2027-01-20)."""
    found: list[FoundDate] = []
    for kind, pattern in [("roc", _ROC), *PATTERNS] if roc else PATTERNS:
        for m in pattern.finditer(text):
            if any(f.start < m.end() and m.start() < f.end for f in found):
                continue
            value = _from_match(kind, m, today, us_first)
            if value is not None:
                found.append(FoundDate(m.start(), m.end(), value, week=kind == "week"))
    return sorted(found, key=lambda f: f.start)


# How far before the mail a date of its request may lie, and how far after.
_PAST_DAYS = 45
_FUTURE_DAYS = 730


def month_first(text: str, today: date) -> bool | None:
    """Whether the writer of `text` puts the month first (12/07/2026), told by the text itself.

    A document writes its dates one way throughout: one date that can be read only one way
    ("1/15/2027", "15/01/2027") decides them all. Failing that, the way under which the dates
    lie where an order's dates lie (from shortly before the mail to the next years) wins: an
    "Order date 12/07/2026" on a mail of 7 December 2026 is not the 12th of July. None when
    the text does not tell.
    """
    votes = {True: 0, False: 0}
    strays = {True: 0, False: 0}
    for m in _NUMERIC.finditer(text):
        a, b, year = int(m.group(1)), int(m.group(3)), int(m.group(4))
        year = year + 2000 if year < 100 else year
        if a > 12 >= b:
            votes[False] += 1
        elif b > 12 >= a:
            votes[True] += 1
        elif a != b:
            for us in (True, False):
                value = _safe(year, a if us else b, b if us else a)
                strays[us] += value is None or not _plausible(value, today)
    if votes[True] != votes[False]:
        return votes[True] > votes[False] if not (votes[True] and votes[False]) else None
    if strays[True] != strays[False]:
        return strays[True] < strays[False]
    return None


def _plausible(value: date, today: date) -> bool:
    return -_PAST_DAYS <= (value - today).days <= _FUTURE_DAYS


_NUMERIC = dict(PATTERNS)["num"]
