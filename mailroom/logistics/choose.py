"""Choosing the carrier and service for a shipment, by rules kept as data (`choose.toml`).

The rules are tried in order and the first that matches wins; its name is the reason a
clerk sees. A clerk can always override the choice (`mailroom shipments book --carrier`).
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

from mailroom.errors import ConfigError

RULES = Path(__file__).with_name("choose.toml")
URGENCIES = ("express", "standard", "economy")
# Chinese provinces and municipalities, as an address starts with them.
_PROVINCE = re.compile(
    r"(北京|天津|上海|重庆|河北|山西|辽宁|吉林|黑龙江|江苏|浙江|安徽|福建|江西|山东|河南|湖北|"
    r"湖南|广东|海南|四川|贵州|云南|陕西|甘肃|青海|台湾|内蒙古|广西|西藏|宁夏|新疆|香港|澳门)"
)
# Big cities written without their province.
_CITY_PROVINCE = {
    "深圳": "广东",
    "广州": "广东",
    "苏州": "江苏",
    "南京": "江苏",
    "杭州": "浙江",
    "宁波": "浙江",
    "厦门": "福建",
    "青岛": "山东",
    "成都": "四川",
    "武汉": "湖北",
}


@dataclass(frozen=True)
class Need:
    """What the choice depends on."""

    country: str | None
    province: str | None = None
    weight_kg: Decimal = Decimal(0)
    urgency: str = "standard"
    preferred: str | None = None
    budget: Decimal | None = None
    budget_currency: str | None = None


@dataclass(frozen=True)
class Choice:
    carrier: str
    service: str
    rule: str
    cost: Decimal
    currency: str

    @property
    def reason(self) -> str:
        return f"rule {self.rule} (about {self.cost:.2f} {self.currency})"


@dataclass(frozen=True)
class Rule:
    name: str
    carrier: str
    service: str
    conditions: dict[str, Any]
    cost_base: Decimal
    cost_per_kg: Decimal
    currency: str

    def cost(self, weight_kg: Decimal) -> Decimal:
        return self.cost_base + self.cost_per_kg * weight_kg

    def matches(self, need: Need) -> bool:
        c = self.conditions
        checks = (
            "countries" not in c or need.country in c["countries"],
            need.country not in c.get("except_countries", ()),
            "provinces" not in c or need.province in c["provinces"],
            need.weight_kg >= Decimal(c.get("min_weight_kg", "0")),
            "max_weight_kg" not in c or need.weight_kg <= Decimal(c["max_weight_kg"]),
            "urgency" not in c or need.urgency in c["urgency"],
            "preferred" not in c or need.preferred == c["preferred"],
            need.budget is None
            or need.budget_currency != self.currency
            or self.cost(need.weight_kg) <= need.budget,
        )
        return all(checks)


@dataclass(frozen=True)
class Rulebook:
    rules: tuple[Rule, ...]
    preferences: dict[str, str]
    countries: dict[str, tuple[str, ...]]


@cache
def rulebook(path: Path = RULES) -> Rulebook:
    """The rules, preferences and country names in `path`.

    Raises:
        ConfigError: the file cannot be read or a rule lacks its carrier or cost.
    """
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        rules = tuple(_rule(row) for row in data["rule"])
    except (OSError, tomllib.TOMLDecodeError, KeyError, ArithmeticError) as exc:
        raise ConfigError(f"cannot read the carrier rules {path}: {exc!r}") from None
    countries = {code: tuple(names) for code, names in data.get("countries", {}).items()}
    return Rulebook(rules, dict(data.get("preferences", {})), countries)


def _rule(row: dict[str, Any]) -> Rule:
    fixed = {"name", "carrier", "service", "cost_base", "cost_per_kg", "currency"}
    return Rule(
        name=row["name"],
        carrier=row["carrier"],
        service=row["service"],
        conditions={k: v for k, v in row.items() if k not in fixed},
        cost_base=Decimal(row["cost_base"]),
        cost_per_kg=Decimal(row["cost_per_kg"]),
        currency=row["currency"],
    )


def choose(need: Need, book: Rulebook | None = None) -> Choice | None:
    """The first rule's carrier and service for `need`, or None when no rule matches."""
    book = book or rulebook()
    for rule in book.rules:
        if rule.matches(need):
            cost = rule.cost(need.weight_kg).quantize(Decimal("0.01"))
            return Choice(rule.carrier, rule.service, rule.name, cost, rule.currency)
    return None


def destination(ship_to: str | None, book: Rulebook | None = None) -> tuple[str | None, str | None]:
    """(country code, province) of a delivery address as customers write it."""
    text = (ship_to or "").strip()
    if not text:
        return None, None
    book = book or rulebook()
    if re.search(r"[\u4e00-\u9fff]", text[:12]):  # an address written in Chinese is in China
        found = _PROVINCE.search(text)
        if found:
            return "CN", found.group(1)
        city = next((p for c, p in _CITY_PROVINCE.items() if c in text), None)
        return "CN", city
    tail = re.split(r"\s*[/\n,]\s*", text)[-1].strip().rstrip(".").lower()
    for code, names in book.countries.items():
        if tail in (n.lower() for n in names) or tail == code.lower():
            return code, None
    return None, None


def need_for(
    ship_to: str | None,
    customer_id: str | None,
    *,
    weight_kg: Decimal = Decimal(0),
    urgency: str = "standard",
    budget: Decimal | None = None,
    budget_currency: str | None = None,
) -> Need:
    """What an order's choice depends on: its address, weight, urgency and customer."""
    book = rulebook()
    country, province = destination(ship_to, book)
    return Need(
        country=country,
        province=province,
        weight_kg=weight_kg,
        urgency=urgency,
        preferred=book.preferences.get(customer_id or ""),
        budget=budget,
        budget_currency=budget_currency,
    )
