"""Turning bytes into text with the charset customers really used, not only the one declared.

Chinese mail is often labelled `gb2312` while it holds GBK characters (decoded here as its
superset GB18030), Big5 may arrive labelled `us-ascii` or not at all, and some labels are
invented (`x-gbk`, `fakescii`). The declared charset is tried first, strictly; when it fails,
UTF-8 and a detector decide; nothing here raises.
"""

from __future__ import annotations

import codecs

from charset_normalizer import from_bytes

# Labels that name a subset of what is really sent, or are spelled in ways Python does not know.
_ALIASES = {
    "gb2312": "gb18030",
    "gb_2312-80": "gb18030",
    "gb2312-80": "gb18030",
    "x-gbk": "gb18030",
    "gbk": "gb18030",
    "cp936": "gb18030",
    "euc-cn": "gb18030",
    "x-euc-cn": "gb18030",
    "chinese": "gb18030",
    "csgb2312": "gb18030",
    "big5": "big5hkscs",
    "x-big5": "big5hkscs",
    "cn-big5": "big5hkscs",
    "ks_c_5601-1987": "cp949",
    "ks_c_5601": "cp949",
    "euc-kr": "cp949",
    "shift_jis": "cp932",
    "shift-jis": "cp932",
    "x-sjis": "cp932",
    "sjis": "cp932",
    "windows-31j": "cp932",
    "iso-2022-jp": "iso2022_jp_ext",
    "iso-8859-8-i": "iso-8859-8",
    "utf8": "utf-8",
    "unicode-1-1-utf-7": "utf-7",
}
# A label that says "ASCII" is often wrong about 8-bit content; it decides nothing then.
_WEAK = {"us-ascii", "ascii", "ansi_x3.4-1968", "unknown-8bit", "x-unknown", "default"}
# Detection on a few kilobytes is as good as on the whole text and far cheaper.
_SAMPLE = 16_384


# What our customers write in when they do not say: Chinese (simplified, traditional) and
# Western European. Left open, detection reads short Big5 as Korean or Shift_JIS; Japanese
# mail announces itself (ISO-2022-JP escapes) or labels its charset.
_LIKELY = ["gb18030", "big5", "cp1252"]


def normal_charset(label: str | None) -> str | None:
    """The Python codec for a declared charset label, or None when it is unknown or weak."""
    if not label:
        return None
    name = str(label).strip().strip("\"'").lower()
    name = _ALIASES.get(name, name)
    if name in _WEAK:
        return None
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def decode_bytes(data: bytes, charset: str | None) -> str:
    """Decode `data`, trusting the declared charset only when it decodes cleanly."""
    if not data:
        return ""
    if data.startswith(codecs.BOM_UTF8):
        return data[3:].decode("utf-8", "replace")
    codec = normal_charset(charset)
    if b"\x1b$" in data or b"\x1b(" in data:
        codec = "iso2022_jp_ext"  # raw ISO-2022 escapes decide, whatever the label says
    if codec:
        try:
            return data.decode(codec)
        except (UnicodeDecodeError, LookupError):
            pass
    if data.isascii():
        return data.decode("ascii")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    return _detect(data, codec)


def decode_header_bytes(data: bytes) -> str:
    """Decode raw 8-bit header bytes (no RFC 2047 words): UTF-8, else the likeliest of GB18030,
    Big5 and Windows-1252 (Western mail sends raw Latin-1 headers as often as China sends GBK).
    """
    try:
        return repair_mojibake(data.decode("utf-8"))
    except UnicodeDecodeError:
        pass
    try:
        best = from_bytes(data, cp_isolation=_LIKELY).best()
    except Exception:
        best = None
    codec = _ALIASES.get(best.encoding, best.encoding) if best is not None else "gb18030"
    return data.decode(codec, "replace")


def repair_mojibake(text: str) -> str:
    """Undo CJK bytes that were read as Latin-1 and written out again as UTF-8."""
    high = sum(1 for ch in text if "\x80" <= ch <= "\xff")
    if high < 4 or any(ch > "\xff" for ch in text):
        return text
    try:
        raw = text.encode("latin-1")
    except UnicodeEncodeError:
        return text
    try:
        best = from_bytes(raw, cp_isolation=["gb18030", "big5", "cp1252"]).best()
    except Exception:
        return text
    if best is None or best.encoding in ("cp1252", "windows_1252"):
        return text
    codec = _ALIASES.get(best.encoding, best.encoding)
    try:
        return raw.decode(codec)
    except (UnicodeDecodeError, LookupError):
        return text


def _detect(data: bytes, fallback: str | None) -> str:
    try:
        best = from_bytes(data[:_SAMPLE], cp_isolation=_LIKELY).best()
    except Exception:
        best = None
    codec = best.encoding if best is not None else None
    codec = _ALIASES.get(codec or "", codec)
    for name in (codec, fallback, "gb18030", "latin-1"):
        if not name:
            continue
        try:
            return data.decode(name, "replace")
        except LookupError:
            continue
    return data.decode("latin-1")
