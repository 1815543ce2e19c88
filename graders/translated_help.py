"""Click help and click's own messages in the reader's language.

Why: click evaluates help strings when `cli.py` is imported, before `--lang` or
the locale is known, and renders its own words ("Usage:", "Error: ...") with
stdlib gettext's global domain. Commands here keep their English help as the
msgid (marked with N_) and translate it when help is formatted; click's own
words are routed through the same catalog.

The language of a command line is data of that command line: `cli_lang()` reads
it from the click context (`--lang` anywhere, else the locale), never from a
global setting.
"""
from __future__ import annotations

import sys
from contextlib import contextmanager
from typing import Any, Iterator

import click

from graders.i18n import N_, resolve_language, translator

LANG_KEY = "graders.lang"  # where the command line's language lives in click's shared Context.meta


def lang_in(argv: list[str]) -> str | None:
    """The value of `--lang` anywhere on the command line, so even a usage error is in that language."""
    for i, arg in enumerate(argv):
        if arg == "--lang" and i + 1 < len(argv):
            return argv[i + 1]
        if arg.startswith("--lang="):
            return arg.split("=", 1)[1]
    return None


def remember_lang(ctx: click.Context, args: list[str]) -> None:
    """Record the command line's language in the context, before any option is parsed."""
    ctx.meta[LANG_KEY] = resolve_language(lang_in(args))


def cli_lang() -> str:
    """The language of the running command line: its `--lang`, else the locale, else English."""
    ctx = click.get_current_context(silent=True)
    if ctx is not None and LANG_KEY in ctx.meta:
        return ctx.meta[LANG_KEY]
    return resolve_language(lang_in(sys.argv[1:]))  # outside a context: an error shown after parsing


def _click_gettext(message: str) -> str:
    return translator(cli_lang()).gettext(message)


def _click_ngettext(singular: str, plural: str, n: int) -> str:
    return translator(cli_lang()).ngettext(singular, plural, n)

# click's own words that a user of `grade` meets (msgids exactly as click writes them).
CLICK_MESSAGES = (
    N_("Usage:"), N_("Options"), N_("Commands"), N_("Show this message and exit."), N_("Show the version and exit."),
    N_("Error: {message}"), N_("Try '{command} {option}' for help."), N_("Invalid value: {message}"),
    N_("Invalid value for {param_hint}: {message}"), N_("Missing argument"), N_("Missing option"),
    N_("Missing parameter"), N_("Missing command."), N_("No such option {name!r}."),
    N_("No such command {name!r}."), N_("default: {default}"), N_("Aborted!"), N_("%(prog)s, version %(version)s"),
    N_("{value!r} is not a valid {number_type}."), N_("{value} is not in the range {range}."),
    N_("{name} {filename!r} does not exist."), N_("{name} {filename!r} is a file."),
    N_("{name} {filename!r} is a directory."), N_("file"), N_("directory"), N_("path"),
)


def click_plurals(n: int) -> list[str]:
    """click's messages with plural forms, in the command line's language (also marks them for extraction)."""
    ngettext = _click_ngettext
    return [ngettext("Got unexpected extra argument ({args})", "Got unexpected extra arguments ({args})", n),
            ngettext("{value!r} is not {choice}.", "{value!r} is not one of {choices}.", n),
            ngettext("Option {name!r} requires an argument.", "Option {name!r} requires {nargs} arguments.", n),
            ngettext("Did you mean {possibility}?", "(Did you mean one of: {possibilities}?)", n)]


def install_click_messages() -> None:
    """Make click render its own words through the course's catalog, in the command line's language."""
    import importlib

    for name in ("core", "exceptions", "formatting", "decorators", "parser", "types", "termui", "utils"):
        module = importlib.import_module(f"click.{name}")
        if hasattr(module, "_"):
            module._ = _click_gettext  # type: ignore[attr-defined]
        if hasattr(module, "ngettext"):
            module.ngettext = _click_ngettext  # type: ignore[attr-defined]


@contextmanager
def _translated(items: list[Any], attrs: tuple[str, ...]) -> Iterator[None]:
    """Within the block, the named string attributes of `items` hold their translations."""
    saved = [(item, attr, getattr(item, attr, None)) for item in items for attr in attrs]
    for item, attr, value in saved:
        if isinstance(value, str) and value:
            setattr(item, attr, _click_gettext(value))
    try:
        yield
    finally:
        for item, attr, value in saved:
            setattr(item, attr, value)


class TranslatedCommand(click.Command):
    """A command whose help, short help and option help are translated when shown."""

    def format_help_text(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        with _translated([self], ("help",)):
            super().format_help_text(ctx, formatter)

    def get_short_help_str(self, limit: int = 45) -> str:
        with _translated([self], ("help", "short_help")):
            return super().get_short_help_str(limit)

    def format_options(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        with _translated(self.get_params(ctx), ("help",)):
            super().format_options(ctx, formatter)


class TranslatedGroup(TranslatedCommand, click.Group):
    """A group of translated commands (`@group.command` makes TranslatedCommand)."""

    command_class = TranslatedCommand

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if LANG_KEY not in ctx.meta:
            remember_lang(ctx, args)
        return super().parse_args(ctx, args)


__all__ = ["CLICK_MESSAGES", "LANG_KEY", "click_plurals", "cli_lang", "TranslatedCommand", "TranslatedGroup",
           "install_click_messages", "lang_in", "remember_lang"]
