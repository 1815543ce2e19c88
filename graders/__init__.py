"""Graders: a sandboxed grader for a PyTorch deep-learning course.

Public API: Grader (grades many submissions on one warm sandbox template),
grade_submission (one submission -> Report, a Grader for one call), load_assignment,
list_assignments, Report and TestResult; check (grade the running notebook from Jupyter). Imported lazily, so `import graders`
does not pay for torch (the CLI starts its warm template first).
"""
from __future__ import annotations

from importlib import import_module
from typing import Any

__all__ = ["Grader", "grade_submission", "load_assignment", "list_assignments", "Report", "TestResult", "check"]

_HOME = {"Grader": "graders.core.grader", "grade_submission": "graders.core.grade", "load_assignment": "graders.core.spec",
         "list_assignments": "graders.core.spec", "Report": "graders.core.report",
         "TestResult": "graders.core.report", "check": "graders.core.notebook_check"}


def __getattr__(name: str) -> Any:
    if name in _HOME:
        return getattr(import_module(_HOME[name]), name)
    raise AttributeError(f"module 'graders' has no attribute {name!r}")
