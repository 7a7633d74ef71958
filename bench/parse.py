"""Parse throughput on the golden corpus: body-only mails and attachment mails, and peak memory.

    python bench/parse.py [--rounds N]

Runs in one process, one mail at a time (one core; PDF and XLSX reading happens in the
attachment sandbox's worker, which this process waits for). Memory is the process's peak
resident size and the parser's peak Python allocation (tracemalloc, measured in a separate pass
because tracing slows the parser down).
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from mailroom.parsers import parse_mail  # noqa: E402
from mailroom.parsers.catalog import Catalog  # noqa: E402
from tests.golden import cases, fixture_catalog  # noqa: E402


def split_corpus() -> dict[str, list[bytes]]:
    """Golden mails grouped by what must be read: the body only, a PDF, a sheet or CSV."""
    groups: dict[str, list[bytes]] = {"body-only": [], "pdf": [], "xlsx/csv": []}
    for case in cases():
        expected = json.loads(case.with_suffix(".json").read_text(encoding="utf-8"))
        types = {a["content_type"] for a in expected["attachments"]}
        if "application/pdf" in types:
            group = "pdf"
        elif types - {"image/jpeg"}:
            group = "xlsx/csv"
        else:
            group = "body-only"
        groups[group].append(case.read_bytes())
    return groups


def throughput(mails: list[bytes], catalog: Catalog, rounds: int) -> float:
    for raw in mails[:3]:  # warm the imports and the attachment sandbox
        parse_mail(raw, catalog)
    started = time.perf_counter()
    for _ in range(rounds):
        for raw in mails:
            parse_mail(raw, catalog)
    return rounds * len(mails) / (time.perf_counter() - started)


def peak_allocation(mails: list[bytes], catalog: Catalog) -> int:
    tracemalloc.start()
    for raw in mails:
        parse_mail(raw, catalog)
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as home:
        catalog = fixture_catalog(Path(home))
    groups = split_corpus()
    print(f"golden corpus: {sum(map(len, groups.values()))} mails, {args.rounds} rounds")
    for name, mails in groups.items():
        rate = throughput(mails, catalog, args.rounds)
        per_mail = 1000 / rate
        print(f"  {name:10} {len(mails):4} mails  {rate:8.1f} mails/s  ({per_mail:6.1f} ms/mail)")
    every = [raw for mails in groups.values() for raw in mails]
    peak = peak_allocation(every, catalog)
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(f"  peak Python allocation while parsing: {peak / 2**20:.1f} MiB")
    print(f"  peak resident size of this process:   {rss / 2**10:.1f} MiB")


if __name__ == "__main__":
    main()
