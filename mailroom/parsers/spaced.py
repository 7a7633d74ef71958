"""Counts written with a space between thousands ("20 000 pcs", "10 000 szt.", thin and no-break
spaces too), told apart from a number that only stands next to another ("Size 8 100 pcs").

A space-grouped count is read as one number only where nothing else can be meant: groups of
exactly three digits after a leading group of one to three, a unit after it, and either a group
that starts with 0 (no one writes a count "000" or "050") or nothing before it that the leading
group could belong to: the start of the line, a bullet, a dash, comma or bracket, or a
quantity label. A word or code right before the leading group ("Size 8", "item 3", "DN 50")
may be labelling it; the count is then the last group as before, and the line is not sure,
unless the line's sums (count times unit price is the amount written after it) fit one reading.
"""

from __future__ import annotations

import re
from decimal import Decimal

from mailroom.parsers.scripts import compile_either, load_table

_DATA = load_table("fields.toml")
_UNITS = "|".join(
    sorted(_DATA["quantity_units"]["pcs"] + _DATA["quantity_units"]["zh"], key=len, reverse=True)
)
_SPACE = "[ \u00a0\u2009\u202f]"
_GROUPED = compile_either(
    rf"(?<![\w.,])([1-9]\d{{0,2}})((?:{_SPACE}\d{{3}})+)(?![\d.,]?\d)"
    rf"(?=\s*[千万萬kK]?\s*(?:{_UNITS})(?![A-Za-z]))",
    re.IGNORECASE,
)
# What may stand before a count that starts a field: a line's start or its bullet, a dash or
# slash standing apart, a comma, bracket or equals sign, "x", a quantity label, or a colon after
# a code ("HX-2040: "; after a word, "Size: 8 100 pcs", the word may label the leading group).
_FIELD_START = compile_either(
    r"(?:^\s*(?:[-*•·]|\d{1,2}[.)、])?|(?:^|\s)[-–—/x×*]|[|,;(（\[=]"
    r"|\bq(?:uanti)?ty\.?\s*[:=]?|数量\s*[:：]?|\S*\d\S*[:：])$",
    re.IGNORECASE,
)


def join_spaced_counts(text: str) -> tuple[str, set[Decimal]]:
    """`text` with its space-grouped counts written as one number ("20 000 pcs" as "20000
    pcs"), and the counts read from groups that were left apart because something before them
    may own the leading group: a line at one of those counts is not sure."""
    doubtful: set[Decimal] = set()

    def joined(found: re.Match[str]) -> str:
        groups = re.split(_SPACE, found.group(2).strip(" \u00a0\u2009\u202f"))
        before = text[: found.start()].rstrip()
        whole = found.group(1) + "".join(groups)
        if groups[0].startswith("0") or _FIELD_START.search(before):
            return whole
        # The line's sums may say: count times unit price is the amount written after it.
        checked = _sum_checked(text[found.end() :], [Decimal(whole), Decimal(groups[-1])])
        if checked is not None:
            return whole if checked == Decimal(whole) else found.group(0)
        # Whatever the line is then read at, from one group or from all, is not sure.
        parts = [found.group(1), *groups]
        doubtful.update(
            Decimal("".join(parts[i:j])) for i in range(len(parts)) for j in (i + 1, len(parts))
        )
        return found.group(0)

    return _GROUPED.sub(joined, text), doubtful


# A number written after a count: a unit price or an amount ("0,04", "2 800,00", "1,250.00").
_AMOUNT = re.compile(
    rf"(?<![\d.,])(\d{{1,3}}(?:(?:{_SPACE}|,(?=\d{{3}}\.))\d{{3}})+|\d+)(?:[.,](\d{{1,4}}))?(?![\d])"
)


def _sum_checked(after: str, readings: list[Decimal]) -> Decimal | None:
    """The one reading of a count that, times a unit price written after it, gives an amount
    written after it too (within a cent in a hundred); None when the sums say nothing."""
    numbers = [
        Decimal(re.sub(rf"{_SPACE}|,", "", found.group(1)) + "." + (found.group(2) or "0"))
        for found in _AMOUNT.finditer(after)
    ]
    fits = {
        count
        for count in readings
        for price in numbers
        for amount in numbers
        if price and amount and price != amount and abs(count * price - amount) <= amount / 100
    }
    return fits.pop() if len(fits) == 1 else None


def join_spaced_cell(cell: str) -> str:
    """A table cell's space-grouped number as one ("20 000" as "20000"): a cell holds one
    value, so there is nothing else its groups could be."""
    return re.sub(rf"^\s*([1-9]\d{{0,2}})((?:{_SPACE}\d{{3}})+)(?![\d.,]?\d)", _glued, cell)


def _glued(found: re.Match[str]) -> str:
    return found.group(1) + re.sub(_SPACE, "", found.group(2))
