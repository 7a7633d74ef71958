"""`mailroom parse`: one JSON line per mail, streamed; real-world mail never crashes or hangs."""

from __future__ import annotations

import json
import shutil
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from mailroom.commands.catalog import catalog
from mailroom.commands.parse import parse
from tests.golden import CATALOG_FILES, GOLDEN

REAL = Path("/work/shared/corpus/real/emails")


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("MAILROOM_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("MAILROOM_DATABASE_URL", raising=False)
    return tmp_path / "home"


def _json_lines(output: str) -> list[dict]:
    return [json.loads(line) for line in output.splitlines() if line.strip()]


@pytest.mark.skipif(not REAL.is_dir(), reason="the shared corpus of real mail is not here")
def test_every_real_mail_gets_one_line_and_none_crashes_or_hangs(home: Path) -> None:
    # Given the corpus of real, often malformed mail
    expected = sorted(str(p) for p in REAL.rglob("*.eml"))
    # When it is parsed as a separate process, with a generous overall deadline
    started = time.monotonic()
    done = subprocess.run(
        [sys.executable, "-m", "mailroom.commands.parse", str(REAL), "--json"],
        capture_output=True,
        text=True,
        timeout=240,
        env={"MAILROOM_HOME": str(home), "PATH": "/usr/bin:/bin"},
        check=False,
    )
    # Then it exits 0 with one object per .eml file, in sorted order, each with an intent
    assert done.returncode == 0, done.stderr[-2000:]
    objects = _json_lines(done.stdout)
    assert [o["file"] for o in objects] == expected
    assert all(o["intent"] for o in objects)
    unreadable = [o for o in objects if o["intent"] == "unreadable"]
    assert all(o.get("error") for o in unreadable)
    assert time.monotonic() - started < 240


def test_a_missing_path_exits_2_and_names_it(home: Path) -> None:
    # Given a path that does not exist / When it is parsed
    result = CliRunner().invoke(parse, ["/no/such/mail.eml", "--json"])
    # Then the exit status is 2 and the message names the path
    assert result.exit_code == 2
    assert "/no/such/mail.eml" in result.output


def test_a_folder_is_read_recursively_in_sorted_order(home: Path, tmp_path: Path) -> None:
    # Given a folder with mails in nested folders, and a file that is not a mail
    folder = tmp_path / "mails"
    (folder / "b").mkdir(parents=True)
    (folder / "a").mkdir()
    shutil.copy(GOLDEN / "order_text_en_01.eml", folder / "b" / "one.eml")
    shutil.copy(GOLDEN / "bounce_01.eml", folder / "a" / "two.eml")
    (folder / "notes.txt").write_text("not a mail")
    # When the folder is parsed
    result = CliRunner().invoke(parse, [str(folder), "--json"])
    # Then each mail has its line, sorted by path
    assert result.exit_code == 0, result.output
    files = [o["file"] for o in _json_lines(result.output)]
    assert files == [str(folder / "a" / "two.eml"), str(folder / "b" / "one.eml")]


def test_parse_uses_the_imported_catalog_and_writes_nothing(home: Path) -> None:
    # Given the fixture catalog imported into the store
    assert CliRunner().invoke(catalog, ["import", *map(str, CATALOG_FILES)]).exit_code == 0
    before = _row_counts(home / "mailroom.db")
    case = GOLDEN / "order_text_en_01.eml"
    # When an order mail is parsed
    result = CliRunner().invoke(parse, [str(case), "--json"])
    # Then its sender and items resolve against the catalog, and the store is unchanged
    (obj,) = _json_lines(result.output)
    want = json.loads(case.with_suffix(".json").read_text(encoding="utf-8"))
    assert obj["customer_id"] == want["customer_id"] is not None
    assert [line["sku"] for line in obj["lines"]] == [line["sku"] for line in want["lines"]]
    assert _row_counts(home / "mailroom.db") == before


def _row_counts(database: Path) -> dict[str, int]:
    with sqlite3.connect(database) as connection:
        names = [
            r[0] for r in connection.execute("SELECT name FROM sqlite_master WHERE type='table'")
        ]
        return {n: connection.execute(f'SELECT count(*) FROM "{n}"').fetchone()[0] for n in names}


def test_without_json_a_readable_summary_is_printed(home: Path) -> None:
    # Given an order mail / When it is parsed without --json
    result = CliRunner().invoke(parse, [str(GOLDEN / "order_text_en_01.eml")])
    # Then the summary names the file, the intent and the PO
    want = json.loads((GOLDEN / "order_text_en_01.json").read_text(encoding="utf-8"))
    assert result.exit_code == 0
    assert "order_text_en_01.eml: order" in result.output
    assert f"PO {want['po_number']}" in result.output


def test_an_empty_file_is_unreadable_with_a_reason(home: Path, tmp_path: Path) -> None:
    # Given an empty .eml file / When it is parsed
    empty = tmp_path / "empty.eml"
    empty.write_bytes(b"")
    result = CliRunner().invoke(parse, [str(empty), "--json"])
    # Then its line says unreadable, with an error
    (obj,) = _json_lines(result.output)
    assert obj["intent"] == "unreadable" and "empty" in obj["error"]
