"""Messages as data: every word a student or TA reads is a `Message`, rendered in a language at the edge.

Why: the course is taught in Chinese and English. A report is graded once and
read in either language: a test's message is stored as its English msgid and
its parameters, so a batch cache, a JSON report or a server reply can be
rendered again in the other language without grading again. There is no global
language: the CLI, the batch outputs and the formats take `lang` and call
`render(message, lang)` (or a `Renderer`).

    _("{name} returned shape {got}; expected {expected}").format(name=..., got=..., expected=...)

builds a Message; it is also a `str` whose value is its English rendering, so
code that only needs English (logs, the JSON's English fields, assertions in
tests) treats it as text. Text built from a Message with an f-string or
`str.join` is plain English from then on: join messages with `join_messages`.

Catalogs are gettext `.po` files compiled to `.mo` (Babel, see README): the
engine's own in `graders/locale` (domain `graders`), an assignment's in
`graders/hwNN/locale` (hidden suites) and `exercises/hwNN/locale` (its public
text), both with domain `hwNN`, searched first once registered (`add_catalog`).
"""
from __future__ import annotations

import gettext
import os
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterable, Mapping

LANGUAGES = ("en", "zh_CN")
DEFAULT = "en"
DOMAIN = "graders"
LOCALE_DIR = Path(__file__).parent / "locale"
ENV_ORDER = ("LC_ALL", "LC_MESSAGES", "LANG")

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


def translator(lang: str) -> gettext.NullTranslations:
    """The gettext translations for `lang` ("zh", "zh_CN", "en")."""
    return _translation(resolve_language(lang), tuple(_catalogs))


def message_of(exc: BaseException) -> str:
    """What an exception says, as data: its Message when it was raised with one, else its text."""
    return exc.args[0] if len(exc.args) == 1 and isinstance(exc.args[0], Message) else str(exc)


def _freeze(value: Any) -> Any:
    """A parameter as data that survives JSON: messages, numbers, None and str kept; the rest as its str()."""
    if isinstance(value, (Message, bool, int, float, str)) or value is None:
        return value
    if isinstance(value, BaseException):
        return message_of(value)
    if getattr(value, "ndim", None) == 0 and hasattr(value, "item"):  # a 0-d tensor or numpy scalar
        return _freeze(value.item())
    return str(value)


def _english(msgid: str, params: Mapping[str, Any] | None, plural: str | None, n: int | None) -> str:
    template = (msgid if n == 1 else plural) if plural is not None else msgid
    return template.format(**params) if params is not None else template


class Message(str):
    """A translatable message: msgid, parameters (possibly messages) and plural form, rendered on demand.

    As a `str` it is its English rendering (English is the source language, no
    catalog is read). `format()` returns a new Message; `render(lang)` renders
    in another language; `to_data()`/`from_data()` carry it through JSON."""

    def __new__(cls, msgid: str, params: Mapping[str, Any] | None = None, plural: str | None = None,
                n: int | None = None) -> "Message":
        frozen = None if params is None else {k: _freeze(v) for k, v in params.items()}
        self = super().__new__(cls, _english(msgid, frozen, plural, n))
        self.msgid, self.params, self.plural, self.n = msgid, frozen, plural, n
        self.parts: tuple[Any, ...] | None = None
        self.sep = ""
        return self

    @classmethod
    def joined(cls, sep: str, parts: Iterable[Any]) -> "Message":
        """Messages and plain strings joined by a literal separator, each part rendered on its own."""
        parts = tuple(p if isinstance(p, str) else str(p) for p in parts)
        self = str.__new__(cls, sep.join(parts))
        self.msgid, self.params, self.plural, self.n = "", None, None, None
        self.parts, self.sep = parts, sep
        return self

    def format(self, *args: Any, **params: Any) -> "Message":  # type: ignore[override]
        if args:
            raise TypeError("messages take named placeholders only: _('... {name} ...').format(name=...)")
        return Message(self.msgid, {**(self.params or {}), **params}, self.plural, self.n)

    def __add__(self, other: str) -> "Message":  # type: ignore[override]
        return Message.joined("", (self, other))

    def __radd__(self, other: str) -> "Message":
        return Message.joined("", (other, self))

    def __reduce__(self) -> tuple[Any, ...]:
        return (Message.from_data, (self.to_data(),))

    def render(self, lang: str) -> str:
        """This message in `lang`; English when the catalog has no translation or a broken one."""
        if self.parts is not None:
            return self.sep.join(render(p, lang) for p in self.parts)
        if resolve_language(lang) == DEFAULT:
            return str.__str__(self)
        tr = translator(lang)
        template = tr.ngettext(self.msgid, self.plural, self.n or 0) if self.plural is not None \
            else tr.gettext(self.msgid)
        if self.params is None:
            return template
        try:
            return template.format(**{k: v.render(lang) if isinstance(v, Message) else v
                                      for k, v in self.params.items()})
        except (KeyError, IndexError, ValueError):  # a translation with a wrong placeholder: say it in English
            return str.__str__(self)

    def to_data(self) -> dict[str, Any]:
        """Plain JSON data from which `from_data` rebuilds this message."""
        if self.parts is not None:
            return {"sep": self.sep, "parts": [to_data(p) for p in self.parts]}
        data: dict[str, Any] = {"id": self.msgid}
        if self.params is not None:
            data["params"] = {k: to_data(v) for k, v in self.params.items()}
        if self.plural is not None:
            data.update(plural=self.plural, n=self.n)
        return data

    @classmethod
    def from_data(cls, data: Mapping[str, Any]) -> "Message":
        """The message `to_data` wrote (raises ValueError on anything else)."""
        if not isinstance(data, Mapping):
            raise ValueError("a message must be a mapping")
        if "parts" in data:
            return cls.joined(str(data.get("sep", "")), [from_data(p) for p in data["parts"]])
        params = data.get("params")
        return cls(str(data["id"]), None if params is None else {str(k): from_data(v) for k, v in params.items()},
                   data.get("plural"), data.get("n"))


def render(value: Any, lang: str) -> str:
    """Any message, string or value as text in `lang` (plain strings are shown as they are)."""
    if isinstance(value, Message):
        return value.render(lang)
    return "" if value is None else str(value)


def to_data(value: Any) -> Any:
    """A message (or plain value) as JSON data: messages become mappings, the rest is left as is."""
    return value.to_data() if isinstance(value, Message) else value


def from_data(data: Any) -> Any:
    """The inverse of `to_data`."""
    return Message.from_data(data) if isinstance(data, Mapping) else data


def join_messages(sep: str, parts: Iterable[Any]) -> str:
    """Messages joined by `sep` that still render in any language (a plain str when none is a Message)."""
    parts = list(parts)
    return Message.joined(sep, parts) if any(isinstance(p, Message) for p in parts) else sep.join(parts)


class Renderer:
    """`render` with the language bound, for an edge that shows many messages: `tr = Renderer(lang)`."""

    def __init__(self, lang: str) -> None:
        self.lang = resolve_language(lang)

    def __call__(self, value: Any) -> str:
        return render(value, self.lang)


def _(message: str) -> str:
    """`message` as a Message (rendered later, in the reader's language); "" stays ""."""
    if not message or isinstance(message, Message):
        return message
    return Message(message)


def N_(message: str) -> str:
    """Mark a string for extraction without making it a message yet (wrap it with `_()` where used)."""
    return message


def ngettext(singular: str, plural: str, n: int) -> str:
    """A message with a singular and a plural form, chosen by `n` when rendered."""
    return Message(singular, None, plural, n)


__all__ = ["LANGUAGES", "Message", "N_", "Renderer", "_", "add_catalog", "from_data", "join_messages",
           "language_from_env", "message_of", "ngettext", "normalize", "render", "resolve_language", "to_data", "translator"]
