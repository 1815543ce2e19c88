"""The fork server (the warm "template"): imports torch, numpy and the worker once, then forks workers on request.

It never runs student code itself (DESIGN.md, "Speed without sharing"): each
request forks a fresh child that confines itself and then serves exactly one
grading session. Run as `python -m graders.core.sandbox.child.forkserver FD`, or forked
from a grading process that has just imported torch (`serve_forked`: the cold `grade HW`
imports torch once, for both processes).
"""
from __future__ import annotations

import json
import os
import signal
import socket
import sys
from typing import Any

from graders.core.sandbox.child import confine, mounts, worker

_MAX_CONTROL = 1 << 16


def _warm_imports() -> None:
    import numpy  # noqa: F401
    import torch  # noqa: F401  (import only: an op here would start threads fork cannot copy)
    import torch._dynamo  # noqa: F401  (torch.optim imports it lazily on the first step: ~1 s)

    from graders.core.sandbox.wire import protocol  # noqa: F401


_EXIT = os._exit  # bound before any student import: student code may replace os._exit in its worker


def _exit_code(status: int) -> int:
    return os.waitstatus_to_exitcode(status)


def _start_child(sock: socket.socket, log_fd: int, config: dict[str, Any]) -> None:
    """In the forked child (trusted): own session and cgroups, namespaces, the worker's
    filesystem view, then a trusted init of the pid namespace and the worker below it."""
    os.setsid()
    confine.die_with_parent()
    confinement = confine.Confinement()
    limits = confine.Limits(**config["limits"])
    harness = _harness(sock, log_fd, config)  # before the masks below hide where it lives
    if os.geteuid() == 0:
        confine.join_cgroups(limits.processes, confinement)
    namespaces = confine.isolate_namespaces(confinement)
    if namespaces.mount:
        _build_view(config, limits, confinement)
    else:
        confinement.missing.append("size-limited scratch (no mount namespace)")
    if namespaces.pid:
        init = os.fork()
        if init == 0:
            _namespace_init(sock, log_fd, config, harness, confinement, namespaces)
        sock.close()
        os.close(log_fd)
        _EXIT(_wait_for(init))
    worker.run_confined(sock, log_fd, config, harness, confinement, namespaces)


def _harness(sock: socket.socket, log_fd: int, config: dict[str, Any]) -> Any:
    """The assignment's (trusted, public) harness module; a broken one ends the child, which the parent reports."""
    try:
        return worker.load_harness(config.get("harness"))
    except Exception:  # noqa: BLE001 - an instructor's error: shown in the worker's log
        import traceback

        os.write(log_fd, traceback.format_exc().encode(errors="replace"))
        sock.close()
        _EXIT(70)


def _build_view(config: dict[str, Any], limits: confine.Limits, confinement: confine.Confinement) -> None:
    """The worker's mounts: private propagation, interpreter visible to 'nobody', tmpfs scratch."""
    try:
        mounts.make_private()
    except OSError as exc:
        confinement.missing.append(f"private mounts ({exc.strerror})")
        return
    owner, interpreter = mounts.NOBODY, confine.interpreter_roots(config["hidden"])
    original = mounts.open_folder(config["scratch"])
    try:
        if os.geteuid() == 0:  # 'nobody' must reach the interpreter and the scratch folder
            try:
                mounts.expose_to_nobody(interpreter + [config["scratch"]], confinement)
            except OSError as exc:
                confinement.missing.append(f"interpreter view ({exc.strerror})")
            if not confine.nobody_can_run_python():
                owner = 0  # the worker will stay root without capabilities (drop_privileges says so)
        mounts.mask(list(config.get("masked", [])), interpreter, confinement)
        mounts.scratch_tmpfs(config["scratch"], original, limits, owner, confinement)
    finally:
        os.close(original)


def _wait_for(pid: int) -> int:
    """Reap children until `pid` ends; its exit code in the shell's convention (128 + signal)."""
    while True:
        try:
            done, status = os.wait()
        except ChildProcessError:
            return 70
        if done == pid:
            code = _exit_code(status)
            return 128 - code if code < 0 else code


def _namespace_init(sock: socket.socket, log_fd: int, config: dict[str, Any], harness: Any,
                    confinement: confine.Confinement, namespaces: confine.Namespaces) -> None:
    """pid 1 of the worker's namespace, trusted: when it ends, the kernel kills every process
    in the namespace, whatever they did to sessions, signals or parent-death settings."""
    confine.die_with_parent()
    if os.getppid() == 1:  # our parent died before we asked to die with it
        _EXIT(70)
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    if namespaces.mount:
        mounts.fresh_proc(confinement)
    child = os.fork()
    if child == 0:
        worker.run_confined(sock, log_fd, config, harness, confinement, namespaces)
    sock.close()
    os.close(log_fd)
    _EXIT(_wait_for(child))


class _Reaper:
    """Collects exit statuses of finished children so none stays a zombie."""

    def __init__(self) -> None:
        self.statuses: dict[int, dict[str, Any]] = {}
        self.children: set[int] = set()

    def kill(self, pid: int) -> None:
        """End a child and everything it started: its cgroups, its process group (the trusted
        pid-namespace init is in it; the kernel ends the namespace with it), then wait until
        no live member of the group is left."""
        if pid in self.children:
            confine.kill_cgroups(pid)
            for kill in (os.killpg, os.kill):
                try:
                    kill(pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
            confine.await_group_gone(pid, timeout=5.0)

    def kill_all(self) -> None:
        for pid in list(self.children):
            self.kill(pid)
            self.wait(pid, 2.0)

    def reap(self) -> None:
        while True:
            try:
                pid, status, usage = os.wait4(-1, os.WNOHANG)
            except ChildProcessError:
                return
            if pid == 0:
                return
            # ru_maxrss (KiB) covers the child and the worker it waited for: the peak of the two.
            self.statuses[pid] = {"code": _exit_code(status), "peak_mb": round(usage.ru_maxrss / 1024, 1)}
            confine.kill_cgroups(pid)
            self.children.discard(pid)

    def wait(self, pid: int, timeout: float) -> dict[str, Any]:
        import time

        deadline = time.monotonic() + timeout
        while pid not in self.statuses and time.monotonic() < deadline:
            self.reap()
            time.sleep(0.002)
        return self.statuses.pop(pid, {"code": None})


def _handle(control: socket.socket, reaper: _Reaper, message: dict[str, Any], fds: list[int]) -> dict[str, Any]:
    reaper.reap()
    if message["op"] == "spawn":
        child_sock, log_fd = socket.socket(fileno=fds[0]), fds[1]
        pid = os.fork()
        if pid == 0:
            control.close()
            _start_child(child_sock, log_fd, message["config"])
        child_sock.close()
        os.close(log_fd)
        reaper.children.add(pid)
        return {"pid": pid}
    if message["op"] == "kill":
        reaper.kill(int(message["pid"]))
        return reaper.wait(int(message["pid"]), 2.0)
    if message["op"] == "wait":
        return reaper.wait(int(message["pid"]), float(message.get("timeout", 1.0)))
    return {"error": f"unknown op {message['op']!r}"}


def main(fd: int) -> None:
    confine.die_with_parent()
    if sys.path and sys.path[0] == os.getcwd():  # `-m` put the working folder ("/") first: not a root to expose
        del sys.path[0]
    _serve(socket.socket(fileno=fd))


def _serve(control: socket.socket) -> None:
    """Finish the imports, say ready, then answer the grader until it goes away. Never returns."""
    _warm_imports()
    reaper = _Reaper()
    try:
        control.send(json.dumps({"ready": True, "pid": os.getpid()}).encode())
        while True:
            data, fds, _flags, _addr = socket.recv_fds(control, _MAX_CONTROL, 4)
            if not data:
                break
            reply = _handle(control, reaper, json.loads(data), fds)
            control.send(json.dumps(reply).encode())
    except ConnectionError:
        pass  # the grader went away: nothing to report to
    reaper.kill_all()
    os._exit(0)  # skip interpreter teardown (torch's takes most of a second)


def serve_forked(fd: int, parent: int, env: dict[str, str]) -> None:
    """The template as a fork of a grading process (`parent`) that has imported torch and run no torch
    operation, read no hidden material: leave the grader's state behind, then serve. Never returns."""
    try:
        confine.die_with_parent()
        if os.getppid() != parent:  # the grader died before we asked to die with it
            _EXIT(70)
        _close_inherited(fd)
        _leave_grader(env)
        _serve(socket.socket(fileno=fd))
    finally:
        _EXIT(70)


def _close_inherited(keep: int) -> None:
    """Close every descriptor but the standard three and the control socket, as `python -m` started with
    close_fds would: a grader's pipes and files (or its caller's) must not reach a worker."""
    os.closerange(3, keep)
    os.closerange(keep + 1, max(os.sysconf("SC_OPEN_MAX"), keep + 1))


def _leave_grader(env: dict[str, str]) -> None:
    """What `python -m` would have started with: the clean environment (the grader's own, tokens included,
    wiped from memory), "/" as the working folder, no standard input, no working folder on sys.path."""
    os.environ.clear()
    os.environ.update(env)
    confine.wipe_initial_environment()
    os.chdir("/")
    devnull = os.open(os.devnull, os.O_RDONLY)
    os.dup2(devnull, 0)
    os.close(devnull)
    sys.path[:] = [p for p in sys.path if p]  # "" meant the grader's working folder


if __name__ == "__main__":
    main(int(sys.argv[1]))
