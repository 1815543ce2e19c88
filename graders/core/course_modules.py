"""The one trusted loader for a course's own Python files (cases, data modules).

These files are instructor code next to the hidden suites, imported in the grader
itself; student code is never loaded here (it only runs in the sandbox worker,
which keeps its own loader for the harness: it may import nothing from here).
"""
from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

from graders.core.spec import Spec


def expose_hidden_package(spec: Spec) -> None:
    """Let hidden suites and cases import their helpers (`graders.hw03.wrong`) from the course in use.

    With an installed engine and GRADERS_COURSE elsewhere (the Gradescope
    autograder), the course's graders/ folder joins the package's search path."""
    import graders

    folder = str(spec.course_root / "graders")
    if spec.grader_dir.is_dir() and folder not in graders.__path__:
        graders.__path__.append(folder)


def load_course_module(path: Path, name: str) -> ModuleType:
    """Import the trusted course file at `path` as module `name` (not added to sys.modules)."""
    module_spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(module_spec)
    module_spec.loader.exec_module(module)
    return module
