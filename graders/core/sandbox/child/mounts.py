"""The worker's own view of the filesystem, built in its private mount namespace.

Why: a plain scratch folder let a submission fill the disk and plant files the
grader later read; a worker running as root could read /etc/shadow. In its own
mount namespace (as root, or as root of its own user namespace) the worker gets
- a size- and inode-limited tmpfs over its scratch folder, holding a copy of the
  submission, which vanishes with the namespace (the grader never sees it);
- the interpreter's folders reachable by an unprivileged uid even when they
  live under a private home (`/root/.pyenv`): a small tmpfs over the blocking
  ancestor with read-only bind mounts of exactly those folders, nothing else;
- a fresh /proc that shows only the worker's own pid namespace.
Each step is best-effort and reports what it could not do (DESIGN.md: degrade
gracefully and say so). Runs only in the forked child, before student code.
"""
from __future__ import annotations

import ctypes
import os
import shutil

from graders.core.sandbox.child.confine import Confinement, Limits, chown_tree, libc

MS_RDONLY, MS_NOSUID, MS_NODEV, MS_NOEXEC = 1, 2, 4, 8
MS_REMOUNT, MS_BIND, MS_REC, MS_PRIVATE = 32, 4096, 16384, 1 << 18
NOBODY = 65534


def _mount(source: str | None, target: str, fstype: str | None, flags: int, data: str | None = None) -> None:
    enc = (lambda s: s.encode() if s is not None else None)
    if libc().mount(enc(source), enc(target), enc(fstype), ctypes.c_ulong(flags), enc(data)) != 0:
        err = ctypes.get_errno()
        raise OSError(err, f"mount {target}: {os.strerror(err)}")


def make_private() -> None:
    """Stop mounts made here from propagating back to the host (systemd makes / shared)."""
    _mount(None, "/", None, MS_REC | MS_PRIVATE)


def open_folder(path: str) -> int:
    """A descriptor of the submission's folder, to copy from once masks have hidden its path."""
    return os.open(path, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)


def mask(folders: list[str], keep: list[str], result: Confinement) -> None:
    """Cover shared folders (/tmp, /run, the user's runtime folder) with an empty tmpfs.

    Landlock does not govern connecting to a socket by path: the grading server's
    socket, other graders' scratch folders and any host socket there disappear instead.
    A folder holding one of `keep` (the interpreter) is left alone."""
    kept = [os.path.realpath(k) for k in keep]
    done = []
    for folder in dict.fromkeys(os.path.realpath(f) for f in folders if os.path.isdir(f)):
        if any(k == folder or k.startswith(folder.rstrip("/") + "/") for k in kept):
            continue
        try:
            _mount("graders-mask", folder, "tmpfs", MS_NOSUID | MS_NODEV | MS_NOEXEC, "size=64k,mode=0755")
        except OSError as exc:
            result.missing.append(f"hiding {folder} ({exc.strerror or exc})")
            continue
        done.append(folder)
    if done:
        result.applied.append("hidden: " + ", ".join(done))


def scratch_tmpfs(scratch: str, original: int, limits: Limits, owner: int, result: Confinement) -> None:
    """Put a limited tmpfs at the scratch path holding a copy of the submission (from `original`)."""
    try:
        old = os.umask(0o022)
        os.makedirs(scratch, mode=0o755, exist_ok=True)  # a mask may have hidden the folder itself
        os.umask(old)
        options = (f"size={limits.scratch_mb}m,nr_inodes={limits.scratch_files},mode=0700,"
                   f"uid={owner},gid={owner}")
        _mount("graders-scratch", scratch, "tmpfs", MS_NOSUID | MS_NODEV, options)
        shutil.copytree(f"/proc/self/fd/{original}", scratch, dirs_exist_ok=True, symlinks=True)
        chown_tree(scratch, owner)
    except OSError as exc:
        result.missing.append(f"size-limited scratch (tmpfs: {exc.strerror or exc})")
        return
    result.applied.append(f"scratch of {limits.scratch_mb} MB and {limits.scratch_files} files (tmpfs)")


def _blocking_ancestor(path: str) -> str | None:
    """The topmost folder on the way to `path` that others cannot search, if any."""
    parts = os.path.realpath(path).split("/")
    for i in range(2, len(parts)):
        prefix = "/".join(parts[:i])
        if os.stat(prefix).st_mode & 0o001 == 0:
            return prefix
    return None


def _outermost(paths: list[str]) -> list[str]:
    real = sorted({os.path.realpath(p) for p in paths if os.path.isdir(p)})
    return [p for p in real if not any(p.startswith(q.rstrip("/") + "/") for q in real if q != p)]


def expose_to_nobody(roots: list[str], result: Confinement) -> None:
    """Make interpreter folders under a private ancestor readable by an unprivileged uid.

    A tmpfs (mode 0755) covers the ancestor, so everything else under it disappears
    from the worker's view; each needed folder is bound back read-only at its path."""
    by_ancestor: dict[str, list[str]] = {}
    for root in _outermost(roots):
        ancestor = _blocking_ancestor(root)
        if ancestor:
            by_ancestor.setdefault(ancestor, []).append(root)
    for ancestor, inside in by_ancestor.items():
        handles = {root: os.open(root, os.O_PATH | os.O_CLOEXEC) for root in inside}
        try:
            _mount("graders-view", ancestor, "tmpfs", MS_NOSUID | MS_NODEV, "size=64k,mode=0755")
            old = os.umask(0o022)
            for root, fd in handles.items():
                os.makedirs(root, mode=0o755, exist_ok=True)
                _mount(f"/proc/self/fd/{fd}", root, None, MS_BIND | MS_REC)
                _mount(None, root, None, MS_REMOUNT | MS_BIND | MS_RDONLY | MS_NOSUID | MS_NODEV)
            os.umask(old)
        finally:
            for fd in handles.values():
                os.close(fd)
        result.applied.append(f"under {ancestor} only the worker's own folders are visible")


def fresh_proc(result: Confinement) -> None:
    """A /proc of the worker's own pid namespace (call as its init): no other process is visible."""
    try:
        _mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC)
    except OSError as exc:
        result.missing.append(f"private /proc ({exc.strerror or exc})")
        return
    result.applied.append("private /proc")
