"""Output formats: each renders a Report to a string (DESIGN.md, "Report").

Renderers are imported when first used: `grade` starts its worker template
before anything heavy (rich, junitparser) is imported, so the template's torch
import begins as early as possible.
"""
from __future__ import annotations

from importlib import import_module

from graders.i18n import Renderer

from ..report import Report

FORMATS = ("text", "json", "markdown", "junit", "gradescope")


def render(report: Report, fmt: str, lang: str, *, color: bool = False) -> str:
    """Render `report` in format `fmt` with every message in `lang`; `color` applies to "text" only.

    The JSON format keeps the messages' ids beside their text; the others see the
    report with its messages already rendered (`Report.localized`)."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
    module = import_module(f"{__name__}.{fmt}")
    if fmt == "json":
        return module.render(report, lang)
    tr = Renderer(lang)
    local = report.localized(tr.lang)
    return module.render(local, tr, color=color) if fmt == "text" else module.render(local, tr)


__all__ = ["FORMATS", "render"]
