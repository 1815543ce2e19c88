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
import time
from dataclasses import dataclass, field

from graders.core.sandbox.child import landlock
from graders.core.sandbox.wire.limits import Limits

CLONE_NEWNS, CLONE_NEWUSER, CLONE_NEWPID, CLONE_NEWNET = 0x20000, 0x10000000, 0x20000000, 0x40000000
_PR_SET_PDEATHSIG = 1
NOBODY = 65534


def N_(message: str) -> str:
    """Marks a note for the message catalog (Babel extracts `N_`); the parent translates it (grade.py).

    Defined here, not imported from graders.i18n: the child imports nothing outside the sandbox."""
    return message


@dataclass
class Confinement:
    """What was applied, and what the host could not provide."""

    applied: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)


def libc() -> ctypes.CDLL:
    return ctypes.CDLL(None, use_errno=True)


def die_with_parent() -> None:
    """Ask the kernel to SIGKILL this process when its parent goes away."""
    libc().prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)


def unshare(flags: int) -> bool:
    return libc().unshare(flags) == 0


CGROUP_PREFIX = "graders-"
_PIDS_ROOTS = ("/sys/fs/cgroup", "/sys/fs/cgroup/pids", "/sys/fs/cgroup/unified")
_V2_ROOTS = ("/sys/fs/cgroup", "/sys/fs/cgroup/unified")


def _pids_root() -> str | None:
    for root in _PIDS_ROOTS:
        controllers = os.path.join(root, "cgroup.controllers")
        v2 = os.path.isfile(controllers) and "pids" in open(controllers).read().split()
        v1 = os.path.isfile(os.path.join(root, "pids.max")) or root.endswith("/pids")
        if (v2 or v1) and os.access(root, os.W_OK):
            return root
    return None


def _v2_root() -> str | None:
    """A writable cgroup v2 hierarchy (pure v2, or the 'unified' one of a hybrid host)."""
    for root in _V2_ROOTS:
        if os.path.isfile(os.path.join(root, "cgroup.procs")) and os.path.isfile(
                os.path.join(root, "cgroup.controllers")) and os.access(root, os.W_OK):
            return root
    return None


def _cgroup_roots() -> list[str]:
    return list(dict.fromkeys(r for r in (_pids_root(), _v2_root()) if r))


def _enter_cgroup(root: str, limit: int | None) -> None:
    path = os.path.join(root, f"{CGROUP_PREFIX}{os.getpid()}")
    os.makedirs(path, exist_ok=True)
    if limit is not None:
        with open(os.path.join(path, "pids.max"), "w") as fh:
            fh.write(str(limit))
    with open(os.path.join(path, "cgroup.procs"), "w") as fh:
        fh.write("0")


def join_cgroups(limit: int, result: Confinement) -> None:
    """Put this process in fresh cgroups: a pids limit that binds root too (the kernel
    exempts uid 0 from RLIMIT_NPROC), and a v2 cgroup whose `cgroup.kill` ends the whole
    tree whatever it did to its sessions, signals or parent-death settings.

    The template kills and removes them when it reaps the child (kill_cgroups)."""
    pids, v2 = _pids_root(), _v2_root()
    for root, what in ((pids, "pids"), (v2, "kill")):
        if root is None:
            result.missing.append(f"{what} cgroup (no writable cgroup hierarchy)")
            continue
        try:
            _enter_cgroup(root, limit if root == pids else None)
        except OSError as exc:
            result.missing.append(f"{what} cgroup ({exc.strerror})")
            continue
        result.applied.append(f"at most {limit} processes (pids cgroup)" if root == pids else "killed as a cgroup")


def kill_cgroups(pid: int) -> None:
    """SIGKILL every process left in a child's cgroups (cgroup.kill), then remove them."""
    for root in _cgroup_roots():
        path = os.path.join(root, f"{CGROUP_PREFIX}{pid}")
        if not os.path.isdir(path):
            continue
        try:
            with open(os.path.join(path, "cgroup.kill"), "w") as fh:
                fh.write("1")
        except OSError:
            _kill_listed(path)
        _remove_when_empty(path)


def _live_members(pgid: int) -> bool:
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat", "rb") as fh:
                    fields = fh.read().rsplit(b")", 1)[1].split()
            except OSError:
                continue
            if int(fields[2]) == pgid and fields[0] != b"Z":
                return True
    return False


def await_group_gone(pgid: int, timeout: float) -> None:
    """Wait until no live process of a (killed) process group is left; a pid-namespace init
    stays alive until the kernel has killed every process of its namespace."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and os.path.isdir("/proc") and _live_members(pgid):
        try:
            os.killpg(pgid, signal.SIGKILL)
        except ProcessLookupError:
            return
        time.sleep(0.002)


def _kill_listed(path: str) -> None:
    """cgroup v1 has no cgroup.kill: signal every listed pid (they cannot leave the group)."""
    try:
        pids = [int(p) for p in open(os.path.join(path, "cgroup.procs")).read().split()]
    except OSError:
        return
    for p in pids:
        try:
            os.kill(p, signal.SIGKILL)
        except ProcessLookupError:
            pass


def _remove_when_empty(path: str) -> None:
    for _attempt in range(200):  # the kernel empties a killed cgroup within milliseconds
        try:
            os.rmdir(path)
            return
        except FileNotFoundError:
            return
        except OSError:
            _kill_listed(path)
            time.sleep(0.005)


@dataclass(frozen=True)
class Namespaces:
    """Which namespaces the child got (the caller forks an init for a pid namespace)."""

    pid: bool
    mount: bool
    user: bool


def _map_ids(uid: int, gid: int) -> None:
    """In a fresh user namespace: this user is 'nobody' inside, still itself outside."""
    with open("/proc/self/setgroups", "w") as fh:
        fh.write("deny")
    for name, outer in (("uid_map", uid), ("gid_map", gid)):
        with open(f"/proc/self/{name}", "w") as fh:
            fh.write(f"{NOBODY} {outer} 1\n")


def _unshare_user(result: Confinement) -> bool:
    uid, gid = os.getuid(), os.getgid()
    if not unshare(CLONE_NEWUSER):
        result.missing.append(N_("user namespace"))
        return False
    try:
        _map_ids(uid, gid)
    except OSError as exc:
        result.missing.append(f"user namespace ids ({exc.strerror})")
        return False
    result.applied.append("user namespace")
    return True


def isolate_namespaces(result: Confinement) -> Namespaces:
    """New network, mount and pid namespaces (in a user namespace when not root)."""
    user = os.geteuid() != 0 and _unshare_user(result)
    if os.geteuid() != 0 and not user:
        result.missing += [N_("network namespace"), N_("pid namespace"), "mount namespace"]
        return Namespaces(pid=False, mount=False, user=False)
    got = {}
    for flag, name in ((CLONE_NEWNET, "network namespace"), (CLONE_NEWNS, "mount namespace"),
                       (CLONE_NEWPID, "pid namespace")):
        got[name] = unshare(flag)
        (result.applied if got[name] else result.missing).append(name)
    return Namespaces(pid=got["pid namespace"], mount=got["mount namespace"], user=user)


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


def chown_tree(folder: str, uid: int) -> None:
    """Give a folder and everything in it (links themselves, not their targets) to `uid`."""
    for dirpath, dirnames, filenames in os.walk(folder):
        for name in [dirpath, *(os.path.join(dirpath, n) for n in dirnames + filenames)]:
            os.lchown(name, uid, uid)


def others_can_read(path: str) -> bool:
    """Can an unprivileged user reach and read this folder (every ancestor searchable)?"""
    real = os.path.realpath(path)
    if not os.path.exists(real):
        return False
    parts = [real] + [os.path.dirname(real[:i]) for i, c in enumerate(real) if c == "/" and i]
    return all(os.stat(p).st_mode & 0o005 == 0o005 for p in set(parts) if p)


def nobody_can_run_python() -> bool:
    return all(others_can_read(p) for p in {sys.prefix, sys.base_prefix})


_PR_CAPBSET_DROP = 24
_CAP_VERSION_3 = 0x20080522


def _drop_capabilities() -> None:
    lib = libc()
    for cap in range(64):
        lib.prctl(_PR_CAPBSET_DROP, cap, 0, 0, 0)
    header = (ctypes.c_uint32 * 2)(_CAP_VERSION_3, 0)
    data = (ctypes.c_uint32 * 6)()
    if lib.capset(ctypes.byref(header), ctypes.byref(data)) != 0:
        raise OSError(ctypes.get_errno(), "capset failed")


def drop_privileges(limits: Limits, namespaces: Namespaces, result: Confinement) -> None:
    """Run as an unprivileged uid with no capabilities, whoever started the grader.

    As root: become 'nobody' (the mount namespace made the interpreter readable to it).
    Otherwise: the grader's own uid, seen as 'nobody' in a user namespace whose
    capabilities are dropped. RLIMIT_NPROC binds either way."""
    if os.geteuid() == 0 and not namespaces.user:
        if not nobody_can_run_python():
            _drop_capabilities()
            result.missing.append("unprivileged user (Python is where 'nobody' cannot read it and "
                                  "there is no mount namespace to show it): root without capabilities")
            return
        resource.setrlimit(resource.RLIMIT_NPROC, (limits.processes, limits.processes))
        os.setgroups([])
        os.setgid(NOBODY)
        os.setuid(NOBODY)
        result.applied.append("unprivileged user")
        return
    resource.setrlimit(resource.RLIMIT_NPROC, (limits.processes, limits.processes))
    if namespaces.user:
        _drop_capabilities()
    result.applied.append("unprivileged user")


# What a worker may read of /etc: the loader's cache, time zone, user and host tables.
ETC_READABLE = ("/etc/ld.so.cache", "/etc/ld.so.conf", "/etc/ld.so.conf.d", "/etc/localtime", "/etc/passwd",
                "/etc/group", "/etc/nsswitch.conf", "/etc/hosts", "/etc/os-release", "/etc/mime.types")


def readable_roots(hidden: list[str]) -> list[str]:
    """System and interpreter paths a worker may read; never one holding hidden material."""
    candidates = {sys.prefix, sys.base_prefix, sys.exec_prefix, "/usr", "/lib", "/lib64",
                  "/bin", "/proc", "/sys", "/dev", *ETC_READABLE}
    candidates.update(p for p in sys.path if p and os.path.isdir(p))
    hidden_real = [os.path.realpath(h) for h in hidden]
    def exposes(path: str) -> bool:
        real = os.path.realpath(path)
        return any(h == real or h.startswith(real.rstrip("/") + "/") or real.startswith(h + "/")
                   for h in hidden_real)
    return sorted(p for p in candidates if os.path.exists(p) and p != "/" and not exposes(p))


def interpreter_roots(hidden: list[str]) -> list[str]:
    """The interpreter's own folders (prefixes and sys.path), which an unprivileged worker must read."""
    return [p for p in readable_roots(hidden)
            if p in {sys.prefix, sys.base_prefix, sys.exec_prefix} or p in sys.path]


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


def wipe_initial_environment() -> None:
    """Zero the environment block the process started with (what /proc/PID/environ shows): a fork
    of the grader must not carry the grader's variables to its workers. Call after os.environ.clear()."""
    with open("/proc/self/stat", "rb") as fh:
        fields = fh.read().rpartition(b")")[2].split()
    start, end = int(fields[47]), int(fields[48])  # env_start, env_end (fields 50 and 51 of proc(5))
    if 0 < start < end:
        ctypes.memset(start, 0, end - start)
