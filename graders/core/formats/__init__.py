"""Output formats: each renders a Report to a string (DESIGN.md, "Report").

Renderers are imported when first used: `grade` starts its worker template
before anything heavy (rich, junitparser) is imported, so the template's torch
import begins as early as possible.
"""
from __future__ import annotations

from importlib import import_module

from ..report import Report

FORMATS = ("text", "json", "markdown", "junit", "gradescope")


def render(report: Report, fmt: str, *, color: bool = False) -> str:
    """Render `report` in format `fmt`; `color` applies to "text" only."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
    module = import_module(f"{__name__}.{fmt}")
    return module.render(report, color=color) if fmt == "text" else module.render(report)


__all__ = ["FORMATS", "render"]
