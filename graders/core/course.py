"""Where a course lives on disk: its folders, a student bundle, the assignment.toml files, the catalogs.

Why apart from the assignment model (spec.py): what an assignment *is* does not
depend on where it was read from. A course checkout keeps each assignment in
four folders (graders/ID hidden, exercises/ID public, reference/ID, submissions/ID);
a student bundle (`grade dist`) is one folder holding the public material only.
"""
from __future__ import annotations

import os
import sys
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from graders.errors import SpecError
from graders.i18n import _, add_catalog

SPEC_FILE = "assignment.toml"
HIDDEN_FOLDERS = ("graders", "reference", "submissions")


def course_root() -> Path:
    """The course folder: $GRADERS_COURSE, else the checkout this package lives in."""
    env = os.environ.get("GRADERS_COURSE")
    if env:
        return Path(env).resolve()
    return Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class Layout:
    """The folders of one assignment: in a course checkout, or in a student bundle (bundle_dir set)."""

    root: Path
    id: str
    bundle_dir: Path | None = None

    @property
    def grader_dir(self) -> Path:
        if self.bundle_dir:
            return self.bundle_dir / ".hidden-suites-are-not-in-a-bundle"
        return self.root / "graders" / self.id

    @property
    def exercises_dir(self) -> Path:
        return self.bundle_dir or self.root / "exercises" / self.id

    @property
    def reference_dir(self) -> Path:
        return self.root / "reference" / self.id

    @property
    def samples_dir(self) -> Path:
        return self.root / "submissions" / self.id

    def hidden_paths(self) -> list[str]:
        """Folders a worker must never read: hidden suites, reference solutions, samples (none in a bundle)."""
        if self.bundle_dir:
            return []
        return [str(self.root / d) for d in HIDDEN_FOLDERS]


def spec_files(root: Path) -> dict[str, Path]:
    """Every assignment's assignment.toml in the course, by id (graders/ID first, else exercises/ID)."""
    found: dict[str, Path] = {}
    for base in (root / "graders", root / "exercises"):
        for path in sorted(base.glob(f"*/{SPEC_FILE}")):
            found.setdefault(path.parent.name, path)
    return found


def read_toml(path: Path) -> dict[str, Any]:
    """A TOML file's content; SpecError naming the file if it does not parse."""
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise SpecError(_("{path}: {error}").format(path=path, error=exc)) from exc


def bundle_starts(near: Path | None = None) -> list[Path]:
    """Where to look for a student bundle, in order: `near` (a submission), this folder, the running venv.

    Why the venv: the bundle README creates `.venv` inside the bundle, so the bundle
    is found from the installed package whatever folder `grade` runs in."""
    starts = [near] if near is not None else []
    return starts + [Path.cwd(), Path(sys.prefix)]


def _bundle_specs(starts: Iterable[Path]) -> Iterable[tuple[Path, dict[str, Any]]]:
    """Each folder (a start or one of its parents) holding an assignment.toml, with that file's content."""
    seen: set[Path] = set()
    for start in starts:
        here = start.resolve()
        for folder in (here if here.is_dir() else here.parent, *here.parents):
            candidate = folder / SPEC_FILE
            if folder not in seen and candidate.is_file():
                seen.add(folder)
                yield folder, read_toml(candidate)


def find_bundle(name: str, start: Path | None = None, near: Path | None = None) -> Path | None:
    """A student bundle for `name`: a folder whose assignment.toml has that id, near a submission,
    this folder (`start`: instead of it) or the running venv, or one of their parents."""
    starts = [start] if start is not None else bundle_starts(near)
    if start is not None and near is not None:
        starts.insert(0, near)
    return next((folder for folder, raw in _bundle_specs(starts) if raw.get("id") == name), None)


def found_bundles(near: Path | None = None) -> dict[str, Path]:
    """Every student bundle reachable from bundle_starts, by assignment id (the first found wins)."""
    found: dict[str, Path] = {}
    for folder, raw in _bundle_specs(bundle_starts(near)):
        if isinstance(raw.get("id"), str):
            found.setdefault(raw["id"], folder)
    return found


def shown_path(path: Path, root: Path) -> str:
    """A spec file's path as errors show it: relative to the course (graders/hw03/assignment.toml) when inside it."""
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return str(path)


def register_catalogs(domain: str, layout: Layout) -> None:
    """Register an assignment's message catalogs: hidden suites' (graders/ID) and public text's (exercises/ID)."""
    add_catalog(domain, layout.exercises_dir / "locale")
    add_catalog(domain, layout.grader_dir / "locale")
