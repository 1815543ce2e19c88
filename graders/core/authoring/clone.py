"""`grade new HW --from HWxx`: an existing assignment's four folders copied under a new id.

Every mention of the old id is renamed — in text files (`graders.hw03.wrong`,
`hw03.ipynb`, catalog paths, the manifest) and in file names (`hw03.po`) — and
compiled catalogs are left out, to be compiled afresh from the renamed `.po`.
Binary files (golden outputs, sample zips) are copied as they are.
"""
from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

from graders.core.authoring.layout import COURSE_FOLDERS, ID_PATTERN, folders_of
from graders.errors import UnknownAssignment
from graders.i18n import _

SKIPPED = ("__pycache__", ".pytest_cache")
TITLE_LINE = re.compile(r"^title\s*=.*$", re.MULTILINE)


def renamer(old: str, new: str) -> re.Pattern[str]:
    """The pattern of `old` as a whole id (hw03, HW03, hw03_submission; never hw031 or xhw03)."""
    return re.compile(rf"(?<![A-Za-z0-9]){re.escape(old)}(?![0-9])", re.IGNORECASE)


def rename_text(text: str, old: str, new: str) -> str:
    """Every whole-id mention of `old` replaced by `new`, in the case it was written (pure)."""
    return renamer(old, new).sub(lambda m: new.upper() if m.group(0).isupper() else new, text)


def retitle(toml_text: str, title: str) -> str:
    """An assignment.toml's text with its top-level title replaced (pure)."""
    line = "title = " + json.dumps(title, ensure_ascii=False)
    return TITLE_LINE.sub(lambda _m: line, toml_text, count=1)


def _copy_file(source: Path, target: Path, old: str, new: str) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        text = source.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        shutil.copyfile(source, target)
        return
    target.write_text(rename_text(text, old, new), encoding="utf-8")


def _files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file() and not p.is_symlink() and p.suffix != ".mo"
                  and not any(part in SKIPPED for part in p.relative_to(folder).parts))


def clone_assignment(root: Path, old: str, new: str, title: str | None = None) -> None:
    """Copy assignment `old` of the course to `new`, renaming every id mention; optionally a new title."""
    if not ID_PATTERN.fullmatch(old) or not (root / "graders" / old / "assignment.toml").is_file():
        raise UnknownAssignment(_("unknown assignment {name}: --from needs an assignment of this course").format(
            name=repr(old)))
    for source_dir, target_dir in zip(folders_of(root, old), folders_of(root, new)):
        if not source_dir.is_dir():
            continue
        for source in _files(source_dir):
            relative = rename_text(source.relative_to(source_dir).as_posix(), old, new)
            _copy_file(source, target_dir / relative, old, new)
    if title:
        spec = root / COURSE_FOLDERS["hidden"] / new / "assignment.toml"
        spec.write_text(retitle(spec.read_text(encoding="utf-8"), title), encoding="utf-8")
