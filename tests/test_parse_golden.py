"""The golden corpus: every case's parse equals what a careful clerk extracted, field by field."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from mailroom.parsers import parse_mail
from mailroom.parsers.catalog import Catalog
from mailroom.parsers.result import INTENTS
from tests.golden import FIELDS, cases, compare, expected_of, fixture_catalog, line_counts


@pytest.fixture(scope="module")
def catalog(tmp_path_factory: pytest.TempPathFactory) -> Catalog:
    return fixture_catalog(tmp_path_factory.mktemp("golden"))


def test_the_golden_corpus_is_large_and_covers_every_intent() -> None:
    # Given the golden corpus
    found = cases()
    # When the expected intents and languages are counted
    intents = Counter(expected_of(case)["intent"] for case in found)
    languages = Counter(expected_of(case)["language"] for case in found)
    # Then there are at least 150 cases, every intent but `unreadable`, and both languages
    assert len(found) >= 150
    wanted = set(INTENTS) - {"unreadable"}
    assert wanted <= set(intents), intents
    assert languages["en"] >= 40 and languages["zh"] >= 40, languages


def test_every_golden_case_parses_to_its_expected_object(catalog: Catalog) -> None:
    # Given every golden case and the fixture catalog
    right: Counter[str] = Counter()
    wrong: list[str] = []
    tp = parsed = wanted = 0
    found = cases()
    # When each mail is parsed and compared field by field with its expectation
    for case in found:
        actual = parse_mail(case.read_bytes(), catalog, file=case.name).to_json()
        expected = expected_of(case)
        for name, ok in compare(actual, expected).items():
            right[name] += ok
            if not ok:
                wrong.append(
                    f"{case.name}: {name}: got {actual.get(name)!r}, want {expected.get(name)!r}"
                )
        counts = line_counts(actual, expected)
        tp, parsed, wanted = tp + counts[0], parsed + counts[1], wanted + counts[2]
    # Then the accuracy of each field is reported, and every mismatch fails the test
    report = [f"{name:16} {right[name] / len(found):7.1%}" for name in FIELDS]
    precision, recall = tp / max(parsed, 1), tp / max(wanted, 1)
    report.append(f"line items F1    {2 * precision * recall / max(precision + recall, 1e-9):7.1%}")
    print("\n".join(["", f"golden corpus: {len(found)} mails", *report]))
    assert not wrong, "\n".join(report + wrong[:80])


def test_a_case_file_names_the_mail_it_describes() -> None:
    # Given the golden cases / When their expectations are read / Then each names its own .eml
    for case in cases():
        assert expected_of(case)["file"] == case.name
        assert Path(case.with_suffix(".json")).exists()
