"""Reading a table's header: which column holds what, from the names the header gives them.

The names are keyword tables in data/fields.toml, one list per role (sku, description,
quantity, unit price, ...), plainest name first; a header of two rows is read as one.
"""

from __future__ import annotations

import re

from mailroom.parsers.numbers import CURRENCY_MENTION
from mailroom.parsers.scripts import compile_either, load_table

_DATA = load_table("fields.toml")
# The count before a change comes first: "原数量" holds the word for a quantity too.
_ROLE_ORDER = (
    "previous_quantity",
    "quantity",
    "unit_price",
    "amount",
    "currency",
    "price_per",
    "unit",
    "sku",
    "description",
)
_ROLES = {
    role: compile_either(r"^(?:" + "|".join(_DATA["table_headers"][role]) + r")$", re.IGNORECASE)
    for role in (*_ROLE_ORDER, "line_no")
}


def _norm_header(cell: str) -> str:
    text = re.sub(r"[(（\[].*?[)）\]]", "", cell)
    text = re.sub(
        r"(?<![A-Za-z])(USD|EUR|GBP|CNY|RMB|HKD|AUD|CAD|JPY)(?![A-Za-z])|[$€£¥￥]", "", text
    )
    return re.sub(r"[\s:：.*]+$", "", text.strip()).strip()


def header_roles(row: list[str]) -> dict[str, int] | None:
    """Which column holds what, when `row` is a table's header (it names a quantity column).

    Columns claim roles left to right; a later column whose name is a plainer word for a
    taken role ("Description" after "Item") takes it over, and the first looks again ("Item"
    is then the line number)."""
    roles: dict[str, int] = {}
    for index, cell in enumerate(row):
        role = _cell_role(cell, roles)
        if role is None:
            role = _plainer_claim(row, index, roles)
            if role is not None:
                displaced = roles.pop(role)
                roles[role] = index
                other = _cell_role(row[displaced], roles)
                if other is not None and other not in roles:
                    roles[other] = displaced
                continue
        if role is not None:
            roles[role] = index
    if "quantity" in roles and len(roles) >= 2:
        return roles
    return None


# Each role's names one by one, plainest first as fields.toml lists them.
_ROLE_NAMES = {
    role: [compile_either(rf"^(?:{name})$", re.IGNORECASE) for name in _DATA["table_headers"][role]]
    for role in (*_ROLE_ORDER, "line_no")
}


def _rank(name: str, role: str) -> int | None:
    return next((i for i, p in enumerate(_ROLE_NAMES[role]) if p.match(name)), None)


def _plainer_claim(row: list[str], index: int, roles: dict[str, int]) -> str | None:
    """A taken role that the header at `index` names more plainly than its holder does."""
    name = _norm_header(row[index])
    for role, holder in roles.items():
        mine, theirs = _rank(name, role), _rank(_norm_header(row[holder]), role)
        if mine is not None and theirs is not None and mine < theirs:
            return role
    return None


# Chinese headers join their names ("品名规格", "供方型号"): a known name inside one counts.
_ROLES_INSIDE = {
    role: compile_either(r"(?:" + "|".join(_DATA["table_headers"][role]) + r")", re.IGNORECASE)
    for role in _ROLE_ORDER
}


def fitted_header(block: list[list[str]]) -> list[list[str]]:
    """`block` with its header split to the width of its rows, where one space (not two)
    kept two column names together ("序号 物料名称" over "1 | 深沟球轴承"): read unsplit, every
    name after it would stand over its neighbour's cells, a bearing's 6205 taken for a count."""
    header, rows = block[0], block[1:]
    widths = {len(row) for row in rows}
    if len(widths) != 1 or header_roles(header) is None:
        return block
    (width,) = widths
    if len(header) >= width:
        return block
    split: list[str] = []
    for cell in header:
        words = cell.split()
        named = len(words) > 1 and all(_cell_role(word, {}) for word in words)
        split.extend(words if named else [cell])
    return [split, *rows] if len(split) == width else block


_UNIT_WORD = "|".join(sorted(_DATA["quantity_units"]["pcs"], key=len, reverse=True))
# "20.000 Stk" under Menge | ME, "Stk 38,00 EUR" under ME | Preis: two cells set one space apart.
_RUN_TOGETHER = {
    ("quantity", "unit"): compile_either(rf"^(\d[\d.,' ]*)\s*((?:{_UNIT_WORD})\.?)$", re.I),
    ("unit", "unit_price"): compile_either(rf"^((?:{_UNIT_WORD})\.?)\s+(\d\S*(?:\s+\S+)?)$", re.I),
}


def fitted_rows(block: list[list[str]]) -> list[list[str]]:
    """`block` with a row one cell short of its header split where an unruled PDF's text ran
    two neighbouring columns together (a right-aligned price a space after its unit, a count
    just before it): read as one cell, every column after it stands under the wrong name."""
    block = _split_run_column(block)
    roles = header_roles(block[0])
    if roles is None:
        return block
    named = {index: role for role, index in roles.items()}
    return [block[0], *(_split_run(row, len(block[0]), named) for row in block[1:])]


def _split_run_column(block: list[list[str]]) -> list[list[str]]:
    """`block` with a column split in two where its heading and every row's cell ran two
    columns together ("Qty UoM" over "20,000 pcs", "500 m")."""
    header, rows = block[0], block[1:]
    for index, cell in enumerate(header):
        words = cell.split()
        if len(words) != 2:
            continue
        pattern = _RUN_TOGETHER.get(
            (_cell_role(words[0], {}) or "", _cell_role(words[1], {}) or "")
        )
        if pattern is None:
            continue
        found = [
            pattern.match(row[index].strip()) if len(row) == len(header) else None for row in rows
        ]
        full = [match for row, match in zip(rows, found, strict=True) if len(row) == len(header)]
        if not full or not all(full):
            continue
        split = [[*header[:index], *words, *header[index + 1 :]]]
        for row, match in zip(rows, found, strict=True):
            parts = [match.group(1).strip(), match.group(2)] if match else None
            split.append([*row[:index], *parts, *row[index + 1 :]] if parts else row)
        return split
    return block


def _split_run(row: list[str], width: int, named: dict[int, str]) -> list[str]:
    if len(row) != width - 1:
        return row
    for index, cell in enumerate(row):
        pattern = _RUN_TOGETHER.get((named.get(index, ""), named.get(index + 1, "")))
        found = pattern.match(cell.strip()) if pattern else None
        if found:
            return [*row[:index], found.group(1).strip(), found.group(2), *row[index + 1 :]]
    return row


def _cell_role(cell: str, taken: dict[str, int]) -> str | None:
    # "Description / Vendor Part": the whole cell first, then each of its names.
    names = [_norm_header(cell), *(_norm_header(p) for p in cell.split("/")[:2] if "/" in cell)]
    role = next(
        (
            r
            for name in names
            if name
            for r in (*_ROLE_ORDER, "line_no")
            if r not in taken and _ROLES[r].match(name)
        ),
        None,
    )
    if role is None and re.search(r"[\u3400-\u9fff]", names[0]) and len(names[0]) <= 8:
        role = next(
            (r for r in _ROLE_ORDER if r not in taken and _ROLES_INSIDE[r].search(names[0])), None
        )
    # A header in money ("Unit $", "Unit USD", "Ext $") is a price: the first the unit
    # price, the next the amount.
    if role in (None, "unit") and CURRENCY_MENTION.search(cell):
        return next((r for r in ("unit_price", "amount") if r not in taken), None)
    return role


def stacked(
    rows: list[list[str]], headers: list[dict[str, int] | None]
) -> list[tuple[dict[str, int], list[str]] | None]:
    """Each header row's roles and column names, a header of two rows read as one: "采购数量"
    over "数量(千只)" names one column, and the lower row's roles refine the upper's."""
    out: list[tuple[dict[str, int], list[str]] | None] = []
    for index, (row, roles) in enumerate(zip(rows, headers, strict=True)):
        upper = out[-1] if out and index and headers[index - 1] is not None else None
        if roles is not None and upper is not None and len(upper[1]) == len(row):
            names = [f"{a} {b}".strip() for a, b in zip(upper[1], row, strict=False)]
            out.append(({**upper[0], **roles}, names))
        else:
            out.append((roles, row) if roles is not None else None)
    return out
