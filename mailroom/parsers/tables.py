"""Finding tables in text and reading order lines out of rows of cells.

A table is any block of rows: `a | b | c` (what HTML tables become), tab-separated, or aligned
with runs of spaces; attachments hand their tables over as rows of cells already. A header
row names the columns (keyword tables in data/fields.toml); without one, each row is read by
what its cells look like.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from mailroom.parsers.catalog import SURE, Catalog, SkuMatch
from mailroom.parsers.columns import Columns, in_point_style, infer_columns
from mailroom.parsers.headers import fitted_header, fitted_rows, header_roles, stacked
from mailroom.parsers.numbers import (
    CURRENCY_MENTION,
    currency_code,
    currency_in,
    parse_price_cell,
    parse_quantity_cell,
)
from mailroom.parsers.ruled import ruled_as_cells
from mailroom.parsers.scales import count_scale, per_cell, per_piece, price_per
from mailroom.parsers.scripts import compile_either

_TOTAL = compile_either(
    r"^\s*(sub-?total|total|grand total|(zwischen|gesamt|netto)?summe|gesamt(netto|betrag)"
    r"|合计|合計|总计|總計|小计|金额合计)\b",
    re.I,
)
_SEPARATOR = compile_either(r"^[\s|+=\-_:]+$")
# Something that looks like a part code; PO, order and quote references are not parts. With a
# space between letters and digits only capitals make a code ("LRS 120", not "build of 40"),
# and not when more groups of digits follow: "ABN 61 104 558 217" is a registration number.
_CODE = compile_either(
    r"(?<![A-Za-z])(?!(?:PO|SO|Q|ORD|INV|NO|NR|REF|TEL|FAX)\b[- ]?\d)"
    r"(?:[A-Za-z]{1,6}-?\d{2,}[\w\-/.]*|(?-i:[A-Z]{1,6}) \d{2,}[\w\-/.]*(?! \d))"
    r"|\d{3,}[-/][\w\-/]+",
    re.IGNORECASE,
)


@dataclass
class Row:
    """One order line read from a table row, before catalog matching decides the SKU."""

    description: str
    quantity: Decimal
    match: SkuMatch | None
    unit_price: Decimal | None
    currency: str | None
    # True when the count is a guess: the lower bound of a range ("3-5k pcs"), or a number
    # that may be one of two ("Size 8 100 pcs"). A clerk or the customer must settle it before
    # the order is confirmed.
    guessed: bool = False


# Markdown's emphasis around a whole cell ("**800**", "`HX-2040`") is how it looks, not what it
# says.
_EMPHASIS = re.compile(r"^(\*\*|__|\*|_|`)(.+)\1$")


def split_cells(line: str) -> list[str] | None:
    """The cells of a line that looks like a table row, or None for running text."""
    stripped = line.strip()
    if stripped.count("|") >= 1 and len(stripped) > 2:
        cells = [_EMPHASIS.sub(r"\2", c.strip()).strip() for c in stripped.strip("|").split("|")]
        return cells if len(cells) >= 2 else None
    if "\t" in stripped:
        cells = [c.strip() for c in re.split(r"\t+", stripped)]
        return cells if len(cells) >= 2 else None
    cells = [c.strip() for c in re.split(r"\s{2,}|\u3000+", stripped)]
    return cells if len(cells) >= 3 else None


def find_tables(text: str) -> tuple[list[list[list[str]]], list[str]]:
    """Split text into tables (blocks of table-like rows) and the remaining running lines."""
    tables: list[list[list[str]]] = []
    free: list[str] = []
    block: list[list[str]] = []
    block_lines: list[str] = []
    lines = [*ruled_as_cells(text.split("\n")), ""]
    for index, line in enumerate(lines):
        if line.strip() and _SEPARATOR.match(line) and block:
            continue
        cells = split_cells(line) if line.strip() else None
        if cells is not None:
            block.append(cells)
            block_lines.append(line)
            continue
        if block and line.strip() and _row_of_width(lines[index + 1 :], len(block[-1])):
            free.append(line)  # a note under a row ("Delivery date: ...") does not end the table
            continue
        if len(block) >= 2 or any("|" in b for b in block_lines):
            tables.append(fitted_rows(fitted_header(block)))
        else:
            free.extend(block_lines)
        block, block_lines = [], []
        free.append(line)
    return tables, free


def _row_of_width(rest: list[str], width: int) -> bool:
    """Whether the next line is a table row of `width` cells."""
    cells = split_cells(rest[0]) if rest and rest[0].strip() else None
    return cells is not None and len(cells) == width


def rows_to_lines(rows: list[list[str]], catalog: Catalog, currency: str | None) -> list[Row]:
    """Order lines from a table: by its header when it has one (unless the cells' sums say
    its names stand over other cells), else by what its columns hold, else by each row's look."""
    rows = in_point_style(rows)
    headers = [header_roles(row) if any(c.strip() for c in row) else None for row in rows]
    header = next((roles for roles in headers if roles), None)
    columns = None
    if header is None or "unit_price" not in header or _doubtful_counts(header, rows, headers):
        columns = infer_columns(rows, catalog)
        if columns is not None and (header is None or _cells_contradict(header, columns)):
            return _rows_by_columns(rows, columns, catalog, currency)
    out: list[Row] = []
    roles: dict[str, int] | None = None
    named: list[str] = []
    column_currency = currency
    for row, found in zip(rows, stacked(rows, headers), strict=True):
        if not any(c.strip() for c in row):
            continue
        if found is not None:
            roles, named = _with_summed_price(found[0], columns), found[1]
            column_currency = _header_currency(row, roles) or currency
            continue
        if any(_TOTAL.match(c) for c in row):
            continue
        line = (
            _row_by_header(row, roles, catalog, column_currency, named)
            if roles
            else _row_by_look(row, catalog, currency)
        )
        if line is not None:
            out.append(line)
    return out


_DIGITS_ONLY = re.compile(r"^\d+(?:\s*[A-Za-z\u3400-\u9fff]{0,6})?$")


def _doubtful_counts(
    roles: dict[str, int], rows: list[list[str]], headers: list[dict[str, int] | None]
) -> bool:
    """Whether the column the header calls the quantity holds a fraction or no number in some
    row: then its cells are asked what they hold (a whole-number column needs no asking)."""
    index = roles["quantity"]
    for row, header in zip(rows, headers, strict=True):
        cell = row[index].strip() if index < len(row) else ""
        if header or not cell or any(_TOTAL.match(c) for c in row):
            continue  # a note or a total under the lines counts nothing
        if _DIGITS_ONLY.match(cell):
            continue  # "200", "50 pcs": whole at a glance
        count = parse_quantity_cell(cell)
        if count is None or count != count.to_integral_value():
            return True
    return False


def _cells_contradict(roles: dict[str, int], columns: Columns) -> bool:
    """Whether the cells' arithmetic (quantity times unit price is the amount, row after row)
    puts the quantity or the price in other columns than the header names. Text laid out from
    a PDF drops a column that is empty throughout ("Taxes"), and the names then stand over the
    wrong cells; the sums do not move."""
    if not columns.checked:
        return False
    return roles.get("quantity") != columns.quantity or roles.get("unit_price") not in (
        None,
        columns.unit_price,
    )


def _with_summed_price(roles: dict[str, int], columns: Columns | None) -> dict[str, int]:
    """A header's roles, with the price column the cells' sums show when the header names none
    ("Sales Price", words we never listed): quantity x price = amount row after row, with the
    quantity in the column the header says."""
    if "unit_price" in roles or columns is None or columns.unit_price is None:
        return roles
    if not columns.checked or columns.quantity != roles.get("quantity"):
        return roles
    if columns.unit_price in roles.values():
        return roles
    return {**roles, "unit_price": columns.unit_price}


def _rows_by_columns(
    rows: list[list[str]], columns: Columns, catalog: Catalog, currency: str | None
) -> list[Row]:
    width = max(columns.item + (columns.quantity, columns.unit_price or 0)) + 1
    currency = currency_in(" ".join(" ".join(row) for row in rows[:3])) or currency
    out = []
    for row in rows:
        if len(row) < width or any(_TOTAL.match(c) for c in row):
            continue
        quantity = parse_quantity_cell(row[columns.quantity])
        names = [row[i].strip() for i in columns.item if row[i].strip()]
        if quantity is None or not names:
            continue
        match = next((m for m in map(catalog.resolve, names) if m is not None), None)
        price, cur = (None, None)
        if columns.unit_price is not None:
            price, cur = parse_price_cell(row[columns.unit_price])
        out.append(
            Row(" ".join(names), quantity, match, price, (cur or currency) if price else None)
        )
    return out


def _header_currency(row: list[str], roles: dict[str, int]) -> str | None:
    for role in ("unit_price", "amount"):
        if role in roles:
            found = CURRENCY_MENTION.search(row[roles[role]])
            if found:
                return currency_code(found.group(0)) or found.group(0).upper()
    return None


def _cell(row: list[str], roles: dict[str, int], role: str) -> str:
    index = roles.get(role)
    return row[index].strip() if index is not None and index < len(row) else ""


def _row_by_header(
    row: list[str],
    roles: dict[str, int],
    catalog: Catalog,
    currency: str | None,
    names: list[str] | None = None,
) -> Row | None:
    quantity = parse_quantity_cell(_cell(row, roles, "quantity"))
    if (
        quantity is not None
        and "previous_quantity" in roles
        and quantity == parse_quantity_cell(_cell(row, roles, "previous_quantity"))
    ):
        return None  # a change document's line that its change leaves as it was
    code, desc = _cell(row, roles, "sku"), _cell(row, roles, "description")
    numbered = _cell(row, roles, "line_no")
    if not code and re.search(r"[A-Za-z]", numbered):
        code = numbered  # an "Item" column that holds part codes, not running numbers
    if "sku" not in roles and "description" not in roles:
        # A header that names the count and the price but not the item ("Part", "Your SKU"):
        # the item is in the columns it left unnamed.
        desc = " ".join(_unnamed_texts(row, roles))
    if (
        quantity is None
        or not (code or desc)
        or not re.search(r"[A-Za-z\u3400-\u9fff]", code + desc)
    ):
        return None
    match = _row_match(row, roles, code, desc, catalog)
    price, price_currency = parse_price_cell(_cell(row, roles, "unit_price"))
    cur = price_currency or currency_code(_cell(row, roles, "currency")) or currency
    if price is None:
        cur = None
    unnamed_item = "sku" not in roles and "description" not in roles
    if unnamed_item and match is None and not _CODE.search(desc):
        return None  # no column of the row names an item
    description = " ".join(p for p in (code, desc) if p)
    count, per = _scales(row, roles, names or [])
    if count != 1 and not re.search(r"\d\s*[千万萬kK]", _cell(row, roles, "quantity")):
        quantity *= count
    return Row(description, quantity, match, per_piece(price, per), cur)


def _scales(row: list[str], roles: dict[str, int], names: list[str]) -> tuple[int, int]:
    """How many pieces a row's counted unit is, and how many its price is for: from the
    header's names ("数量(千只)", "单价(元/千只)"), a unit cell ("千只", "k pcs") and a PER
    column (C, M). A price with no "per" of its own is for the unit the row counts in."""
    unit = count_scale(_cell(row, roles, "unit"))
    count = max(unit, count_scale(_cell(names, roles, "quantity")))
    per = price_per(_cell(names, roles, "unit_price")) if "unit_price" in roles else 1
    if per == 1 and "price_per" in roles:
        per = per_cell(_cell(row, roles, "price_per"))
    if per == 1:
        per = price_per(_cell(row, roles, "unit_price"))
    return count, per if per != 1 else unit


def _row_by_look(row: list[str], catalog: Catalog, currency: str | None) -> Row | None:
    cells = [c.strip() for c in row]
    texts = [c for c in cells if re.search(r"[A-Za-z\u3400-\u9fff]", c) and not _is_money(c)]
    numbers = [c for c in cells if c and c not in texts]
    # A leading running number (1, 2, 3 ...) is not a quantity.
    if len(numbers) >= 2 and numbers[0] == cells[0] and re.fullmatch(r"\d{1,3}\.?", cells[0]):
        numbers = numbers[1:]
    if not texts or not numbers:
        return None
    match = None
    for text in texts:
        match = catalog.resolve(text)
        if match:
            break
    if match is None and not any(_CODE.search(t) for t in texts):
        return None
    quantity, price, cur = None, None, None
    for cell in numbers:
        # "10.000 pcs" is a count (dots between thousands); a bare "1.55" is a price.
        countable = "." not in cell or re.search(r"\d\s*[A-Za-z\u3400-\u9fff]", cell)
        if quantity is None and countable and not CURRENCY_MENTION.search(cell):
            quantity = parse_quantity_cell(cell)
        elif price is None:
            price, cur = parse_price_cell(cell)
    if quantity is None:
        return None
    cur = (cur or currency_in(" ".join(cells)) or currency) if price is not None else None
    return Row(" ".join(texts), quantity, match, price, cur)


def _row_match(
    row: list[str], roles: dict[str, int], code: str, desc: str, catalog: Catalog
) -> SkuMatch | None:
    """The product a row names: by its code, else its description; else, or when those only
    guess, the surest match of the columns the header left unnamed ("Our Item", "Spec").

    A description that fits two products ("深溝球軸承", both of our deep groove bearings) is
    only a guess at one of them; a sure match in another column of a product the description
    also fits (規格 "6205-2RS") says which."""
    named = (catalog.resolve(code) if code else None) or (
        catalog.resolve(desc) if desc and "description" in roles else None
    )
    if named is not None and named.sure:
        return named  # the unnamed columns are asked only when the named ones do not say
    found = [m for m in map(catalog.resolve, _unnamed_texts(row, roles)) if m]
    unnamed = max(found, key=lambda m: (m.sure, m.score), default=None)
    if "description" not in roles:
        joined = catalog.resolve(desc) if desc and not (named or unnamed) else None
        return named or unnamed or joined or _mentioned(desc, catalog)
    if named is None:
        return unnamed or _mentioned(desc, catalog)
    if unnamed is not None and unnamed.sure and catalog.fits(desc, unnamed.sku):
        return unnamed
    return named


def _mentioned(desc: str, catalog: Catalog) -> SkuMatch | None:
    """The one product a description no name matches still mentions by its telling token
    ("2835暖白灯珠 0.5W 3000K" of our 2835 warm white chip), as a guess; None when it mentions
    several, or names another variant of it."""
    skus = {sku for _start, _end, sku in catalog.mentions(desc)}
    if len(skus) != 1 or catalog.other_variant_of(desc) is not None:
        return None
    return SkuMatch(skus.pop(), "words", SURE - 1)


def _unnamed_texts(row: list[str], roles: dict[str, int]) -> list[str]:
    """The cells of `row` in columns the header gave no role, that hold words, not money."""
    named = set(roles.values())
    return [
        c.strip()
        for i, c in enumerate(row)
        if i not in named
        and re.search(r"[A-Za-z\u3400-\u9fff]", c)
        and (_CODE.search(c) or not _is_money(c))  # "6205-2RS" is a code, "50 pcs" a count
    ]


def _is_money(cell: str) -> bool:
    return parse_price_cell(cell)[0] is not None or parse_quantity_cell(cell) is not None
