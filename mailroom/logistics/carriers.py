"""The carriers we know, read once from `carriers.toml`: who they are and how they write.

Adding a carrier, a tracking format or a status phrase is a change to the data file, not to
the code that reads notices.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from store.shipments import EXCEPTION_KINDS, STATUSES

DATA = Path(__file__).with_name("carriers.toml")


@dataclass(frozen=True)
class Phrase:
    """Words that say a parcel's status (and, for an exception, which kind)."""

    pattern: re.Pattern[str]
    status: str
    kind: str | None


@dataclass(frozen=True)
class Carrier:
    code: str
    label: str
    domains: tuple[str, ...]
    names: tuple[re.Pattern[str], ...]
    tracking: tuple[re.Pattern[str], ...]
    day_first: bool
    phrases: tuple[Phrase, ...]
    api_code: str | None = None

    def sends_from(self, domain: str) -> bool:
        return any(domain == d or domain.endswith("." + d) for d in self.domains)

    def find_number(self, text: str) -> str | None:
        """This carrier's tracking number in `text`, spaces removed."""
        for pattern in self.tracking:
            found = pattern.search(text)
            if found:
                return (found.group(1) if pattern.groups else found.group(0)).replace(" ", "")
        return None


@dataclass(frozen=True)
class Vocabulary:
    """What every carrier's mail shares: common phrases and the labels of its fields."""

    phrases: tuple[Phrase, ...]
    place: re.Pattern[str]
    reason: re.Pattern[str]
    planned: re.Pattern[str]
    eta: re.Pattern[str]


def _phrases(rows: list[dict[str, Any]]) -> tuple[Phrase, ...]:
    out = []
    for row in rows:
        status, kind = row["status"], row.get("kind")
        if status not in STATUSES or (kind is not None and kind not in EXCEPTION_KINDS):
            raise ValueError(f"carriers.toml: unknown status or kind in {row}")
        out.append(Phrase(re.compile(row["pattern"]), status, kind))
    return tuple(out)


def _label(patterns: list[str]) -> re.Pattern[str]:
    # A label may follow a word or two ("Exception Location", "揽收网点") and be followed by a
    # translation ("地点 Place"); its value is what follows the colon.
    either = "|".join(f"(?:{p})" for p in patterns)
    return re.compile(rf"^[^:：\n]{{0,24}}?(?:{either})[^:：\n]{{0,16}}[:：]\s*(?P<value>.+)$")


@cache
def carriers() -> dict[str, Carrier]:
    """Every carrier in `carriers.toml`, by its code."""
    data = tomllib.loads(DATA.read_text(encoding="utf-8"))
    return {
        code: Carrier(
            code=code,
            label=row["label"],
            domains=tuple(d.lower() for d in row["domains"]),
            names=tuple(re.compile(p) for p in row["names"]),
            tracking=tuple(re.compile(p) for p in row["tracking"]),
            day_first=bool(row.get("day_first", False)),
            phrases=_phrases(row.get("phrases", [])),
            api_code=row.get("api_code"),
        )
        for code, row in data["carriers"].items()
    }


@cache
def vocabulary() -> Vocabulary:
    common = tomllib.loads(DATA.read_text(encoding="utf-8"))["common"]
    return Vocabulary(
        phrases=_phrases(common["phrases"]),
        place=_label(common["place_labels"]),
        reason=_label(common["reason_labels"]),
        planned=re.compile("|".join(common["planned_labels"])),
        eta=_label(common["eta_labels"]),
    )


def by_sender(sender: str | None) -> Carrier | None:
    """The carrier whose domain `sender` writes from, or None."""
    domain = (sender or "").rsplit("@", 1)[-1].strip().lower()
    if not domain:
        return None
    return next((c for c in carriers().values() if c.sends_from(domain)), None)


def by_mention(*texts: str) -> Carrier | None:
    """The carrier a forwarded mail names or whose distinctive number it quotes."""
    for text in texts:
        for carrier in carriers().values():
            if any(p.search(text) for p in carrier.names):
                return carrier
    return None


def get(code: str) -> Carrier | None:
    return carriers().get(code.lower())


def by_api_code(code: str) -> Carrier | None:
    """The carrier a tracking API names by its own company code (`shunfeng` is SF)."""
    return next((c for c in carriers().values() if c.api_code == code.lower()), None)


def phrase_for(text: str, carrier: Carrier | None = None) -> Phrase | None:
    """The first status phrase (the carrier's own, then the common ones) found in `text`."""
    own = carrier.phrases if carrier else ()
    return next((p for p in (*own, *vocabulary().phrases) if p.pattern.search(text)), None)
