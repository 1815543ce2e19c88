"""Confinement applied inside a freshly forked worker, before any student code runs.

Each step is independent and best-effort: what the host cannot do is returned
as a note for the report (DESIGN.md: degrade gracefully and say so), never
silently skipped.
"""
from __future__ import annotations

import ctypes
import os
import resource
import signal
import sys
from dataclasses import dataclass, field

from graders.core import landlock
from graders.i18n import N_  # names only: the parent translates them (grade.py); nothing is looked up here

CLONE_NEWNS, CLONE_NEWUSER, CLONE_NEWPID, CLONE_NEWNET = 0x20000, 0x10000000, 0x20000000, 0x40000000
_PR_SET_PDEATHSIG = 1
NOBODY = 65534


@dataclass(frozen=True)
class Limits:
    """Resource limits of one worker (from the assignment spec)."""

    cpu_s: int = 120
    memory_mb: int = 2048
    file_size_mb: int = 16
    processes: int = 64
    open_files: int = 256
    threads: int = 1  # torch intra-op threads in the worker


@dataclass
class Confinement:
    """What was applied, and what the host could not provide."""

    applied: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)


def _libc() -> ctypes.CDLL:
    return ctypes.CDLL(None, use_errno=True)


def die_with_parent() -> None:
    """Ask the kernel to SIGKILL this process when its parent goes away."""
    _libc().prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)


def unshare(flags: int) -> bool:
    return _libc().unshare(flags) == 0


CGROUP_PREFIX = "graders-"
_PIDS_ROOTS = ("/sys/fs/cgroup", "/sys/fs/cgroup/pids", "/sys/fs/cgroup/unified")


def _pids_root() -> str | None:
    for root in _PIDS_ROOTS:
        controllers = os.path.join(root, "cgroup.controllers")
        v2 = os.path.isfile(controllers) and "pids" in open(controllers).read().split()
        v1 = os.path.isfile(os.path.join(root, "pids.max")) or root.endswith("/pids")
        if (v2 or v1) and os.access(root, os.W_OK):
            return root
    return None


def join_pids_cgroup(limit: int, result: Confinement) -> None:
    """Put this process in a fresh pids cgroup: the one process limit that binds root too.

    (The kernel exempts uid 0 from RLIMIT_NPROC.) The template removes the
    empty cgroup when it reaps the child."""
    root = _pids_root()
    if root is None:
        result.missing.append("process-count limit (no writable pids cgroup)")
        return
    path = os.path.join(root, f"{CGROUP_PREFIX}{os.getpid()}")
    try:
        os.makedirs(path, exist_ok=True)
        with open(os.path.join(path, "pids.max"), "w") as fh:
            fh.write(str(limit))
        with open(os.path.join(path, "cgroup.procs"), "w") as fh:
            fh.write("0")
        result.applied.append(f"at most {limit} processes (pids cgroup)")
    except OSError as exc:
        result.missing.append(f"process-count limit (pids cgroup: {exc.strerror})")


def remove_pids_cgroup(pid: int) -> None:
    """Remove a finished child's (empty) cgroup."""
    root = _pids_root()
    if root:
        try:
            os.rmdir(os.path.join(root, f"{CGROUP_PREFIX}{pid}"))
        except OSError:
            pass


def isolate_namespaces(result: Confinement) -> bool:
    """New network and pid namespaces; returns whether the pid namespace exists."""
    extra = 0 if os.geteuid() == 0 else CLONE_NEWUSER
    if unshare(extra | CLONE_NEWNET | CLONE_NEWPID):
        result.applied += ["network namespace", "pid namespace"]
        return True
    if unshare(extra | CLONE_NEWNET):
        result.applied.append("network namespace")
    else:
        result.missing.append(N_("network namespace"))
    result.missing.append(N_("pid namespace"))
    return False


def _vm_size_bytes() -> int:
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith("VmSize:"):
                return int(line.split()[1]) * 1024
    return 0


def set_limits(limits: Limits, result: Confinement) -> None:
    """CPU, address space (on top of what torch already maps), processes, files, core dumps."""
    address_space = _vm_size_bytes() + limits.memory_mb * 2**20
    wanted = {
        resource.RLIMIT_CPU: limits.cpu_s,
        resource.RLIMIT_AS: address_space,
        resource.RLIMIT_FSIZE: limits.file_size_mb * 2**20,
        resource.RLIMIT_NOFILE: limits.open_files,
        resource.RLIMIT_CORE: 0,
    }
    for which, value in wanted.items():
        try:
            resource.setrlimit(which, (value, value))
        except (ValueError, OSError):
            result.missing.append(f"rlimit {which}")
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # oversize writes fail with EFBIG instead of killing
    result.applied.append("resource limits")


def _others_can_read(path: str) -> bool:
    """Can an unprivileged user reach and read this folder (every ancestor searchable)?"""
    real = os.path.realpath(path)
    parts = [real] + [os.path.dirname(real[:i]) for i, c in enumerate(real) if c == "/" and i]
    return all(os.stat(p).st_mode & 0o005 == 0o005 for p in set(parts) if p) if os.path.exists(real) else False


def _tasks_of_uid(uid: int) -> int:
    """Threads and processes owned by uid (RLIMIT_NPROC counts them all)."""
    count = 0
    for pid in os.listdir("/proc"):
        if pid.isdigit():
            try:
                if os.stat(f"/proc/{pid}").st_uid == uid:
                    count += len(os.listdir(f"/proc/{pid}/task"))
            except OSError:
                continue
    return count


_PR_CAPBSET_DROP = 24
_CAP_VERSION_3 = 0x20080522


def _drop_capabilities() -> None:
    libc = _libc()
    for cap in range(64):
        libc.prctl(_PR_CAPBSET_DROP, cap, 0, 0, 0)
    header = (ctypes.c_uint32 * 2)(_CAP_VERSION_3, 0)
    data = (ctypes.c_uint32 * 6)()
    if libc.capset(ctypes.byref(header), ctypes.byref(data)) != 0:
        raise OSError(ctypes.get_errno(), "capset failed")


def drop_privileges(scratch: str, limits: Limits, result: Confinement) -> None:
    """As root: become 'nobody' when Python is readable to it, else stay uid 0 without capabilities.

    Either way RLIMIT_NPROC binds (the kernel exempts only privileged processes)."""
    if os.geteuid() != 0:
        resource.setrlimit(resource.RLIMIT_NPROC, (limits.processes, limits.processes))
        return
    if all(_others_can_read(p) for p in {sys.prefix, sys.base_prefix}):
        for dirpath, dirnames, filenames in os.walk(scratch):
            for name in [dirpath, *(os.path.join(dirpath, n) for n in dirnames + filenames)]:
                os.chown(name, NOBODY, NOBODY)
        resource.setrlimit(resource.RLIMIT_NPROC, (limits.processes, limits.processes))
        os.setgroups([])
        os.setgid(NOBODY)
        os.setuid(NOBODY)
        result.applied.append("unprivileged user")
        return
    nproc = _tasks_of_uid(0) + limits.processes
    resource.setrlimit(resource.RLIMIT_NPROC, (nproc, nproc))
    _drop_capabilities()
    result.applied.append("root without capabilities (Python is installed where 'nobody' cannot read it)")


def readable_roots(hidden: list[str]) -> list[str]:
    """System and interpreter paths a worker may read; never one holding hidden material."""
    candidates = {sys.prefix, sys.base_prefix, sys.exec_prefix, "/usr", "/lib", "/lib64",
                  "/bin", "/etc", "/proc", "/sys", "/dev", "/opt"}
    candidates.update(p for p in sys.path if p and os.path.isdir(p))
    hidden_real = [os.path.realpath(h) for h in hidden]
    def exposes(path: str) -> bool:
        real = os.path.realpath(path)
        return any(h == real or h.startswith(real.rstrip("/") + "/") or real.startswith(h + "/")
                   for h in hidden_real)
    return sorted(p for p in candidates if os.path.exists(p) and not exposes(p))


def restrict_filesystem(scratch: str, hidden: list[str], result: Confinement) -> None:
    """Landlock: read system paths and the scratch folder, write only the scratch folder."""
    try:
        applied = landlock.restrict(readable_roots(hidden) + [scratch], [scratch, "/dev/null"])
    except OSError as exc:
        result.missing.append(f"filesystem isolation (Landlock: {exc.strerror or exc})")
        return
    result.applied.append(f"Landlock ABI {applied.abi}")
    if applied.network_denied:
        result.applied.append("no TCP (Landlock)")


def scrub_environment(scratch: str) -> None:
    """Replace the environment: nothing of the grader's (tokens, paths) reaches student code."""
    os.environ.clear()
    os.environ.update({
        "PATH": "/usr/local/bin:/usr/bin:/bin", "HOME": scratch, "TMPDIR": scratch,
        "LANG": "C.UTF-8", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1",
        "PYTHONDONTWRITEBYTECODE": "1",
    })
    os.chdir(scratch)
