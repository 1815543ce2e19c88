"""Where a new assignment goes: its id checked, its four course folders named, none of them taken."""
from __future__ import annotations

import re
from pathlib import Path

from graders.errors import GradersError
from graders.i18n import _

# template area -> course folder (the template avoids the course's names so that no scanner takes it for one)
COURSE_FOLDERS = {"hidden": "graders", "exercises": "exercises", "solution": "reference", "samples": "submissions"}
ID_PATTERN = re.compile(r"hw\d{2,3}")


def folders_of(root: Path, assignment: str) -> tuple[Path, ...]:
    """The four folders of an assignment in a course: graders/, exercises/, reference/, submissions/."""
    return tuple(root / folder / assignment for folder in COURSE_FOLDERS.values())


def check_new_id(new_id: str, root: Path) -> None:
    """A usable new id (hw + 2 or 3 digits: it names a Python package and a catalog) not yet in the course."""
    if not ID_PATTERN.fullmatch(new_id):
        raise GradersError(_("{id} is not an assignment id: use hw and two or three digits, e.g. hw06").format(
            id=repr(new_id)))
    taken = [p for p in folders_of(root, new_id) if p.exists()]
    if taken:
        raise GradersError(_("{id} already exists in this course ({path}); choose another id").format(
            id=new_id, path=taken[0]))
