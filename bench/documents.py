"""Benchmark: milliseconds per page to render each kind of document, in English and Chinese.

    python bench/documents.py [--lines 12] [--repeat 30] [--filing 300]

Each document is rendered `repeat` times after one warm-up (which registers the font); the
median and the fastest time are divided by the page count (the fastest is the steadier
figure on a shared machine). A second row per kind renders 120 lines (several
pages) to show the cost per page of a long document.

The filing figure files `--filing` distinct invoice PDFs (~25 KiB each) into a new SQLite store, one
transaction each as a worker does, then files them all again: the second pass must store
nothing, and shows what a re-run costs.
"""

from __future__ import annotations

import argparse
import io
import statistics
import tempfile
import time
from datetime import date
from decimal import Decimal
from pathlib import Path

import pdfplumber
from sqlalchemy import func, select

from mailroom.documents import KINDS, Document, DocumentLine, render
from store import documents as store
from store.db import make_engine, migrate, session_factory, transaction


def _document(lines: int) -> Document:
    rows = tuple(
        DocumentLine(
            sku=f"BOLT-M8-{n:04d}",
            quantity=Decimal(10 * n),
            name=f"Socket head cap screw M8x{n}, stainless A2-70",
            name_zh=f"内六角圆柱头螺钉 M8x{n} 不锈钢",
            unit="pcs",
            unit_price=Decimal("0.85"),
            amount=Decimal("8.50") * n,
            currency="USD",
            dispatch_date=date(2026, 3, 20),
        )
        for n in range(1, lines + 1)
    )
    return Document(
        company_name="Mailroom Trading Co.",
        number="SO-2026-00012",
        date=date(2026, 3, 2),
        customer_name="深圳华强电子有限公司",
        customer_address="深圳市福田区华强北路1号 / 518000 Shenzhen / China",
        customer_po="PO-7781",
        order_number="SO-2026-00012",
        valid_until=date(2026, 3, 16),
        promised_date=date(2026, 3, 20),
        due_date=date(2026, 4, 1),
        lines=rows,
        payment_terms="NET 30",
        notes=("Prices exclude VAT.",),
    )


def _pages(pdf: bytes) -> int:
    with pdfplumber.open(io.BytesIO(pdf)) as opened:
        return len(opened.pages)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=12, help="lines of the short document")
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--filing", type=int, default=300, help="PDFs to file (0: none)")
    args = parser.parse_args()
    render("quote", _document(1), "en")  # warm-up: font registration (~150 ms) happens once
    print(f"{'kind':<20}{'lang':<6}{'lines':>6}{'pages':>6}{'median':>8}{'best':>8}{'KiB':>6}")
    print(f"{'':<38}{'(ms per page)':>16}")
    for kind in KINDS:
        for language in ("en", "zh"):
            for lines in (args.lines, 120):
                doc = _document(lines)
                times = []
                for _ in range(args.repeat):
                    start = time.perf_counter()
                    pdf = render(kind, doc, language)
                    times.append(time.perf_counter() - start)
                pages = _pages(pdf)
                median = statistics.median(times) * 1000 / pages
                best = min(times) * 1000 / pages
                print(
                    f"{kind:<20}{language:<6}{lines:>6}{pages:>6}{median:>8.1f}{best:>8.1f}"
                    f"{len(pdf) / 1024:>6.0f}"
                )
    if args.filing:
        _filing(args.filing)


def _filing(count: int) -> None:
    """Documents filed per second into SQLite, new and again (the re-run of a step)."""
    base = render("invoice", _document(12), "en")
    # Distinct bytes per document without rendering each: a trailing comment changes the hash.
    files = [base + f"\n%bench {n}\n".encode() for n in range(count)]
    with tempfile.TemporaryDirectory() as home:
        engine = make_engine(f"sqlite:///{Path(home) / 'bench.db'}")
        migrate(engine)
        sessions = session_factory(engine)
        rates = []
        for _ in ("new", "again"):
            start = time.perf_counter()
            for n, content in enumerate(files):
                with transaction(sessions) as session:
                    store.file_document(
                        session,
                        content,
                        kind="invoice",
                        direction=store.GENERATED,
                        filename=f"INV-2026-{n:05d}.pdf",
                        content_type="application/pdf",
                        links=store.Links(customer_id="C-BENCH"),
                        number=f"INV-2026-{n:05d}",
                    )
            rates.append(count / (time.perf_counter() - start))
        with transaction(sessions) as session:
            rows = session.scalar(select(func.count()).select_from(store.Document))
        engine.dispose()
    size = len(base) / 1024
    print(
        f"filing {count} PDFs of {size:.0f} KiB into SQLite: {rates[0]:.0f}/s new, "
        f"{rates[1]:.0f}/s again ({rows} documents stored)"
    )


if __name__ == "__main__":
    main()
