"""The message catalog: every word a student or TA reads goes through `_()` (gettext).

Why: the course is taught in Chinese; messages exist in Simplified Chinese and
English, chosen by `--lang`, else the locale (LC_ALL > LC_MESSAGES > LANG), else
English. Catalogs are gettext `.po` files compiled to `.mo` (Babel extracts and
compiles them, see README): the engine's own in `graders/locale` (domain
`graders`), an assignment's in `graders/hwNN/locale` (hidden suites) and
`exercises/hwNN/locale` (its public text), both with domain `hwNN`.

Messages with values use named placeholders:
    _("{name} returned shape {got}; expected {expected}").format(name=..., got=..., expected=...)
A string defined before the language is known is marked with `N_()` and
translated where it is shown: `_(SHIFT_HINT)`.
"""
from __future__ import annotations

import gettext
import os
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import Iterator, Mapping

LANGUAGES = ("en", "zh_CN")
DEFAULT = "en"
DOMAIN = "graders"
LOCALE_DIR = Path(__file__).parent / "locale"
ENV_ORDER = ("LC_ALL", "LC_MESSAGES", "LANG")

_state: dict[str, str | None] = {"language": None}
_catalogs: list[tuple[str, str]] = []  # (domain, localedir) of assignments, searched before the engine's


def normalize(tag: str | None) -> str | None:
    """A language option or locale name -> one of LANGUAGES, or None when it names neither.

    zh, zh_CN, zh-Hans, zh_CN.UTF-8 (and other Chinese locales) -> zh_CN; en*, C, POSIX -> en."""
    if not tag:
        return None
    base = tag.split(".")[0].split("@")[0].replace("-", "_").strip().lower()
    if base.startswith("zh"):
        return "zh_CN"
    if base.startswith("en") or base in ("c", "posix"):
        return "en"
    return None


def language_from_env(environ: Mapping[str, str] | None = None) -> str:
    """The locale's language: the first set of LC_ALL, LC_MESSAGES, LANG decides; English otherwise."""
    env = os.environ if environ is None else environ
    for name in ENV_ORDER:
        if env.get(name):
            return normalize(env[name]) or DEFAULT
    return DEFAULT


def resolve_language(option: str | None = None, environ: Mapping[str, str] | None = None) -> str:
    """`--lang` when given, else the locale, else English."""
    return normalize(option) or language_from_env(environ)


def set_language(lang: str | None) -> None:
    """Make `lang` the language of every message from now on; None follows the locale again."""
    _state["language"] = None if lang is None else resolve_language(lang)


def current_language() -> str:
    """The language messages are rendered in right now."""
    return _state["language"] or language_from_env()


@contextmanager
def language(lang: str | None) -> Iterator[str]:
    """Render messages in `lang` inside the block (None: keep the current one), then restore."""
    before = _state["language"]
    if lang is not None:
        set_language(lang)
    try:
        yield current_language()
    finally:
        _state["language"] = before


def add_catalog(domain: str, localedir: Path) -> None:
    """Search an assignment's catalog (e.g. domain 'hw03' in graders/hw03/locale) before the engine's."""
    entry = (domain, str(localedir))
    if Path(localedir).is_dir() and entry not in _catalogs:
        _catalogs.insert(0, entry)


@lru_cache(maxsize=32)
def _translation(lang: str, catalogs: tuple[tuple[str, str], ...]) -> gettext.NullTranslations:
    """The chained translations for one language: assignments' catalogs first, then the engine's."""
    chain = [gettext.translation(domain, localedir, languages=[lang], fallback=True)
             for domain, localedir in (*catalogs, (DOMAIN, str(LOCALE_DIR)))]
    first = gettext.NullTranslations()
    for translation in chain:
        first.add_fallback(translation)
    return first


def translator(lang: str | None = None) -> gettext.NullTranslations:
    """The translations in use for `lang` (default: the current language)."""
    return _translation(lang or current_language(), tuple(_catalogs))


def _(message: str) -> str:
    """`message` in the current language (itself when the catalog has no translation)."""
    return translator().gettext(message) if message else message


def N_(message: str) -> str:
    """Mark a string for extraction without translating it yet (translate it with `_()` where shown)."""
    return message


def ngettext(singular: str, plural: str, n: int) -> str:
    """The singular or plural form for `n` in the current language."""
    return translator().ngettext(singular, plural, n)


__all__ = ["LANGUAGES", "N_", "_", "add_catalog", "current_language", "language", "language_from_env",
           "ngettext", "normalize", "resolve_language", "set_language", "translator"]
