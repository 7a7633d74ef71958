"""Every real-world PDF of the shared corpus gives text, tables or a clear finding in time."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from mailroom.parsers.attachments import read_attachment

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "real" / "pdfs"
if not CORPUS.is_dir():
    CORPUS = Path("/work/shared/corpus/real/pdfs")
PDFS = sorted(CORPUS.glob("*.pdf"))
# corpus/real/NOTES.md: these need a password.
ENCRYPTED = {
    "pdfminer_rc4-40.pdf",
    "pdfminer_aes-256-r6.pdf",
    "pdfplumber_password-example.pdf",
    "camelot_health_protected.pdf",
    "pypdf-samples_libreoffice-writer-password.pdf",
}
# NOTES.md: not a PDF at all (0 bytes, or garbage).
BROKEN = {"pdfplumber_empty.pdf", "ocrmypdf_invalid.pdf"}
# NOTES.md: scans without a text layer.
SCANS = {
    "pdfplumber_issue-203-decimalize.pdf",
    "ocrmypdf_linn.pdf",
    "ocrmypdf_skew.pdf",
    "ocrmypdf_kcs.pdf",
    "pypdf-samples_imagemagick-CCITTFaxDecode.pdf",
}
TIMEOUT_S = 10.0


def test_the_corpus_is_there() -> None:
    assert len(PDFS) >= 30, f"expected the shared PDF corpus in {CORPUS}"


@pytest.mark.parametrize("path", PDFS, ids=[path.name for path in PDFS])
def test_a_real_pdf_gives_text_tables_or_a_clear_finding_within_its_limit(path: Path) -> None:
    # Given a PDF as customers' and vendors' software really writes them
    payload = path.read_bytes()
    # When it is read as an attachment
    started = time.monotonic()
    content = read_attachment(path.name, "application/pdf", payload, timeout_s=TIMEOUT_S)
    elapsed = time.monotonic() - started
    # Then it took no longer than its limit (plus a worker start at most)
    assert elapsed < TIMEOUT_S + 5
    # and it gave something to read or said why not
    assert content.finding in (None, "encrypted", "broken", "image_only")
    if content.finding is None:
        assert content.text.strip() or content.tables
    if path.name in ENCRYPTED:
        assert content.finding == "encrypted"
    if path.name in BROKEN:
        assert content.finding == "broken"
    if path.name in SCANS:
        assert content.finding == "image_only"


def test_glyphs_drawn_several_times_are_read_once() -> None:
    # Given the corpus PDF whose every character is drawn several times (fake bold)
    payload = (CORPUS / "pdfplumber_issue-842-example.pdf").read_bytes()
    # When it is read
    content = read_attachment("report.pdf", "application/pdf", payload)
    # Then each character comes out once
    assert "安徽安利合成革股份有限公司" in content.text
    assert "安安" not in content.text
    assert content.text.count("ANHUI ANLI ARTIFICIAL LEATHER") == 1


def test_a_pdf_with_an_empty_user_password_opens_without_asking() -> None:
    # Given an encrypted PDF whose user password is empty (it opens in any viewer)
    payload = (CORPUS / "pdfminer_issue-625-identity-cmap.pdf").read_bytes()
    # When it is read
    content = read_attachment("faktura.pdf", "application/pdf", payload)
    # Then its text is there and it is not reported as encrypted
    assert content.finding is None
    assert "Faktura" in content.text
