"""A clerk's corrections to what was extracted from a mail, checked before the flow resumes.

The web form and `mailroom queue resolve --set` both build the corrections dict here, so a
value a clerk types is checked the same way wherever it is typed. The dict holds only what
changed, in the keys of the parse contract (`lines` is replaced as a whole when any line
changed), and is what `mailroom.queue.accept` takes.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from mailroom.errors import UsageError
from mailroom.parsers.result import INTENTS

FIELDS = (
    "intent",
    "customer_id",
    "po_number",
    "order_number",
    "quote_number",
    "tracking_number",
    "requested_date",
    "ship_to",
)
LINE_FIELDS = ("sku", "description", "quantity", "unit_price", "currency")
_ASSIGNMENT = re.compile(r"^(?:lines\.(\d+)\.)?([a-z_]+)=(.*)$", re.DOTALL)


def clean_field(name: str, value: str) -> str | None:
    """The stored value of field `name` as typed (blank means none).

    Raises:
        UsageError: unknown field, unknown intent, or a date that is not YYYY-MM-DD.
    """
    if name not in FIELDS:
        raise UsageError(f"{name!r} cannot be corrected; fields are: {', '.join(FIELDS)}")
    value = value.replace("\r\n", "\n").strip()
    if not value:
        if name == "intent":
            raise UsageError("the intent cannot be blank")
        return None
    if name == "intent" and value not in INTENTS:
        raise UsageError(f"unknown intent {value!r}; intents are: {', '.join(INTENTS)}")
    if name == "requested_date":
        try:
            value = date.fromisoformat(value).isoformat()
        except ValueError:
            raise UsageError(f"requested_date must be YYYY-MM-DD (got {value!r})") from None
    return value


def clean_line(values: dict[str, str], number: int) -> dict[str, Any]:
    """One line in the contract's shape from typed values (line `number` counts from 1).

    Raises:
        UsageError: no description and no SKU, a quantity that is not a positive number,
            a price that is not a decimal, or a currency that is not three letters.
    """
    sku = values.get("sku", "").strip() or None
    description = values.get("description", "").strip()
    if not sku and not description:
        raise UsageError(f"line {number}: give a SKU or a description")
    quantity = _decimal(values.get("quantity", ""), f"line {number}: quantity")
    if quantity is None or quantity <= 0:
        raise UsageError(f"line {number}: the quantity must be a number above 0")
    price = _decimal(values.get("unit_price", ""), f"line {number}: unit price")
    if price is not None and price < 0:
        raise UsageError(f"line {number}: the unit price cannot be negative")
    currency = values.get("currency", "").strip().upper() or None
    if currency is not None and not re.fullmatch(r"[A-Z]{3}", currency):
        raise UsageError(f"line {number}: the currency is a three-letter code such as USD")
    return {
        "sku": sku,
        "description": description or (sku or ""),
        "quantity": int(quantity) if quantity == quantity.to_integral_value() else float(quantity),
        "unit_price": None if price is None else f"{price:f}",
        "currency": currency,
    }


def changes(
    parsed: dict[str, Any],
    fields: dict[str, str],
    lines: list[dict[str, str]] | None = None,
) -> dict[str, Any]:
    """The corrections: checked fields and lines that differ from `parsed`.

    Args:
        parsed: the mail's parse object as stored.
        fields: field name -> typed value (fields not given are left alone).
        lines: every line as typed (None: lines are left alone); blank rows are dropped.
    """
    result: dict[str, Any] = {}
    for name, typed in fields.items():
        value = clean_field(name, typed)
        if value != parsed.get(name):
            result[name] = value
    if lines is not None:
        rows = [row for row in lines if any(str(v).strip() for v in row.values())]
        cleaned = [clean_line(row, n) for n, row in enumerate(rows, start=1)]
        if cleaned != [_as_line(line) for line in parsed.get("lines") or []]:
            result["lines"] = cleaned
    return result


def from_assignments(parsed: dict[str, Any], assignments: list[str]) -> dict[str, Any]:
    """The corrections of `--set` options: `po_number=PO-7` or `lines.0.quantity=120`.

    Raises:
        UsageError: an assignment is not NAME=VALUE, names an unknown field or a line
            that does not exist, or its value does not pass the checks above.
    """
    fields: dict[str, str] = {}
    lines = [
        {k: "" if v is None else str(v) for k, v in line.items()}
        for line in parsed.get("lines") or []
    ]
    touched_lines = False
    for assignment in assignments:
        match = _ASSIGNMENT.match(assignment.strip())
        if match is None:
            raise UsageError(f"--set takes NAME=VALUE or lines.N.NAME=VALUE (got {assignment!r})")
        index, name, value = match.groups()
        if index is None:
            fields[name] = value
            continue
        if name not in LINE_FIELDS:
            raise UsageError(f"a line has no {name!r}; line fields are: {', '.join(LINE_FIELDS)}")
        number = int(index)
        if number > len(lines):
            raise UsageError(
                f"there is no line {number}; lines count from 0 (or add line {len(lines)})"
            )
        if number == len(lines):
            lines.append(dict.fromkeys(LINE_FIELDS, ""))
        lines[number][name], touched_lines = value, True
    return changes(parsed, fields, lines if touched_lines else None)


def _decimal(text: str, what: str) -> Decimal | None:
    text = str(text).strip().replace(",", "")
    if not text:
        return None
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise UsageError(f"{what} must be a number (got {text!r})") from None
    if not value.is_finite():
        raise UsageError(f"{what} must be a number (got {text!r})")
    return value


def _as_line(line: dict[str, Any]) -> dict[str, Any]:
    """A stored line in the same normal form as a cleaned one, to compare them."""
    return {name: line.get(name) for name in LINE_FIELDS}
