"""A spawned worker (`python -m graders.core.sandbox.child.spawned HOST PORT`), for hosts without the fork server.

Why: on Windows and macOS there is no `fork` to copy a warm template, no namespaces,
no Landlock (and on Windows no `resource`). The worker still runs in a process of its
own, answers plain values over the same wire, and is killed by the parent past each
call's deadline (parent/spawned.py). What it cannot apply it lists as missing in its
hello, before any student code runs, so the report says which protections were off.
It reads its config and a one-time token from stdin, connects to the parent on
127.0.0.1 and shows the token. It imports nothing from graders but the child side and
the wire (confine imports `resource` at the top: a host without it gets an empty stand-in,
and no limit is set through it).
"""
from __future__ import annotations

import importlib.util
import json
import os
import socket
import sys
import types
from typing import Any

_EXIT = os._exit  # bound before any student import: student code may replace os._exit


def N_(message: str) -> str:
    """Mark a message for the catalog (rendered by the parent, which reads the worker's words as msgids)."""
    return message


OFF = (N_("namespaces, Landlock and a separate user (student code can read and write what you can)"),
       N_("network isolation"))
TREE_KILL = N_("killing the worker's whole process tree")
RLIMITS = N_("resource limits (CPU time, memory, file size)")


def _confinement(config: dict[str, Any]) -> Any:
    """Rlimits where `resource` exists (macOS); everything else listed as missing."""
    from graders.core.sandbox.child import confine

    result = confine.Confinement(applied=[N_("a separate process"), N_("a time limit per call")], missing=list(OFF))
    (result.applied if os.name == "posix" else result.missing).append(TREE_KILL)  # POSIX: its process group
    if _has_resource():
        try:
            import resource

            limits = confine.Limits(**config["limits"])
            resource.setrlimit(resource.RLIMIT_CPU, (limits.cpu_s, limits.cpu_s))
            resource.setrlimit(resource.RLIMIT_FSIZE, (limits.file_size_mb * 2**20,) * 2)
            result.applied.append(RLIMITS)
        except (OSError, ValueError, AttributeError, TypeError):
            result.missing.append(RLIMITS)
    else:
        result.missing.append(RLIMITS)
    return result


def _has_resource() -> bool:
    if getattr(sys.modules.get("resource"), "_graders_stand_in", False):
        return False
    return importlib.util.find_spec("resource") is not None


def _import_worker() -> Any:
    if importlib.util.find_spec("resource") is None:
        stand_in = types.ModuleType("resource")
        stand_in._graders_stand_in = True  # type: ignore[attr-defined]
        sys.modules["resource"] = stand_in
    from graders.core.sandbox.child import worker

    return worker


def _environment(scratch: str) -> None:
    """Nothing of the grader's environment reaches student code but what Python needs to start on this OS."""
    keep = {k: os.environ[k] for k in ("SYSTEMROOT", "WINDIR", "PATH") if k in os.environ}
    os.environ.clear()
    os.environ.update(keep)
    os.environ.update({"HOME": scratch, "TMPDIR": scratch, "TEMP": scratch, "TMP": scratch,
                       "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1", "PYTHONDONTWRITEBYTECODE": "1"})
    os.chdir(scratch)


def main(host: str, port: int) -> None:
    """Read the config, import torch and the harness, connect, then serve until the parent closes the socket."""
    from graders.core.sandbox.wire import framing

    payload = json.loads(sys.stdin.buffer.read().decode("utf-8"))
    config = payload["config"]
    worker = _import_worker()
    harness = worker.load_harness(config.get("harness"))
    worker._prepare_interpreter(config)
    confinement = _confinement(config)
    sock = socket.create_connection((host, port), timeout=30)
    sock.settimeout(None)
    framing.send_frame(sock, payload["token"].encode())
    _environment(config["scratch"])
    worker.serve(sock, harness, config.get("device", "cpu"), confinement)


if __name__ == "__main__":
    code = 0
    try:
        main(sys.argv[1], int(sys.argv[2]))
    except BaseException:  # noqa: BLE001 - report and leave; the parent sees EOF
        import traceback

        traceback.print_exc()
        code = 70
    finally:
        if sys.stdout:
            sys.stdout.flush()
        _EXIT(code)
