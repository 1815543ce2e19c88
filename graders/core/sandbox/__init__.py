"""The trust boundary: everything that forks, confines, or talks to student code, in one folder.

Student code runs only in a confined child process; the trusted parent keeps the
hidden tests, references and golden outputs and computes every score
(DESIGN.md, "Trust boundary"). Read this folder alone to audit the boundary:

    parent/                 trusted; runs in the grader (or the warm server)
        forkserver_client   Template: starts the fork server (a fresh interpreter, or a fork of
                            the grader made right after its torch import: the cold `grade HW`),
                            asks it to spawn, kill and reap workers; WorkerConfig (plain data
                            sent to the child as JSON)
        worker_handle       Worker: one child seen from the parent; a request with a deadline,
                            a watchdog that kills the whole tree; OutputLog: its stdout/stderr
        session             Session: one submission's worker slot and per-part fault memory;
                            StudentProxy, the `student` fixture hidden tests call through
        grading_child       run_forked: the warm server's fork of a trusted grading child;
                            start_forked: a trusted child computing a value in parallel (the
                            cold `grade HW` checks derivations while torch imports)
    child/                  runs apart from the grader; the worker is where student code lives
        forkserver          `python -m graders.core.sandbox.child.forkserver FD` (or serve_forked):
                            imports torch once, never runs student code, forks one confined
                            child per session
        confine             cgroups, namespaces, rlimits, the uid drop, Landlock roots, environment
        mounts              the worker's mount namespace: private mounts, masks, tmpfs scratch
        landlock            Landlock through ctypes
        worker              the only code that imports student code; answers plain values
    wire/                   what crosses the boundary, and nothing else
        framing             length-prefixed frames (standard library only: the thin client uses it)
        protocol            msgpack with tensors and arrays as raw bytes: never pickle
        limits              Limits, the resource limits (plain data from the spec to the child)

Rules (tests/test_sandbox_layout.py asserts them):
- `child/` imports nothing from graders outside `child/` and `wire/`.
- `wire/` imports nothing from graders outside `wire/`.
- No module outside this folder forks, calls setsid, sets rlimits, unshares,
  calls prctl or mount, or imports landlock, confine or mounts.
- The parent never imports student code and never decodes anything but the wire
  format; expected values never enter the child.

The rest of the engine uses the names below (imported lazily, so reading `Limits`
does not start anything). Their errors live in graders.errors (WorkerFault,
WorkerTimeout, WorkerDied, StudentError); ProtocolError and FrameError stay in
the wire, which imports nothing from graders.
"""
from __future__ import annotations

from importlib import import_module
from typing import Any

__all__ = ["Template", "WorkerConfig", "Worker", "OutputLog", "Session", "StudentProxy", "Limits",
           "run_forked", "start_forked", "StudentError", "WorkerFault", "WorkerTimeout", "WorkerDied"]

_HOME = {
    "Template": "graders.core.sandbox.parent.forkserver_client",
    "WorkerConfig": "graders.core.sandbox.parent.forkserver_client",
    "Worker": "graders.core.sandbox.parent.worker_handle",
    "OutputLog": "graders.core.sandbox.parent.worker_handle",
    "Session": "graders.core.sandbox.parent.session",
    "StudentProxy": "graders.core.sandbox.parent.session",
    "run_forked": "graders.core.sandbox.parent.grading_child",
    "start_forked": "graders.core.sandbox.parent.grading_child",
    "Limits": "graders.core.sandbox.wire.limits",
    "StudentError": "graders.errors",
    "WorkerFault": "graders.errors",
    "WorkerTimeout": "graders.errors",
    "WorkerDied": "graders.errors",
}


def __getattr__(name: str) -> Any:
    if name in _HOME:
        return getattr(import_module(_HOME[name]), name)
    raise AttributeError(f"module 'graders.core.sandbox' has no attribute {name!r}")
