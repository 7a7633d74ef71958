"""How well `mailroom parse` understands a corpus: intent, each field, line F1, ship-to, and how
many mails the service would have confirmed wrongly.

    python bench/accuracy.py CORPUS... [--parsed FILE.jsonl] [--misses] [--json]

A corpus is a folder of `NAME.eml` mails, each with `NAME.json` beside it: the parse-output
contract's object as a careful clerk read the mail (keys starting with `_` are notes). The mails
are parsed with the same `parse_mail` as `mailroom parse`, against the fixture catalog imported
into a fresh SQLite store; `--parsed` scores the JSON Lines of an earlier `mailroom parse --json`
run instead (its `file` keys must end with the case names).

Scores:
- intent, customer, PO, our order and quote numbers, tracking number, requested date: share of
  mails where the parse equals the truth; for PO and requested date also where the truth has one.
- ship-to: equal after normalising (case, spaces, punctuation), over mails whose truth has one or
  whose parse gives one.
- lines: F1 over all mails of (SKU, quantity, unit price) multisets.
- wrong confirmations: mails the order checks would confirm automatically (parsed as an order,
  every rule passed) although the truth is not that order (another intent, another customer,
  PO or set of lines). The product's hard rule is zero.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import tempfile
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from mailroom.catalog_import import import_files  # noqa: E402
from mailroom.orders.checks import evaluate  # noqa: E402
from mailroom.orders.decide import CONFIRM, decide  # noqa: E402
from mailroom.orders.request import request_from_parsed, signals_from_parsed  # noqa: E402
from mailroom.parsers import parse_mail  # noqa: E402
from mailroom.parsers.catalog import Catalog  # noqa: E402
from mailroom.pricing import PricingPolicy  # noqa: E402
from store.db import make_engine, migrate, session_factory, transaction  # noqa: E402

CATALOG = [
    ROOT / "fixtures" / "catalog" / "products.csv",
    ROOT / "fixtures" / "catalog" / "customers.csv",
]
FIELDS = (
    "intent",
    "customer_id",
    "po_number",
    "order_number",
    "quote_number",
    "tracking_number",
    "requested_date",
)
WHERE_PRESENT = ("po_number", "requested_date", "order_number", "quote_number")


@dataclass
class Score:
    """Running counts over one corpus."""

    mails: int = 0
    right: Counter[str] = field(default_factory=Counter)
    present: Counter[str] = field(default_factory=Counter)
    present_right: Counter[str] = field(default_factory=Counter)
    ship_to_cases: int = 0
    ship_to_right: int = 0
    lines_tp: int = 0
    lines_parsed: int = 0
    lines_wanted: int = 0
    confirmed: int = 0
    wrong_confirmations: list[str] = field(default_factory=list)
    # Confidence bin -> [mails, intent right, whole request right].
    calibration: dict[str, list[int]] = field(default_factory=dict)
    misses: list[str] = field(default_factory=list)

    @property
    def line_f1(self) -> float:
        precision = self.lines_tp / max(self.lines_parsed, 1)
        recall = self.lines_tp / max(self.lines_wanted, 1)
        return 2 * precision * recall / max(precision + recall, 1e-9)

    def share(self, name: str) -> float:
        return self.right[name] / max(self.mails, 1)

    def as_json(self) -> dict[str, Any]:
        fields = {name: round(self.share(name), 3) for name in FIELDS}
        return {
            "mails": self.mails,
            **fields,
            "fields_mean": round(sum(fields[n] for n in FIELDS[1:]) / (len(FIELDS) - 1), 3),
            "where_present": {
                name: round(self.present_right[name] / self.present[name], 3)
                for name in WHERE_PRESENT
                if self.present[name]
            },
            "ship_to": round(self.ship_to_right / max(self.ship_to_cases, 1), 3),
            "line_f1": round(self.line_f1, 3),
            "confirmed": self.confirmed,
            "wrong_confirmations": len(self.wrong_confirmations),
            "calibration": {label: list(row) for label, row in self.calibration.items()},
        }


def normalise_address(text: str | None) -> str:
    """An address compared without case, spacing or punctuation (NFKC: full-width folded)."""
    folded = unicodedata.normalize("NFKC", text or "").casefold()
    return re.sub(r"[\W_]+", "", folded)


def line_keys(lines: list[dict[str, Any]]) -> Counter[tuple[Any, ...]]:
    def price(value: Any) -> str | None:
        return None if value in (None, "") else f"{float(value):.4f}"

    return Counter(
        (ln.get("sku"), float(ln.get("quantity") or 0), price(ln.get("unit_price"))) for ln in lines
    )


def score_case(score: Score, name: str, got: dict[str, Any], truth: dict[str, Any]) -> None:
    """Add one mail's comparison to `score`."""
    score.mails += 1
    for key in FIELDS:
        ok = got.get(key) == truth.get(key)
        score.right[key] += ok
        if key in WHERE_PRESENT and truth.get(key):
            score.present[key] += 1
            score.present_right[key] += ok
        if not ok:
            score.misses.append(f"{name}: {key}: got {got.get(key)!r}, want {truth.get(key)!r}")
    if truth.get("ship_to") or got.get("ship_to"):
        score.ship_to_cases += 1
        ok = normalise_address(got.get("ship_to")) == normalise_address(truth.get("ship_to"))
        score.ship_to_right += ok
        if not ok:
            score.misses.append(
                f"{name}: ship_to: got {got.get('ship_to')!r}, want {truth.get('ship_to')!r}"
            )
    want, parsed = line_keys(truth.get("lines") or []), line_keys(got.get("lines") or [])
    score.lines_tp += sum((want & parsed).values())
    score.lines_parsed += sum(parsed.values())
    score.lines_wanted += sum(want.values())
    if want != parsed:
        got_lines, want_lines = sorted(parsed.items(), key=str), sorted(want.items(), key=str)
        score.misses.append(f"{name}: lines: got {got_lines}, want {want_lines}")


BINS = (
    (0.0, "<0.50"),
    (0.5, "0.50-0.70"),
    (0.7, "0.70-0.85"),
    (0.85, "0.85-0.95"),
    (0.95, ">=0.95"),
)


def calibrate(score: Score, got: dict[str, Any], truth: dict[str, Any]) -> None:
    """Count the mail in its confidence bin: is the intent right, and the whole request
    (intent, customer, PO, our numbers, lines)?"""
    confidence = float(got.get("confidence") or 0)
    label = [name for low, name in BINS if confidence >= low][-1]
    whole = all(got.get(k) == truth.get(k) for k in FIELDS) and line_keys(
        got.get("lines") or []
    ) == line_keys(truth.get("lines") or [])
    row = score.calibration.setdefault(label, [0, 0, 0])
    row[0] += 1
    row[1] += got.get("intent") == truth.get("intent")
    row[2] += whole


def is_the_same_order(got: dict[str, Any], truth: dict[str, Any]) -> bool:
    """Whether confirming what was parsed confirms what the customer asked for."""
    if truth.get("intent") != "order" or got.get("customer_id") != truth.get("customer_id"):
        return False
    if (got.get("po_number") or None) != (truth.get("po_number") or None):
        return False

    def items(lines: list[dict[str, Any]]) -> Counter[tuple[Any, ...]]:
        return Counter((ln.get("sku"), float(ln.get("quantity") or 0)) for ln in lines)

    return items(got.get("lines") or []) == items(truth.get("lines") or [])


class Store:
    """A fresh SQLite store with the fixture catalog: what the parser and the checks read."""

    def __init__(self, home: Path) -> None:
        self.engine = make_engine(f"sqlite:///{home / 'accuracy.db'}")
        migrate(self.engine)
        self.factory = session_factory(self.engine)
        with transaction(self.factory) as session:
            _summaries, problems = import_files(session, CATALOG)
            if problems:
                raise SystemExit(f"catalog: {problems}")
        with self.factory() as session:
            self.catalog = Catalog.load(session)

    def would_confirm(self, parsed: dict[str, Any]) -> bool:
        """Whether the order checks would confirm this parse without a clerk."""
        if parsed.get("intent") != "order":
            return False
        request = request_from_parsed(parsed, parsed.get("customer_id"))
        signals = signals_from_parsed(parsed, parsed.get("from"))
        with self.factory() as session:
            evaluation = evaluate(
                session, request, signals, today=date(2026, 11, 1), policy=PricingPolicy()
            )
        return decide(evaluation.hits) == CONFIRM


def parse_all(store: Store, cases: list[Path]) -> dict[str, dict[str, Any]]:
    """Each case parsed as the service does, with the service's extra keys for the checks."""
    parsed = {}
    for case in cases:
        result = parse_mail(case.read_bytes(), store.catalog, file=case.name)
        data = result.to_json()
        data["findings"] = [
            {"filename": a.filename, "finding": a.finding} for a in result.attachments if a.finding
        ]
        data["unsure_lines"] = [i for i, ln in enumerate(result.lines) if ln.sku and not ln.sure]
        parsed[case.name] = data
    return parsed


def read_parsed(path: Path) -> dict[str, dict[str, Any]]:
    found = {}
    for row in path.read_text(encoding="utf-8").splitlines():
        if row.strip():
            data = json.loads(row)
            found[Path(data["file"]).name] = data
    return found


def score_corpus(store: Store, folder: Path, parsed: dict[str, dict[str, Any]] | None) -> Score:
    cases = sorted(folder.glob("*.eml"))
    parsed = parsed if parsed is not None else parse_all(store, cases)
    score = Score()
    for case in cases:
        truth = json.loads(case.with_suffix(".json").read_text(encoding="utf-8"))
        got = parsed.get(case.name) or {"intent": "missing"}
        score_case(score, case.name, got, truth)
        calibrate(score, got, truth)
        if store.would_confirm(got):
            score.confirmed += 1
            if not is_the_same_order(got, truth):
                score.wrong_confirmations.append(case.name)
    return score


def report(name: str, score: Score) -> str:
    data = score.as_json()
    rows = [f"{name}: {data['mails']} mails"]
    rows += [f"  {key:16} {data[key]:6.1%}" for key in FIELDS]
    rows.append(f"  {'fields mean':16} {data['fields_mean']:6.1%}  (customer .. requested date)")
    for key, value in data["where_present"].items():
        rows.append(f"  {key + ' (present)':28} {value:6.1%}  of {score.present[key]}")
    rows.append(f"  {'ship_to':16} {data['ship_to']:6.1%}  of {score.ship_to_cases}")
    rows.append(f"  {'line F1':16} {data['line_f1']:6.1%}")
    rows.append("  confidence   mails  intent right  all fields right")
    for _low, label in BINS:
        n, intent, whole = score.calibration.get(label, [0, 0, 0])
        if n:
            rows.append(f"  {label:11} {n:6}  {intent / n:11.0%}  {whole / n:15.0%}")
    rows.append(
        f"  confirmed automatically: {score.confirmed}, wrongly: {len(score.wrong_confirmations)}"
    )
    rows += [f"    wrong: {case}" for case in score.wrong_confirmations]
    return "\n".join(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("corpus", nargs="+", type=Path, help="folders of NAME.eml + NAME.json")
    parser.add_argument("--parsed", type=Path, help="score this `mailroom parse --json` output")
    parser.add_argument("--misses", action="store_true", help="list every mismatch")
    parser.add_argument("--json", action="store_true", help="one JSON object per corpus")
    args = parser.parse_args()
    given = read_parsed(args.parsed) if args.parsed else None
    with tempfile.TemporaryDirectory() as home:
        store = Store(Path(home))
        for folder in args.corpus:
            score = score_corpus(store, folder, given)
            if args.json:
                print(json.dumps({"corpus": str(folder), **score.as_json()}))
            else:
                print(report(str(folder), score))
            if args.misses:
                print("\n".join(f"  - {miss}" for miss in score.misses))
        store.engine.dispose()


if __name__ == "__main__":
    main()
