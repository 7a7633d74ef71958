"""Counts a sender corrects above a forwarded request: "make the NEMA 23 quantity 50, not
40", "600 instead of 400", "from 40 to 50", "由40改为50", "由40加到50".

A correction is applied only where it points at one forwarded line without doubt: its old
count is the count of exactly one line. The lines stay unsure all the same (a clerk reads the
remark), so a correction never confirms an order on its own.
"""

from __future__ import annotations

import re
from dataclasses import replace
from decimal import Decimal

from mailroom.parsers.numbers import CHANGE_TO, to_decimal
from mailroom.parsers.result import Line
from mailroom.parsers.scripts import compile_either

_N = r"(\d{1,3}(?:,\d{3})+(?!\d)|\d+)"
_UNIT = r"\s*(?:pcs|pieces|units|pc|个|只|件)?\s*"
# The new count first: "50, not 40", "600 instead of 400".
_NEW_NOT_OLD = compile_either(
    rf"(?<![\d.]){_N}{_UNIT},?\s*(?:not|instead\s+of|rather\s+than)\s+(?:the\s+)?{_N}(?!\.?\d)",
    re.IGNORECASE,
)
# The old count first: "from 40 to 50", "40 -> 50", "由40改为50".
_OLD_TO_NEW = compile_either(
    rf"(?:(?:\bfrom\s+|从|由){_N}{_UNIT}(?:\bto\b|{CHANGE_TO})|(?<![\d.]){_N}{_UNIT}(?:->|→))"
    rf"\s*{_N}(?!\.?\d)",
    re.IGNORECASE,
)


def corrections(remark: str) -> list[tuple[Decimal, Decimal]]:
    """The (old, new) counts a remark gives, in the order written."""
    found = [
        (m.start(), to_decimal(m.group(2)), to_decimal(m.group(1)))
        for m in _NEW_NOT_OLD.finditer(remark)
    ]
    found += [
        (m.start(), to_decimal(m.group(1) or m.group(2)), to_decimal(m.group(3)))
        for m in _OLD_TO_NEW.finditer(remark)
    ]
    return [(old, new) for _at, old, new in sorted(found) if old and new and old != new]


def corrected(lines: list[Line], remark: str) -> list[Line]:
    """`lines` with the counts `remark` corrects: a line whose count is a correction's old
    count, when it is the only such line, takes the new count."""
    out = list(lines)
    for old, new in corrections(remark):
        at = [i for i, line in enumerate(out) if line.quantity == old]
        if len(at) == 1:
            out[at[0]] = replace(out[at[0]], quantity=new)
    return out
