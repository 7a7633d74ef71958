"""How the record commands print: a JSON array or object for scripts, plain lines for people.

Money is written as decimal strings with at least the currency's decimals, never as floats,
so a script reads exactly what the customer was charged or quoted.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from decimal import Decimal
from typing import Any, TypeVar

import click

from mailroom.pricing import minor_unit

Row = TypeVar("Row")


def number_text(value: Decimal | None) -> str | None:
    """A quantity without trailing zeros (600, 2.5); None stays None."""
    return None if value is None else f"{value.normalize():f}"


def money_text(value: Decimal | None, currency: str | None) -> str | None:
    """A price or amount with at least the currency's decimals (972.00, 0.10, 0.012)."""
    if value is None:
        return None
    places = max(minor_unit(currency or "USD"), -int(value.normalize().as_tuple().exponent))
    return f"{value.quantize(Decimal(1).scaleb(-places)):f}"


def totals_text(totals: Mapping[str, Decimal]) -> str:
    """Totals per currency on one line ("EUR 12.00, USD 972.00"), or "-" when there are none."""
    return ", ".join(f"{c} {money_text(t, c)}" for c, t in sorted(totals.items())) or "-"


def echo_rows(
    rows: Sequence[Row],
    *,
    as_json: bool,
    to_json: Callable[[Row], dict[str, Any]],
    summary: Callable[[Row], str],
    none: str,
) -> None:
    """Print a listing: a JSON array of `to_json(row)`, or one `summary(row)` line per row.

    Args:
        rows: the records, in the order to print them.
        as_json: print the JSON array instead of lines.
        to_json: a record as a JSON object.
        summary: a record as one line for people.
        none: the line printed when there are no records (not in JSON).
    """
    if as_json:
        click.echo(json.dumps([to_json(row) for row in rows], ensure_ascii=False))
        return
    if not rows:
        click.echo(none)
    for row in rows:
        click.echo(summary(row))


def echo_json(data: dict[str, Any]) -> None:
    """Print one record as an indented JSON object."""
    click.echo(json.dumps(data, ensure_ascii=False, indent=2))


def echo_lines(lines: Iterable[str]) -> None:
    """Print one record as lines for people."""
    for text in lines:
        click.echo(text)
