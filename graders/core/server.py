"""The warm grading server: `grade server start`, then every `grade HW` answers in about a second.

A cold `grade` pays for importing torch twice (the grader and the worker
template) plus pytest and sympy. The server pays once and keeps:
- itself, the trusted grader, with torch, pytest, sympy and the engine imported
  (imports only: no torch operation runs in it, so forks stay healthy);
- a worker template (graders.core.sandbox.child.forkserver), a separate clean process that has
  never seen hidden material and forks the confined workers.

Each request is served by a fresh grading child forked from the server, which
grades exactly one submission with workers of its own and exits: nothing
survives from one submission to the next, exactly as in a cold run. Requests
are served one at a time. The socket lives in a 0700 folder of the user
(`$XDG_RUNTIME_DIR` or the temp folder); a server whose engine code changed
since it started answers "stale" and exits, and the client grades locally.
"""
from __future__ import annotations

import hashlib
import json
import os
import socket
import struct
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from graders.core.sandbox.wire.framing import FrameError, recv_frame, send_frame
from graders.errors import ServerUnavailable

IDLE_S = 15 * 60
START_TIMEOUT_S = 90.0
_PEERCRED = struct.Struct("3i")  # pid, uid, gid of the peer (SO_PEERCRED)
FORWARDED_ENV = ("GRADERS_COURSE", "GRADERS_LANG", "LANG", "LC_ALL", "LC_MESSAGES")


def engine_root() -> Path:
    import graders

    return Path(graders.__file__).resolve().parent


def engine_fingerprint() -> str:
    """Identity of the engine code this process runs: paths, sizes and mtimes of its files."""
    root = engine_root()
    digest = hashlib.sha256(f"{sys.executable}\0{root}".encode())
    files = sorted(root.glob("*.py")) + sorted(p for p in (root / "core").rglob("*") if p.is_file())
    for path in files:
        if path.suffix in (".py", ".lark", ".mo", ".toml"):
            st = path.stat()
            digest.update(f"{path}\0{st.st_mtime_ns}\0{st.st_size}\0".encode())
    return digest.hexdigest()[:16]


def runtime_dir() -> Path:
    """The user's private folder for the socket and the log (created 0700, refused if not ours)."""
    base = Path(os.environ.get("XDG_RUNTIME_DIR") or tempfile.gettempdir())
    folder = base / f"graders-{os.getuid()}"
    folder.mkdir(mode=0o700, exist_ok=True)
    st = folder.stat()
    if st.st_uid != os.getuid() or st.st_mode & 0o077:
        raise ServerUnavailable(f"{folder} is not a private folder of this user; not using a server")
    return folder


def socket_path() -> Path:
    key = hashlib.sha256(f"{sys.executable}\0{engine_root()}".encode()).hexdigest()[:12]
    return runtime_dir() / f"server-{key}.sock"


def _send(sock: socket.socket, message: dict[str, Any]) -> None:
    send_frame(sock, json.dumps(message).encode())


def _recv(sock: socket.socket) -> dict[str, Any]:
    return json.loads(recv_frame(sock))


# ---------------------------------------------------------------- client side

def call(message: dict[str, Any], timeout: float | None = 5.0) -> dict[str, Any]:
    """One request to the running server; ServerUnavailable when there is none."""
    try:
        path = socket_path()
    except (OSError, ServerUnavailable) as exc:
        raise ServerUnavailable(str(exc)) from exc
    if not path.exists():
        raise ServerUnavailable("no server is running")
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        sock.settimeout(1.0)
        sock.connect(str(path))
        sock.settimeout(timeout)
        _send(sock, message)
        return _recv(sock)
    except (OSError, EOFError, ValueError, FrameError) as exc:
        raise ServerUnavailable(f"the server did not answer ({exc})") from exc
    finally:
        sock.close()


def remote_grade(assignment: str, submission: Path, **options: Any) -> dict[str, Any]:
    """Grade through the server; returns its reply ({"report": ...} or {"error": ...}).

    Raises ServerUnavailable when no fresh server answers, so the caller grades locally."""
    request = {"op": "grade", "fingerprint": engine_fingerprint(), "cwd": os.getcwd(),
               "env": {k: os.environ[k] for k in FORWARDED_ENV if k in os.environ},
               "assignment": assignment, "submission": str(submission), "options": options}
    reply = call(request, timeout=None)
    if reply.get("stale"):
        raise ServerUnavailable("the server ran older engine code; it has stopped")
    return reply


def status() -> dict[str, Any] | None:
    """The running server's status, or None."""
    try:
        return call({"op": "ping"})
    except ServerUnavailable:
        return None


def stop() -> bool:
    """Ask the server to stop; False when none was running."""
    try:
        call({"op": "stop"})
        return True
    except ServerUnavailable:
        return False


def start(idle_s: float = IDLE_S) -> dict[str, Any]:
    """Start a detached server (or return the running one's status) and wait until it is warm."""
    current = status()
    if current and current.get("fingerprint") == engine_fingerprint():
        return current
    if current:
        stop()
    path = socket_path()
    path.unlink(missing_ok=True)
    log = path.with_suffix(".log")
    with open(log, "wb") as out:
        process = subprocess.Popen([sys.executable, "-m", "graders.core.server", "--idle", str(idle_s)],
                                   stdin=subprocess.DEVNULL, stdout=out, stderr=out, start_new_session=True,
                                   cwd="/")
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            tail = log.read_text(errors="replace")[-800:]
            raise ServerUnavailable(f"the server exited while starting (status {process.returncode}): {tail}")
        answer = status()
        if answer:
            return answer
        time.sleep(0.1)
    process.kill()
    raise ServerUnavailable(f"the server did not become ready within {START_TIMEOUT_S:g} s (log: {log})")


# ---------------------------------------------------------------- server side

def _warm_imports() -> None:
    """Everything a grading child needs, imported once (imports only: no torch operation)."""
    import pytest  # noqa: F401
    import torch  # noqa: F401

    from graders.core import grade, grader, symbolic  # noqa: F401
    from graders.core.formats import render  # noqa: F401


def _grade_in_child(conn: socket.socket, request: dict[str, Any], grader: Any) -> None:
    """In the forked grading child: grade one submission with the server's warm Grader and send the report back."""
    from graders.core.spec import load_assignment
    from graders.errors import GradersError
    from graders.i18n import _, to_data

    os.chdir(request["cwd"])
    for key in FORWARDED_ENV:
        os.environ.pop(key, None)
    os.environ.update(request.get("env", {}))
    options = request.get("options", {})  # messages travel as data: the client renders them in its language
    try:
        spec = load_assignment(request["assignment"])
        report = grader.grade(spec, request["submission"], **options)
        _send(conn, {"report": report.to_dict()})
    except GradersError as exc:
        _send(conn, {"error": {"type": type(exc).__name__, "message": to_data(exc.message),
                               "exit_code": int(exc.exit_code)}})
    except Exception as exc:  # noqa: BLE001 - the grader's own bug: reported, never a hung client
        _send(conn, {"error": {"type": "InternalError", "exit_code": 2, "message": to_data(_(
            "internal error in the grading server: {error}").format(error=f"{type(exc).__name__}: {exc}"))}})


def _namespaces(pid: int) -> tuple[str, ...] | None:
    try:
        return tuple(os.readlink(f"/proc/{pid}/ns/{kind}") for kind in ("net", "pid", "user"))
    except OSError:
        return None


def _same_user_and_namespaces(conn: socket.socket, mine: tuple[str, ...] | None) -> bool:
    """Only the same user, from the server's own network, pid and user namespaces (`mine`), may talk to it.

    A worker may run as the same uid (root without capabilities, where Python is not
    world-readable), and Landlock does not govern connecting to a socket file; the
    namespaces it was put in are what tell it apart from the user's own `grade`."""
    pid, uid, _gid = _PEERCRED.unpack(conn.getsockopt(socket.SOL_SOCKET, socket.SO_PEERCRED, _PEERCRED.size))
    if uid != os.getuid() or pid <= 0:
        return False
    return mine is None or _namespaces(pid) == mine


class Server:
    """The listening loop; one grading child at a time."""

    def __init__(self, idle_s: float) -> None:
        from graders.core.grader import Grader

        _warm_imports()
        self.fingerprint = engine_fingerprint()
        self.namespaces = _namespaces(os.getpid())
        self.grader = Grader().start(wait=True)
        self.idle_s = idle_s
        self.started = time.time()
        self.served = 0
        self.path = socket_path()
        self.path.unlink(missing_ok=True)
        self.listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.listener.bind(str(self.path))
        os.chmod(self.path, 0o600)
        self.listener.listen(16)

    def status(self) -> dict[str, Any]:
        return {"pid": os.getpid(), "fingerprint": self.fingerprint, "started": self.started,
                "served": self.served, "idle_s": self.idle_s, "engine": str(engine_root()),
                "python": sys.executable}

    def serve(self) -> None:
        self.listener.settimeout(self.idle_s)
        try:
            while True:
                try:
                    conn, _address = self.listener.accept()
                except TimeoutError:
                    return  # idle long enough
                with conn:
                    if not self._handle(conn):
                        return
        finally:
            self.close()

    def _handle(self, conn: socket.socket) -> bool:
        """Serve one connection; False when the server should stop."""
        if not _same_user_and_namespaces(conn, self.namespaces):
            return True  # a sandboxed worker (own network/pid namespace) or another user: no answer at all
        conn.settimeout(10)
        try:
            request = _recv(conn)
        except (OSError, EOFError, ValueError, FrameError):
            return True
        op = request.get("op")
        if op == "ping":
            _send(conn, self.status())
        elif op == "stop":
            _send(conn, {"stopping": True})
            return False
        elif op == "grade":
            if request.get("fingerprint") != self.fingerprint:
                _send(conn, {"stale": True})
                return False
            conn.settimeout(None)
            self._fork_grade(conn, request)
        else:
            _send(conn, {"error": {"type": "UsageError", "message": f"unknown op {op!r}", "exit_code": 2}})
        return True

    def _fork_grade(self, conn: socket.socket, request: dict[str, Any]) -> None:
        from graders.core.sandbox import run_forked

        def work() -> None:
            self.listener.close()
            _grade_in_child(conn, request, self.grader)

        run_forked(work)
        self.served += 1

    def close(self) -> None:
        self.listener.close()
        self.path.unlink(missing_ok=True)
        self.grader.close()


def main(argv: list[str] | None = None) -> None:
    import argparse

    from graders.i18n import _

    parser = argparse.ArgumentParser(description=_("the warm grading server (use `grade server start`)"))
    parser.add_argument("--idle", type=float, default=IDLE_S, help=_("exit after this many idle seconds"))
    args = parser.parse_args(argv)
    Server(args.idle).serve()
    os._exit(0)


if __name__ == "__main__":
    main()
