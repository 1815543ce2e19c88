"""Click help and click's own messages in the reader's language.

Why: click evaluates help strings when `cli.py` is imported, before `--lang` or
the locale is known, and renders its own words ("Usage:", "Error: ...") with
stdlib gettext's global domain. Commands here keep their English help as the
msgid (marked with N_) and translate it when help is formatted; click's own
words are routed through the same catalog.
"""
from __future__ import annotations

from contextlib import contextmanager
from typing import Any, Iterator

import click

from graders.i18n import N_, _, ngettext

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
    """click's messages with plural forms, in the current language (also marks them for extraction)."""
    return [ngettext("Got unexpected extra argument ({args})", "Got unexpected extra arguments ({args})", n),
            ngettext("{value!r} is not {choice}.", "{value!r} is not one of {choices}.", n),
            ngettext("Option {name!r} requires an argument.", "Option {name!r} requires {nargs} arguments.", n),
            ngettext("Did you mean {possibility}?", "(Did you mean one of: {possibilities}?)", n)]


def install_click_messages() -> None:
    """Make click render its own words through the course's catalog (current language)."""
    import importlib

    for name in ("core", "exceptions", "formatting", "decorators", "parser", "types", "termui", "utils"):
        module = importlib.import_module(f"click.{name}")
        if hasattr(module, "_"):
            module._ = _  # type: ignore[attr-defined]
        if hasattr(module, "ngettext"):
            module.ngettext = ngettext  # type: ignore[attr-defined]


@contextmanager
def _translated(items: list[Any], attrs: tuple[str, ...]) -> Iterator[None]:
    """Within the block, the named string attributes of `items` hold their translations."""
    saved = [(item, attr, getattr(item, attr, None)) for item in items for attr in attrs]
    for item, attr, value in saved:
        if isinstance(value, str) and value:
            setattr(item, attr, _(value))
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


__all__ = ["CLICK_MESSAGES", "click_plurals", "TranslatedCommand", "TranslatedGroup", "install_click_messages"]
