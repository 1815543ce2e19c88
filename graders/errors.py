"""One exception tree for everything a user can get wrong.

    GradersError            (exit 2 unless a subclass says otherwise)
    ├── UnknownAssignment   no such assignment in this course
    ├── SpecError           an assignment.toml that does not validate
    ├── DataError           a --data file the assignment cannot use
    ├── SubmissionError     a submission that cannot be read (bad zip, notebook, missing path)
    │                       -> report status "rejected", exit 3
    ├── OutputError         `grade batch` could not write its outputs (disk full, read-only folder);
    │                       nothing was half-written -> exit 2: the TA fixes the disk and reruns
    └── OutdirBusy          another `grade batch` holds the same OUTDIR (its pid in the message)
                            -> exit 2, at once, before anything is read or graded

Each class carries the report status and the CLI exit code it maps to, so the
CLI maps errors without a table of its own.
"""
from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    """Exit codes of `grade` (DESIGN.md, CLI contract)."""

    OK = 0  # graded, whatever the score
    BELOW_THRESHOLD = 1  # graded, but --fail-under was missed
    USAGE = 2  # bad arguments, unknown assignment
    NOT_GRADED = 3  # the report's status is not "graded"


class GradersError(Exception):
    """Base of every error the grader reports to a person."""

    exit_code = ExitCode.USAGE
    status = "error"


class UnknownAssignment(GradersError):
    """The assignment name matches nothing in the course."""


class SpecError(GradersError):
    """An assignment's declarative file is invalid."""


class DataError(GradersError):
    """A `--data` file that the assignment's data module rejects (wrong columns, labels, encoding)."""


class SubmissionError(GradersError):
    """The submission cannot be read; grading gives a `rejected` report."""

    exit_code = ExitCode.NOT_GRADED
    status = "rejected"


class OutputError(GradersError):
    """A batch output could not be written; the previous outputs are intact (exit 2: fix the disk, rerun)."""


class OutdirBusy(GradersError):
    """Another `grade batch` is running on the same output folder (exit 2: a usage error, nothing was done)."""
