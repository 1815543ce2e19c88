"""The minimal assignment: the template in `minimal/` rendered under a new id and title.

Template files end in `.tmpl` (so no test collector, linter or catalog extractor
takes them for the engine's code) and say `__ID__`, `__TITLE__` and, in TOML,
`__TITLE_TOML__` where the new assignment's id and title go.
"""
from __future__ import annotations

import json
from pathlib import Path

from graders.core.authoring.layout import COURSE_FOLDERS

TEMPLATE = Path(__file__).resolve().parent / "minimal"
SUFFIX = ".tmpl"
DEFAULT_TITLE = "Sigmoid and its derivative (a starter assignment)"


def fill(text: str, new_id: str, title: str) -> str:
    """A template's text with the id and title in place (pure); TOML gets a quoted, escaped title."""
    toml_title = json.dumps(title, ensure_ascii=False)  # a JSON string is a valid TOML basic string
    return text.replace("__TITLE_TOML__", toml_title).replace("__TITLE__", title).replace("__ID__", new_id)


def template_files() -> list[Path]:
    """Every file of the minimal template, relative to it (hidden/assignment.toml.tmpl, ...)."""
    return sorted(p.relative_to(TEMPLATE) for p in TEMPLATE.rglob(f"*{SUFFIX}"))


def destination(root: Path, relative: Path, new_id: str) -> Path:
    """Where a template file goes: hidden/x.tmpl -> graders/ID/x, with __ID__ in names replaced."""
    area, *rest = relative.parts
    name = "/".join(rest).removesuffix(SUFFIX).replace("__ID__", new_id)
    return root / COURSE_FOLDERS[area] / new_id / name


def render_minimal(root: Path, new_id: str, title: str) -> list[Path]:
    """Write the minimal assignment's files into the course; returns them."""
    written = []
    for relative in template_files():
        target = destination(root, relative, new_id)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(fill((TEMPLATE / relative).read_text(encoding="utf-8"), new_id, title), encoding="utf-8")
        written.append(target)
    return written
