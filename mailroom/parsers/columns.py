"""What a table's columns hold, told from the cells themselves rather than the header's words.

Header keywords cover the languages we listed; a German CSV (`Menge;Einzelpreis`), a Japanese
sheet or a PDF whose header did not survive extraction still has columns that say what they
are: the one whose cells name catalog products is the item, a column of 1, 2, 3 ... counts
lines, and of the numeric columns the quantity times the unit price gives the amount. A table
also writes its numbers one way throughout, so `1.500` in a table of `1,70` and `2.550,00` is
fifteen hundred; `number_style` finds that way and `in_point_style` rewrites a table in it.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from mailroom.parsers.catalog import Catalog
from mailroom.parsers.numbers import TAX_NOTE

# A number cell, with a currency sign or code around it and a unit after it.
# It may say what it is first ("單價 USD 1.55", "Price: 3.20").
_AROUND = re.compile(
    r"^\s*(?:(?:unit\s*price|price|单价|單價|价格|價格|@)\s*[:：]?\s*)?"
    r"(?:US\$|HK\$|NT\$|[$€£¥￥]|USD|EUR|GBP|CNY|RMB|HKD|AUD|CAD|CHF)?\s*"
    r"(?P<number>[-+]?\d[\d.,' \u00a0]*)\s*"
    r"(?:USD|EUR|GBP|CNY|RMB|HKD|AUD|CAD|CHF|€|元|[A-Za-z\u3400-\u9fff]{1,6}\.?)?"
    r"(?:\s*/\s*[A-Za-z\u3400-\u9fff]{1,4})?" + TAX_NOTE + r"\s*$",
    re.IGNORECASE,
)
_COMMA_DECIMAL = re.compile(r"^\d{1,3}(?:[. \u00a0']\d{3})+,\d+$|^\d+,\d{1,2}$")
_DOT_THOUSANDS = re.compile(r"\d{1,3}(?:\.\d{3})+")
_POINT_DECIMAL = re.compile(r"^\d{1,3}(?:,\d{3})+\.\d+$|^\d+\.\d{1,2}$")


def number_style(cells: list[str]) -> str:
    """`comma` when the cells write decimals with a comma (`0,07`, `1.250,50`), else `point`."""
    votes: Counter[str] = Counter()
    for cell in cells:
        found = _AROUND.match(cell)
        if not found:
            continue
        number = found.group("number").strip()
        if _COMMA_DECIMAL.match(number):
            votes["comma"] += 1
        elif _POINT_DECIMAL.match(number):
            votes["point"] += 1
    return "comma" if votes["comma"] > votes["point"] else "point"


def to_number(cell: str, style: str) -> Decimal | None:
    """The number a cell holds in the table's style, or None when it holds none."""
    found = _AROUND.match(cell)
    if not found or not re.search(r"\d", cell):
        return None
    number = re.sub(r"[ \u00a0']", "", found.group("number").strip())
    if style == "comma" and ("," in number or _DOT_THOUSANDS.fullmatch(number)):
        number = number.replace(".", "").replace(",", ".")
    elif style == "comma":
        pass  # a point that groups no thousands ("2.5K" beside "2,70 €") is a decimal point
    else:
        number = number.replace(",", "")
    try:
        return Decimal(number)
    except InvalidOperation:
        return None


def in_point_style(rows: list[list[str]]) -> list[list[str]]:
    """The table with decimal-comma numbers rewritten with a point (`1.250,50` -> `1250.50`),
    so the readers that follow need know only one way; other tables are returned as they are."""
    if number_style([cell for row in rows for cell in row]) != "comma":
        return rows
    return [[_rewritten(cell) for cell in row] for row in rows]


def _rewritten(cell: str) -> str:
    found = _AROUND.match(cell)
    if not found:
        return cell
    value = to_number(cell, "comma")
    if value is None:
        return cell
    start, end = found.span("number")
    trailing = cell[start:end][len(cell[start:end].rstrip()) :]
    return f"{cell[:start]}{value}{trailing}{cell[end:]}"


@dataclass(frozen=True)
class Columns:
    """Which column holds what, as the cells showed."""

    item: tuple[int, ...]
    quantity: int
    unit_price: int | None = None
    # Whether quantity times unit price gave another column (the amount) row after row.
    checked: bool = False


def infer_columns(rows: list[list[str]], catalog: Catalog) -> Columns | None:
    """The columns of a table of order lines, from its cells, or None when they do not say.

    Args:
        rows: the table's rows (a header row, if any, is simply not counted: it has no numbers).
        catalog: tells which cells name our products.
    """
    width = Counter(len(row) for row in rows if any(c.strip() for c in row)).most_common(1)
    if not width:
        return None
    # The rows of lines: the table's usual width, with a number somewhere (a header has none).
    body = [
        row for row in rows if len(row) == width[0][0] and any(re.search(r"\d", c) for c in row)
    ]
    if len(body) < 2:
        return None
    numeric = {i: _numbers(body, i) for i in range(width[0][0])}
    numeric = {i: values for i, values in numeric.items() if _mostly(values, len(body))}
    items = _item_columns(body, catalog, set(numeric))
    if not items:
        return None
    counts = [i for i in numeric if i not in items and not _running(numeric[i])]
    triple = _priced(numeric, counts)
    if triple is not None:
        return Columns(items, *triple, checked=True)
    whole = [i for i in counts if _whole(numeric[i])]
    if not whole:
        return None
    quantity = whole[0]
    fractional = [i for i in counts if i != quantity and i not in whole]
    return Columns(items, quantity, fractional[0] if fractional else None)


def _numbers(body: list[list[str]], index: int) -> list[Decimal | None]:
    style = number_style([row[index] for row in body])
    return [to_number(row[index], style) for row in body]


def _mostly(values: list[Decimal | None], rows: int) -> bool:
    return sum(v is not None for v in values) >= max(2, rows * 0.8)


def _running(values: list[Decimal | None]) -> bool:
    """1, 2, 3 ... (or 10, 20, 30 ...): line numbers, not counts."""
    found = [v for v in values if v is not None]
    if len(found) < 2:
        return False
    step = found[1] - found[0]
    return (
        step in (1, 10)
        and found[0] in (1, 10)
        and all(b - a == step for a, b in zip(found, found[1:], strict=False))
    )


def _item_columns(body: list[list[str]], catalog: Catalog, numeric: set[int]) -> tuple[int, ...]:
    """The columns that name products: those where the catalog recognises most cells, else
    every column of words."""
    named = []
    texts = []
    for index in range(len(body[0])):
        if index in numeric:
            continue
        cells = [row[index].strip() for row in body]
        if sum(bool(re.search(r"[A-Za-z\u3400-\u9fff]", c)) for c in cells) < len(cells) / 2:
            continue
        texts.append(index)
        if sum(catalog.resolve(c) is not None for c in cells if c) >= len(cells) / 2:
            named.append(index)
    return tuple(named or texts)


def _priced(numeric: dict[int, list[Decimal | None]], counts: list[int]) -> tuple[int, int] | None:
    """(quantity, unit price) columns whose product is another column (the amount)."""
    for q in counts:
        for p in counts:
            if p == q:
                continue
            for a in counts:
                if a in (p, q):
                    continue
                pairs = list(zip(numeric[q], numeric[p], numeric[a], strict=False))
                hits = sum(
                    1
                    for qty, price, amount in pairs
                    if qty and price and amount and abs(qty * price - amount) <= amount / 100
                )
                if hits >= max(2, len(pairs) * 0.8):
                    # Counts are whole; of two whole columns the price is the smaller.
                    return (p, q) if _whole(numeric[p]) and not _whole(numeric[q]) else (q, p)
    return None


def _whole(values: list[Decimal | None]) -> bool:
    return all(v == v.to_integral_value() for v in values if v is not None)
