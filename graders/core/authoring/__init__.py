"""`grade new`: a new assignment, from the minimal template or as a renamed copy of another one.

Why: an assignment is four folders and about fifteen files whose contracts meet
in one place (docs/authoring.md); starting from a working one that already passes
`grade check` beats copying hw03 by hand and chasing every `hw03` left behind.

    new_assignment("hw06")                    minimal: one function, one public and one hidden test,
                                              a golden case, a key, a correct and a mistake sample
    new_assignment("hw07", source="hw03")     hw03's four folders, every id and catalog renamed

Both finish the same way: the assignment's catalogs are merged and compiled and
its golden outputs recorded, so `grade check ID` can pass at once.
"""
from __future__ import annotations

import json
import shutil
from dataclasses import dataclass
from pathlib import Path

from graders.core.authoring.clone import clone_assignment
from graders.core.authoring.layout import COURSE_FOLDERS, check_new_id, folders_of
from graders.core.authoring.scaffold import DEFAULT_TITLE, render_minimal
from graders.core.course import course_root

__all__ = ["Created", "new_assignment", "DEFAULT_TITLE", "COURSE_FOLDERS"]


@dataclass(frozen=True)
class Created:
    """What `grade new` made: the id, its four folders, its golden cases, the messages left to translate."""

    id: str
    folders: tuple[Path, ...]
    cases: int
    untranslated: tuple[str, ...]


def new_assignment(new_id: str, title: str | None = None, source: str | None = None,
                   root: Path | None = None) -> Created:
    """Create assignment `new_id` in the course (minimal, or a copy of `source`); nothing is left half-made."""
    root = (root or course_root()).resolve()
    check_new_id(new_id, root)
    folders = folders_of(root, new_id)
    try:
        if source:
            clone_assignment(root, source, new_id, title)
        else:
            render_minimal(root, new_id, title or DEFAULT_TITLE)
        return _finish(root, new_id, folders, record_golden=not source)
    except BaseException:
        for folder in folders:
            shutil.rmtree(folder, ignore_errors=True)
        raise


def _finish(root: Path, new_id: str, folders: tuple[Path, ...], record_golden: bool) -> Created:
    """Merge and compile the new catalogs, record golden outputs (a copy keeps its own); what is left to translate."""
    from graders import catalogs
    from graders.core.reference import record
    from graders.core.spec import load_assignment

    catalogs.update(root, new_id)
    catalogs.compile_all(root, new_id)
    spec = load_assignment(new_id, root)
    if spec.cases and record_golden:
        record(spec)
    manifest = spec.reference_dir / "manifest.json"
    cases = len(json.loads(manifest.read_text(encoding="utf-8")).get("cases", {})) if manifest.is_file() else 0
    return Created(new_id, folders, cases, tuple(catalogs.problems(root, new_id)))
