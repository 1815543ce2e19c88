"""One exception tree for everything the engine raises.

    EngineError             root: status "error", exit 2 unless a subclass says otherwise
    ├── GradersError        what a user got wrong; the CLI prints the message, exits with its code
    │   ├── UnknownAssignment   no such assignment in this course
    │   ├── SpecError           an assignment.toml that does not validate
    │   ├── DataError           a --data file the assignment cannot use
    │   ├── SubmissionError     a submission that cannot be read (bad zip, notebook, missing path)
    │   │                       -> report status "rejected", exit 3
    │   ├── OutputError         `grade batch` could not write its outputs (disk full, read-only folder);
    │   │                       nothing was half-written -> exit 2: the TA fixes the disk and reruns
    │   ├── OutdirBusy          another `grade batch` holds the same OUTDIR (its pid in the message)
    │   │                       -> exit 2, at once, before anything is read or graded
    │   ├── BatchInterrupted    Ctrl-C stopped `grade batch`; what was graded is cached -> exit 130
    │   └── LeakError           a built autograder holds hidden material; it was not handed out -> exit 2
    ├── WorkerFault         the sandboxed worker could not answer -> that test's status "error"
    │   ├── WorkerTimeout       it ran past its time budget and was stopped -> status "timeout"
    │   └── WorkerDied          it crashed, exited, or broke the protocol -> status "error"
    ├── StudentError        the student's code raised (type, message, location) -> status "error"
    ├── Mismatch            a wrong answer with a hint and partial credit -> status "failed"
    │                       (also an AssertionError, which is what pytest expects of a failed check)
    ├── ServerUnavailable   no usable warm server: the client grades locally (`grade server start`
    │                       turns it into a GradersError, exit 2)
    ├── ParseError          student math that cannot be read (core/symbolic/errors.py; also a ValueError)
    └── EvalError           math that parsed but cannot be evaluated (same module; also a ValueError);
                            both become a step's verdict inside the symbolic checker

Only GradersError reaches a person as an exit code: the CLI (and the warm
server) catch it and nothing else. The other branches are caught inside the
engine and become a test's status (runner.classify) or a local fallback; they
carry `status` and `exit_code` all the same, so no caller needs a table.

Outside the tree, on purpose:
- `ProtocolError`, `FrameError` (graders.core.sandbox.wire): the wire imports
  nothing from graders (the thin client uses framing without numpy); the parent
  turns them into WorkerDied at the boundary, the server drops such a request.
- `LandlockUnavailable` (sandbox/child/landlock.py): child-side only, an
  OSError; it becomes a "missing" confinement note and never crosses the pipe.

Each class carries the report status and the CLI exit code it maps to, so the
CLI maps errors without a table of its own.
"""
from __future__ import annotations

from enum import IntEnum
from typing import TYPE_CHECKING, Any

from graders.i18n import _, message_of

if TYPE_CHECKING:
    from graders.core.sandbox.wire.limits import Limits


class ExitCode(IntEnum):
    """Exit codes of `grade` (DESIGN.md, CLI contract)."""

    OK = 0  # graded, whatever the score
    BELOW_THRESHOLD = 1  # graded, but --fail-under was missed
    CHECKS_FAILED = 1  # `grade check`: some self-check failed (same code, its own name)
    NO_SERVER = 1  # `grade server status`: no server is running (same code, its own name)
    USAGE = 2  # bad arguments, unknown assignment
    NOT_GRADED = 3  # the report's status is not "graded"
    INTERRUPTED = 130  # Ctrl-C (128 + SIGINT, as a shell reports it)


class EngineError(Exception):
    """Root of every exception the engine defines (see the tree above)."""

    exit_code = ExitCode.USAGE
    status = "error"

    @property
    def message(self) -> str:
        """What a person reads, as data (a graders.i18n.Message when the engine wrote it)."""
        return self.__dict__["_message"] if "_message" in self.__dict__ else message_of(self)

    @message.setter
    def message(self, value: str) -> None:
        self.__dict__["_message"] = value


class GradersError(EngineError):
    """Base of every error the grader reports to a person."""


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


class BatchInterrupted(GradersError):
    """Ctrl-C stopped a batch: its futures were cancelled, the reports that landed are cached (exit 130)."""

    exit_code = ExitCode.INTERRUPTED


class LeakError(GradersError):
    """A built artefact contains hidden material; it was not handed out."""


class WorkerFault(EngineError):
    """The worker could not answer: it died, overran its time, or broke the protocol."""

    status = "error"


class WorkerTimeout(WorkerFault):
    status = "timeout"


class WorkerDied(WorkerFault):
    status = "error"


class StudentError(EngineError):
    """The student's code raised: carries the exception type, message and location."""

    status = "error"

    def __init__(self, info: dict[str, Any], call: str, limits: Limits | None = None) -> None:
        info = {k: info.get(k) if isinstance(info.get(k), str) else "" for k in
                ("type", "exception", "message", "where", "traceback")}  # the worker's, so checked
        self.info = info
        self.call = call
        where = _(" at {where}").format(where=info["where"]) if info.get("where") else ""
        if info.get("type") == "unsendable":
            text = _("{call} returned a value the grader cannot read back ({error})").format(
                call=call, error=info["message"])
        else:
            text = _("{call} raised {exception}{where}: {message}").format(
                call=call, exception=info["exception"] or _("an error"), where=where,
                message=info.get("message", ""))
        if limits and ("[Errno 28]" in info["message"] or "[Errno 122]" in info["message"]):
            text += _(" (the worker's scratch folder is full: it holds at most {mb} MB in {files} files)").format(
                mb=limits.scratch_mb, files=limits.scratch_files)
        super().__init__(text)


class Mismatch(AssertionError, EngineError):
    """A wrong answer: what a student reads (message), what to try (hint), and any partial credit."""

    status = "failed"

    def __init__(self, message: str, hint: str = "", fraction: float | None = None) -> None:
        super().__init__(message)
        self.message, self.hint, self.fraction = message, hint, fraction


class ServerUnavailable(EngineError):
    """No usable server: the caller grades locally."""
