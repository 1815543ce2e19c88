"""`--data PATH`: an instructor's own data file for assignments that declare a data module.

The engine only finds and asks the assignment's data module (declared in its
assignment.toml as `[data] module = "data.py"`, trusted code next to the hidden
suites) whether the file is usable; what the file means and how it is split is
the assignment's business, read by its hidden suites through the `data_path`
fixture. The file is also added to what the worker must never read.
"""
from __future__ import annotations

from pathlib import Path
from types import ModuleType

from graders.core.course_modules import load_course_module
from graders.core.spec import Spec
from graders.errors import DataError
from graders.i18n import _


def data_module(spec: Spec) -> ModuleType:
    """Import the assignment's data module (instructor code, never student code)."""
    path = spec.data_module
    if path is None or not path.is_file():
        raise DataError(_("{assignment} takes no --data file (its assignment.toml declares no data module)").format(
            assignment=spec.id))
    return load_course_module(path, f"graders.{spec.id}.{path.stem}")


def check_data(spec: Spec, path: str | Path) -> Path:
    """The resolved path when the assignment can use this file; DataError with the reason if not."""
    path = Path(path)
    if not path.is_file():
        raise DataError(_("--data {path}: no such file").format(path=path))
    try:
        data_module(spec).check(path)
    except ValueError as exc:
        raise DataError(_("--data {path}: {reason}").format(path=path, reason=exc)) from exc
    return path.resolve()
