"""Output formats: each renders a Report to a string (DESIGN.md, "Report")."""
from __future__ import annotations

from ..report import Report
from . import gradescope, json, junit, markdown, text

FORMATS = ("text", "json", "markdown", "junit", "gradescope")

_RENDERERS = {"json": json.render, "markdown": markdown.render,
              "junit": junit.render, "gradescope": gradescope.render}


def render(report: Report, fmt: str, *, color: bool = False) -> str:
    """Render `report` in format `fmt`; `color` applies to "text" only."""
    if fmt == "text":
        return text.render(report, color=color)
    if fmt not in _RENDERERS:
        raise ValueError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
    return _RENDERERS[fmt](report)


__all__ = ["FORMATS", "render"]
