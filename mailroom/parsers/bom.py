"""Bills of materials: counts per assembly, and the number of assemblies the mail asks for.

A BOM names where each part sits on the board (a designator column: "X1, X2", "R1-R4"), so its
quantities are per board, not an order's counts. The mail says how many are built ("quote for
a pilot build of 250 IO modules", "for 1,000 boards"): each line is the count per board times
that. A row the catalog does not know is a part bought elsewhere, not a line. When the mail
gives no number of assemblies, or gives several, the per-board counts stand but no line is sure.
"""

from __future__ import annotations

import re
from decimal import Decimal

from mailroom.parsers.numbers import NUMBER, to_decimal
from mailroom.parsers.scripts import compile_either, load_table
from mailroom.parsers.tables import Row

_DATA = load_table("fields.toml")["bom"]
_DESIGNATOR = compile_either(r"^\s*(?:" + "|".join(_DATA["designator"]) + r")\s*$", re.I)
# "250 IO modules", "1,000 boards", "250 块板": a count, at most two words, an assembly word.
_BUILDS = compile_either(
    rf"(?<![\w.,])({NUMBER})\s*(?:[A-Za-z][\w./-]*\s+){{0,2}}?(?:{'|'.join(_DATA['assembly'])})"
    r"(?![A-Za-z])",
    re.IGNORECASE,
)


def is_bom(table: list[list[str]]) -> bool:
    """Whether a table is a bill of materials: a header row among its first rows names a
    designator column."""
    return any(_DESIGNATOR.match(cell) for row in table[:5] for cell in row)


def builds_in(text: str) -> Decimal | None:
    """The one number of assemblies a text asks for ("for 250 boards"), or None when it names
    none or more than one."""
    counts = {to_decimal(found.group(1)) for found in _BUILDS.finditer(text)}
    counts.discard(None)
    if len(counts) != 1:
        return None
    count = counts.pop()
    return count if count is not None and count > 0 and count == int(count) else None


def per_builds(rows: list[Row], builds: Decimal | None) -> list[Row]:
    """A BOM's rows as order lines: those of our products, at their count times `builds`; not
    sure when the number of assemblies is unknown."""
    lines = [row for row in rows if row.match is not None]
    for row in lines:
        if builds is None:
            row.guessed = True
        else:
            row.quantity *= builds
    return lines
