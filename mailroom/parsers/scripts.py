"""Simplified and traditional Chinese read alike.

Customers in Taiwan and Hong Kong write 採購單號 and 深溝球軸承 where our keyword tables and
catalog say 采购单号 and 深沟球轴承. Rather than list every keyword twice (and miss some), each
Chinese character of a pattern becomes the class of its forms in both scripts (`[采採][购購]`)
when the pattern is loaded, and product names are compared in simplified characters. The
character map is OpenCC's; values taken from a mail (an address, a description) keep the
writer's own characters.
"""

from __future__ import annotations

import re
import tomllib
from functools import lru_cache
from pathlib import Path
from typing import Any

from opencc import OpenCC

_TO_TRADITIONAL = OpenCC("s2t")
# Taiwan and Hong Kong write some characters otherwise than OpenCC's standard traditional
# (为: 爲 in s2t, 為 in Taiwan and Hong Kong; 里: 裏 and 裡): a character matches them all.
_REGIONAL = (OpenCC("s2tw"), OpenCC("s2hk"))
_TO_SIMPLIFIED = OpenCC("t2s")
_CJK = re.compile(r"[\u3400-\u9fff]")
_DATA = Path(__file__).parent / "data"


@lru_cache(maxsize=8192)
def forms(char: str) -> str:
    """A Chinese character and its other-script forms (`发` -> `发發`), itself if it has none."""
    simple = _TO_SIMPLIFIED.convert(char)
    found = char + simple + "".join(c.convert(simple) for c in (_TO_TRADITIONAL, *_REGIONAL))
    return "".join(dict.fromkeys(c for c in found if len(c) == 1 or c == char))


def either_script(pattern: str) -> str:
    """A regular expression whose Chinese characters also match their other-script forms."""
    if not _CJK.search(pattern):
        return pattern
    out: list[str] = []
    in_class = escaped = False
    for index, char in enumerate(pattern):
        if escaped:
            out.append(char)
            escaped = False
        elif char == "\\":
            out.append(char)
            escaped = True
        elif in_class:
            in_class = char != "]"
            # The ends of a range (`[\u3400-\u9fff]`) stay as they are.
            ranged = "-" in (pattern[index - 1 : index], pattern[index + 1 : index + 2])
            out.append(forms(char) if _CJK.match(char) and not ranged else char)
        elif char == "[":
            in_class = True
            out.append(char)
        elif _CJK.match(char) and len(forms(char)) > 1:
            out.append(f"[{forms(char)}]")
        else:
            out.append(char)
    return "".join(out)


def compile_either(pattern: str, flags: int = 0) -> re.Pattern[str]:
    """`re.compile` for a pattern that should match Chinese in either script."""
    return re.compile(either_script(pattern), flags)


def simplified(text: str) -> str:
    """The text in simplified characters (for comparing, never for reporting)."""
    return _TO_SIMPLIFIED.convert(text) if _CJK.search(text) else text


def traditional(text: str) -> bool:
    """Whether Chinese `text` is written in traditional characters: more of its characters
    are traditional-only forms than simplified-only ones (most characters are both)."""
    chars = "".join(_CJK.findall(text[:20_000]))
    if not chars:
        return False
    to_simple, to_traditional = _TO_SIMPLIFIED.convert(chars), _TO_TRADITIONAL.convert(chars)
    if len(to_simple) != len(chars) or len(to_traditional) != len(chars):
        return False
    only_traditional = sum(a != b for a, b in zip(chars, to_simple, strict=True))
    only_simplified = sum(a != b for a, b in zip(chars, to_traditional, strict=True))
    return only_traditional >= 3 and only_traditional > only_simplified


def load_table(name: str) -> dict[str, Any]:
    """A keyword table from data/, every pattern in it made to match either script; a pattern
    that matches what another one does is dropped (it would count twice)."""
    return _each_string(tomllib.loads((_DATA / name).read_text("utf-8")))


def _matched_alike(pattern: str) -> str:
    """The same key for patterns that match the same text: each Chinese character stands for
    all its forms. 採購單 is 采购单 again, while 自動回覆 is not 自动回复 (回覆 is Taiwan's
    word, and 覆 no form of 复), so it is kept beside it."""
    return "".join(min(forms(c)) if _CJK.match(c) else c for c in pattern)


def _each_string(value: Any) -> Any:
    if isinstance(value, str):
        return either_script(value)
    if isinstance(value, list):
        unique = {_matched_alike(v) if isinstance(v, str) else id(v): v for v in reversed(value)}
        return [_each_string(v) for v in reversed(unique.values())]
    if isinstance(value, dict):
        return {k: _each_string(v) for k, v in value.items()}
    return value
