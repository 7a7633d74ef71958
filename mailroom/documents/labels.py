"""Labels and number formats of our documents, per language, read from the TOML data files."""

from __future__ import annotations

import logging
import tomllib
from datetime import date
from decimal import Decimal
from functools import cache
from importlib import resources
from typing import Any

from mailroom.pricing import minor_unit, round_money

LANGUAGES = ("en", "zh")
log = logging.getLogger(__name__)


def normalise_language(language: str | None) -> str:
    """The document language for a customer's language tag ("zh-CN" -> "zh", None -> "en").

    Args:
        language: a language tag as stored on the customer, or None.

    Returns:
        "zh" or "en"; any other language gets English, with a log line saying so.
    """
    tag = (language or "en").strip().lower().replace("_", "-")
    base = tag.split("-", 1)[0]
    if base in LANGUAGES:
        return base
    log.info("no document labels for language %r; using English", language)
    return "en"


@cache
def labels(language: str) -> dict[str, Any]:
    """All labels of one language, as in `templates/labels.<language>.toml`.

    Args:
        language: "en" or "zh" (other tags go through `normalise_language`).

    Returns:
        The parsed label table (treat as read-only: it is shared).
    """
    name = f"labels.{normalise_language(language)}.toml"
    text = (
        resources.files("mailroom.documents")
        .joinpath("templates")
        .joinpath(name)
        .read_text("utf-8")
    )
    return tomllib.loads(text)


def field_label(table: dict[str, Any], kind: str, name: str) -> str:
    """The label of an info field, with a kind's own wording where it has one."""
    return str(table["fields_by_kind"].get(kind, {}).get(name) or table["fields"][name])


def unit_label(table: dict[str, Any], unit: str) -> str:
    """A unit of measure in the document's language; unknown units are printed as given."""
    return str(table["units"].get(unit.strip().lower(), unit))


def format_date(table: dict[str, Any], day: date, *, short: bool = False) -> str:
    """A date in the language's format (2026-03-02, 2026年3月2日); `short` for table cells."""
    pattern = table["short_date_format" if short else "date_format"]
    return str(pattern).format(year=day.year, month=day.month, day=day.day)


def format_quantity(quantity: Decimal) -> str:
    """A quantity without trailing zeros, grouped by thousands (1,000; 2.5)."""
    return f"{quantity.normalize():,f}"


def format_amount(amount: Decimal, currency: str) -> str:
    """An amount rounded to the currency's minor unit, grouped by thousands (12,345.60)."""
    return f"{round_money(amount, currency):,f}"


def format_unit_price(price: Decimal, currency: str) -> str:
    """A unit price with at least the currency's decimals, more when the price has them."""
    places = max(minor_unit(currency), -int(price.normalize().as_tuple().exponent))
    return f"{price.quantize(Decimal(1).scaleb(-places)):,f}"
