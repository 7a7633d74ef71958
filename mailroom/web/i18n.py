"""Interface text in English and Chinese, kept as data (`labels.en.toml`, `labels.zh.toml`)."""

from __future__ import annotations

import tomllib
from functools import cache
from importlib.resources import files
from typing import Any

LANGUAGES = ("en", "zh")
DEFAULT = "en"


class Labels(dict[str, str]):
    """The labels of one language; a key missing there falls back to English."""

    def fmt(self, key: str, **values: Any) -> str:
        """The label `key` with `{name}` placeholders filled in."""
        return self[key].format(**values)

    def __getattr__(self, key: str) -> str:
        if key.startswith("__"):
            raise AttributeError(key)
        return self[key]

    def __missing__(self, key: str) -> str:
        return _load(DEFAULT).get(key, key)


@cache
def _load(language: str) -> dict[str, str]:
    text = files("mailroom.web").joinpath(f"labels.{language}.toml").read_text("utf-8")
    return tomllib.loads(text)


@cache
def labels(language: str) -> Labels:
    """The labels for `language` (English for a language we do not have)."""
    return Labels(_load(language if language in LANGUAGES else DEFAULT))


def choose(cookie: str | None, preferred: str | None, accept_language: str) -> str:
    """The interface language: the clerk's switch, their account's, then the browser's."""
    for candidate in (cookie, preferred):
        if candidate in LANGUAGES:
            return candidate
    return "zh" if accept_language.lower().startswith("zh") else DEFAULT
