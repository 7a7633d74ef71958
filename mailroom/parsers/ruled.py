"""Tables printed in fixed width under a ruler of dashes, as IBM i spool files, SAP lists and
other ERP printouts write them:

    LN ITEM NUMBER     DESCRIPTION          QTY ORD UM  UNIT COST PER
    -- --------------- -------------------- ------- -- ---------- ---
    01 SC-HN12SS304    NUT HEX M12 SS304     20,000 EA      7.000  C
                       VEND ITEM HX-3012

Words inside a column are one space apart, so runs of spaces do not find the columns; the
ruler does. Each dash run is a column from its first character to the next run's, and the
header and every row down to the next blank line are cut there and written as `a | b | c`
rows, so the one table reader reads them. A line that fills one column alone, under a row,
is the rest of that row's cell (a second line of the description, the vendor's item code).
"""

from __future__ import annotations

import re

_RULER = re.compile(r"^\s*-{2,}(?: {1,2}-{2,}){2,}\s*$")
_DASHES = re.compile(r"-+")


def ruled_as_cells(lines: list[str]) -> list[str]:
    """`lines` with each table under a ruler of dashes written as `a | b | c` rows (its
    header included, the ruler left out); other lines as they were."""
    out = list(lines)
    for index, line in enumerate(lines):
        if index and _RULER.match(line) and lines[index - 1].strip():
            _rewrite(out, index, [m.start() for m in _DASHES.finditer(line)])
    return out


def _rewrite(lines: list[str], ruler: int, starts: list[int]) -> None:
    cuts = [0, *starts[1:]]
    rows: list[list[str]] = [_cut(lines[ruler - 1], cuts)]
    end = ruler + 1
    while end < len(lines) and lines[end].strip():
        cells = _cut(lines[end], cuts)
        filled = [i for i, cell in enumerate(cells) if cell]
        if len(rows) > 1 and len(filled) == 1 and not _DASHES.fullmatch(cells[filled[0]]):
            above = rows[-1]
            above[filled[0]] = f"{above[filled[0]]} {cells[filled[0]]}".strip()
        elif not all(_DASHES.fullmatch(cell) for cell in cells if cell):
            rows.append(cells)
        end += 1
    lines[ruler - 1 : end] = ["| " + " | ".join(row) + " |" for row in rows] + [""] * (
        end - ruler + 1 - len(rows)
    )


def _cut(line: str, cuts: list[int]) -> list[str]:
    bounds = [*cuts[1:], max(len(line), cuts[-1]) + 1]
    return [line[a:b].strip() for a, b in zip(cuts, bounds, strict=True)]
