"""Our own document numbers: how new ones are written, and how mail that cites one is read.

Suppliers come to mailroom with numbers from their ERP (`SO-261634`, `SO 2026/118`, `Q-26366`),
so the shape is configuration: a template for the numbers we make (`SO-{year}-{seq:05d}`) and
the prefixes we answer to. Recognition is deliberately looser than the template: a prefix, an
optional year, then digits, with the separators people type (`SO 2026/118`, `SO#261634`,
`SO No. 261634`). A cited number is reported as written; its `key` is what two spellings of one
number share, so a look-up finds `SO-2026-00118` from `so 2026/118`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property

_FIELD = re.compile(r"\{(year|seq)(?::[^}]*)?\}")
# Between the prefix and the digits: nothing, a dash, hash, slash or dot, "No." or a space.
_SEP = r"(?:[ \t]*(?:[-#/.]|No\.?|Nr\.?)[ \t]*|[ \t]?)"
_YEAR_SEP = r"[ \t]*[-/.][ \t]*"


class NumberFormatError(ValueError):
    """A number template that cannot make numbers (no `{seq}`, or no prefix to recognise)."""


@dataclass(frozen=True)
class NumberFormat:
    """One kind of our numbers (orders, quotes, invoices ...).

    Attributes:
        template: how a new number is written; `{year}` (four digits) and `{seq}` (the counter,
            with an optional format spec such as `{seq:05d}`) are filled in.
        aliases: other prefixes the same numbers are cited with (`ORD` beside `SO`).
        first: the first counter value, for numbering on from an earlier system.
    """

    template: str
    aliases: tuple[str, ...] = ()
    first: int = 1

    def __post_init__(self) -> None:
        if "{seq" not in self.template:
            raise NumberFormatError(f"{self.template!r} has no {{seq}} for the counter")
        if not self.prefix:
            raise NumberFormatError(f"{self.template!r} must start with letters, e.g. SO-{{seq}}")
        try:
            self.template.format(year=2026, seq=1)
        except (ValueError, KeyError, IndexError) as exc:
            raise NumberFormatError(f"{self.template!r}: {exc}") from None

    @property
    def prefix(self) -> str:
        """The letters the template starts with: the counter's name (`SO`, `Q`)."""
        found = re.match(r"[A-Za-z]+", self.template)
        return found.group(0).upper() if found else ""

    @property
    def yearly(self) -> bool:
        """Whether the counter starts again each year (the template carries the year)."""
        return "{year" in self.template

    def make(self, year: int, seq: int) -> str:
        """The number for counter value `seq` in `year`."""
        return self.template.format(year=year, seq=seq)

    @cached_property
    def pattern(self) -> re.Pattern[str]:
        """Where a text cites one of these numbers; groups `prefix`, `year`, `seq`."""
        prefixes = sorted({self.prefix, *(a.upper() for a in self.aliases)}, key=len, reverse=True)
        alternatives = "|".join(re.escape(p) for p in prefixes)
        # Without a year the digits must be many: "Q 2027" is a quarter, "Q-26366" a quote.
        return re.compile(
            rf"(?<![A-Za-z0-9])(?P<prefix>{alternatives}){_SEP}"
            rf"(?:(?P<year>20\d\d){_YEAR_SEP}(?P<seq>\d{{2,8}})|(?P<bare>\d{{5,10}}))(?![\d])",
            re.IGNORECASE,
        )

    def find(self, text: str | None) -> str | None:
        """The first number of this kind in `text`, as written (prefix in capitals, spacing
        tidied), or None."""
        found = self.pattern.search(text or "")
        if not found:
            return None
        rest = found.string[found.end("prefix") : found.end()]
        return found.group("prefix").upper() + " ".join(rest.split(" "))

    def matches(self, value: str) -> bool:
        """Whether `value` is, as a whole, one of these numbers."""
        return self.pattern.fullmatch(value.strip()) is not None

    def key(self, value: str) -> str | None:
        """What every spelling of one of these numbers shares (`so 2026/118`, `ORD-2026-00118`
        -> `SO2026-118`), or None when `value` is not one of them."""
        found = self.pattern.fullmatch(value.strip())
        if not found:
            return None
        year, seq = found.group("year") or "", found.group("seq") or found.group("bare")
        return f"{self.prefix}{year}-{int(seq)}"


@dataclass(frozen=True)
class Numbering:
    """Every kind of our numbers, as the settings give them."""

    order: NumberFormat = NumberFormat("SO-{year}-{seq:05d}", aliases=("ORD",))
    quote: NumberFormat = NumberFormat("Q-{year}-{seq:05d}", aliases=("QT", "QUO"))
    invoice: NumberFormat = NumberFormat("INV-{year}-{seq:05d}")
    packing_list: NumberFormat = NumberFormat("PL-{year}-{seq:05d}")
    ticket: NumberFormat = NumberFormat("TK-{year}-{seq:05d}")
    rma: NumberFormat = NumberFormat("RMA-{year}-{seq:05d}")

    def is_ours(self, value: str) -> bool:
        """Whether `value` is one of our order, quote, ticket or RMA numbers (so not a
        customer's PO)."""
        return any(fmt.matches(value) for fmt in (self.order, self.quote, self.ticket, self.rma))
