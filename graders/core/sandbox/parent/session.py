"""A grading session: the submission's worker, and the proxies tests call through.

Hidden tests call `student.softmax.softmax(x)`; the proxy sends the call to the
submission's worker and returns plain data. One warm child serves all of a
submission's tests (DESIGN.md: never one interpreter per test, never shared
with another submission). A fault (a crash, a timeout) kills that child; the
next test gets a fresh one with a clean scratch copy, and the part whose code
hung or crashed remembers it, so the fault costs that part's tests only.
"""
from __future__ import annotations

import shutil
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from graders.core.sandbox.parent.forkserver_client import Template, WorkerConfig
from graders.core.sandbox.parent.worker_handle import Worker
from graders.errors import StudentError, WorkerDied, WorkerFault, WorkerTimeout
from graders.i18n import _, join_messages, message_of

if TYPE_CHECKING:
    from graders.core.spec import Spec
    from graders.core.submission import Submission


class WorkerSlot:
    """The submission's one live worker, spawned lazily and replaced after a fault."""

    def __init__(self, session: "Session") -> None:
        self.session = session
        self.worker: Worker | None = None
        self.scratch: Path | None = None
        self.imported: set[str] = set()
        self.spawned = 0
        self.peak_mb: float | None = None  # the largest peak of this submission's workers

    def get(self) -> Worker:
        if self.worker and self.worker.alive:
            return self.worker
        self.close()
        self.scratch = Path(tempfile.mkdtemp(prefix="graders-"))
        self.session.submission.write_to(self.scratch)
        self.worker = self.session.template.spawn(self.session.worker_config(str(self.scratch)))
        self.imported = set()
        self.spawned += 1
        return self.worker

    def has_imported(self, module: str) -> bool:
        return module in self.imported and bool(self.worker and self.worker.alive)

    def output_tail(self, lines: int = 5) -> str:
        """The last lines the student's code printed, to explain a crash (read from the
        parent's own descriptor, never from a path in scratch)."""
        text = self.worker.log.tail(lines) if self.worker else []
        return ("\n" + _("last output:") + "\n" + "\n".join(text)) if text else ""

    def confinement(self, budget: float) -> dict[str, list[str]]:
        """How the worker was confined, as it reported before any student code ran."""
        worker = self.get()
        if worker.confinement is None:
            worker.request({"op": "ping"}, budget)
        return worker.confinement or {"applied": [], "missing": []}

    def close(self) -> None:
        if self.worker:
            self.worker.close()  # the tmpfs with everything the worker wrote ends with its namespace
            if self.worker.peak_mb is not None:
                self.peak_mb = max(self.peak_mb or 0.0, self.worker.peak_mb)
            self.worker = None
        if self.scratch:
            shutil.rmtree(self.scratch, ignore_errors=True)
            self.scratch = None


class PartSession:
    """One part's view of the worker: its modules and the faults its code caused."""

    def __init__(self, session: "Session", part: str) -> None:
        self.session, self.part = session, part
        declared = {p.name: p for p in session.spec.parts}
        self.modules = [m.removesuffix(".py") for m in (declared[part].modules if part in declared else ())]
        self.call_timeout = declared[part].call_timeout_s if part in declared else None  # a part's own budget
        self.timed_out: dict[str, str] = {}  # function -> why it is no longer called
        self.broken: dict[str, WorkerFault] = {}  # module whose import hung or killed the worker

    def ensure_imported(self, module: str) -> None:
        """Import a module once per worker; an import that hangs or crashes is not retried."""
        if module in self.broken:
            fault = self.broken[module]
            raise type(fault)(_("{fault} (not retried)").format(fault=fault))
        slot = self.session.slot
        if slot.has_imported(module):
            return
        try:
            self.request({"op": "import", "module": module}, _("importing {module}.py").format(module=module))
        except WorkerFault as exc:
            self.broken[module] = exc
            raise
        slot.imported.add(module)

    def request(self, message: dict[str, Any], label: str, timeout: float | None = None) -> Any:
        if label in self.timed_out:
            raise WorkerTimeout(self.timed_out[label])
        budget = self.session.budget(timeout or self.call_timeout)
        slot = self.session.slot
        worker = slot.get()
        try:
            reply = worker.request(message, budget)
        except WorkerTimeout as exc:
            self.timed_out[label] = _("not called again: {label} already ran past its {budget} s budget").format(
                label=label, budget=f"{budget:g}")
            raise WorkerTimeout(_("{label} did not finish within {budget} s; the worker was stopped").format(
                label=label, budget=f"{budget:g}")) from exc
        except WorkerFault as exc:
            raise type(exc)(join_messages("", [label, ": ", message_of(exc), slot.output_tail()])) from exc
        if "error" in reply:
            raise StudentError(reply["error"] if isinstance(reply["error"], dict) else {}, label,
                               self.session.spec.limits)
        return reply["ok"]


class ModuleProxy:
    """`student.softmax`: attribute access returns a callable forwarding to the worker."""

    def __init__(self, part: PartSession, module: str) -> None:
        self._part, self._module = part, module

    def __getattr__(self, func: str) -> Any:
        if func.startswith("__"):
            raise AttributeError(func)

        def call(*args: Any, timeout: float | None = None, **kwargs: Any) -> Any:
            message = {"op": "call", "module": self._module, "func": func, "args": list(args), "kwargs": kwargs}
            self._part.ensure_imported(self._module)
            return self._part.request(message, f"{self._module}.{func}()", timeout)

        return call


class HarnessProxy:
    """`student.harness.run_optimizer(...)`: a trusted harness function run in the worker."""

    def __init__(self, part: PartSession) -> None:
        self._part = part

    def __getattr__(self, func: str) -> Any:
        def call(*args: Any, label: str | None = None, timeout: float | None = None, **kwargs: Any) -> Any:
            message = {"op": "harness", "func": func, "args": list(args), "kwargs": kwargs}
            for module in self._part.modules:
                self._part.ensure_imported(module)
            return self._part.request(message, label or func, timeout)

        return call


class StudentProxy:
    """What a test's `student` fixture is: the submission's modules, seen from the parent."""

    def __init__(self, part: PartSession) -> None:
        self._part = part
        self.harness = HarnessProxy(part)

    def __getattr__(self, module: str) -> ModuleProxy:
        if module.startswith("__"):
            raise AttributeError(module)
        return ModuleProxy(self._part, module)

    def confinement(self) -> dict[str, list[str]]:
        return self._part.session.slot.confinement(self._part.session.budget(None))


class Session:
    """One submission's worker and per-part bookkeeping, with its overall deadline."""

    def __init__(self, spec: Spec, submission: Submission, template: Template, device: str = "cpu",
                 time_limit_s: float | None = None, hidden: tuple[str, ...] = ()) -> None:
        self.spec, self.submission, self.template, self.device = spec, submission, template, device
        self.hidden = list(hidden)  # more paths a worker must not read (e.g. a --data file)
        self.deadline = time.monotonic() + (time_limit_s or spec.time_limit_s)
        self.parts: dict[str, PartSession] = {}
        self.slot = WorkerSlot(self)

    def worker_config(self, scratch: str) -> WorkerConfig:
        harness = str(self.spec.harness_path) if self.spec.harness_path else None
        return WorkerConfig(scratch=scratch, hidden=self.spec.hidden_paths() + self.hidden, limits=self.spec.limits,
                            harness=harness, device=self.device, threads=self.spec.limits.threads)

    def budget(self, timeout: float | None) -> float:
        left = self.deadline - time.monotonic()
        if left <= 0:
            raise WorkerTimeout(_("the submission's total time limit was reached before this test ran"))
        return min(timeout or self.spec.call_timeout_s, left)

    def request(self, part: str, message: dict[str, Any], label: str, timeout: float | None = None) -> Any:
        """Send one raw request to the part's worker (used to record golden outputs)."""
        self.student(part)
        return self.parts[part].request(message, label, timeout)

    def student(self, part: str) -> StudentProxy:
        if part not in self.parts:
            self.parts[part] = PartSession(self, part)
        return StudentProxy(self.parts[part])

    def close(self) -> None:
        self.slot.close()


__all__ = ["Session", "StudentProxy", "StudentError", "WorkerDied", "WorkerTimeout"]
