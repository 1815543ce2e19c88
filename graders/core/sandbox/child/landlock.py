"""Landlock (Linux >= 5.13) through ctypes: deny a process read access to all but a list of paths.

Why: the worker must not be able to read hidden tests, reference solutions or
held-out data even though they sit on the same disk (DESIGN.md, trust boundary).
Landlock needs no privileges and no daemon; on hosts without it the caller
records the degradation instead of failing.
"""
from __future__ import annotations

import ctypes
import os
import platform
from dataclasses import dataclass

_SYSCALLS = {"x86_64": (444, 445, 446), "aarch64": (444, 445, 446)}
_CREATE_RULESET_VERSION = 1
_RULE_PATH_BENEATH = 1
_PR_SET_NO_NEW_PRIVS = 38

EXECUTE, WRITE_FILE, READ_FILE, READ_DIR = 1 << 0, 1 << 1, 1 << 2, 1 << 3
REMOVE_DIR, REMOVE_FILE, MAKE_CHAR, MAKE_DIR = 1 << 4, 1 << 5, 1 << 6, 1 << 7
MAKE_REG, MAKE_SOCK, MAKE_FIFO, MAKE_BLOCK = 1 << 8, 1 << 9, 1 << 10, 1 << 11
MAKE_SYM, REFER, TRUNCATE = 1 << 12, 1 << 13, 1 << 14
_FILE_ONLY = EXECUTE | WRITE_FILE | READ_FILE | TRUNCATE
NET_BIND_TCP, NET_CONNECT_TCP = 1 << 0, 1 << 1
SCOPE_ABSTRACT_UNIX_SOCKET, SCOPE_SIGNAL = 1 << 0, 1 << 1

READ = EXECUTE | READ_FILE | READ_DIR


class LandlockUnavailable(OSError):
    """The kernel (or architecture) offers no Landlock.

    Child-side only, outside graders.errors on purpose: confine turns it into a
    "missing" confinement note; it never crosses the boundary."""


@dataclass(frozen=True)
class Applied:
    """What the ruleset enforces, for the report's notes."""

    abi: int
    network_denied: bool
    signals_scoped: bool


class _PathBeneath(ctypes.Structure):
    _pack_ = 1
    _fields_ = [("allowed_access", ctypes.c_uint64), ("parent_fd", ctypes.c_int32)]


def _libc() -> ctypes.CDLL:
    return ctypes.CDLL(None, use_errno=True)


def _numbers() -> tuple[int, int, int]:
    numbers = _SYSCALLS.get(platform.machine())
    if numbers is None:
        raise LandlockUnavailable(f"Landlock syscall numbers unknown on {platform.machine()}")
    return numbers


def abi_version() -> int:
    """The Landlock ABI the kernel offers (0 when none)."""
    try:
        create, _, _ = _numbers()
    except LandlockUnavailable:
        return 0
    res = _libc().syscall(create, None, ctypes.c_size_t(0), ctypes.c_uint32(_CREATE_RULESET_VERSION))
    return max(res, 0)


def _handled_fs(abi: int) -> int:
    handled = (1 << 13) - 1  # EXECUTE .. MAKE_SYM
    if abi >= 2:
        handled |= REFER
    if abi >= 3:
        handled |= TRUNCATE
    return handled


def _ruleset_attr(abi: int) -> tuple[ctypes.Array, int]:
    net = NET_BIND_TCP | NET_CONNECT_TCP if abi >= 4 else 0
    scoped = SCOPE_ABSTRACT_UNIX_SOCKET | SCOPE_SIGNAL if abi >= 6 else 0
    values = [_handled_fs(abi), net, scoped]
    count = 1 if abi < 4 else (2 if abi < 6 else 3)
    attr = (ctypes.c_uint64 * count)(*values[:count])
    return attr, ctypes.sizeof(attr)


def _add_path(libc: ctypes.CDLL, add_rule: int, ruleset: int, path: str, access: int) -> None:
    try:
        fd = os.open(path, os.O_PATH | os.O_CLOEXEC)
    except OSError:
        return  # a path that does not exist needs no rule
    try:
        if not os.path.isdir(path):
            access &= _FILE_ONLY
        rule = _PathBeneath(access, fd)
        if libc.syscall(add_rule, ruleset, _RULE_PATH_BENEATH, ctypes.byref(rule), 0) != 0:
            err = ctypes.get_errno()
            raise OSError(err, f"landlock_add_rule({path}): {os.strerror(err)}")
    finally:
        os.close(fd)


def restrict(read_paths: list[str], write_paths: list[str]) -> Applied:
    """Confine this process: read only read_paths, write only write_paths, no TCP (ABI >= 4)."""
    abi = abi_version()
    if abi < 1:
        raise LandlockUnavailable("the kernel offers no Landlock")
    create, add_rule, restrict_self = _numbers()
    libc = _libc()
    attr, size = _ruleset_attr(abi)
    ruleset = libc.syscall(create, ctypes.byref(attr), ctypes.c_size_t(size), ctypes.c_uint32(0))
    if ruleset < 0:
        raise LandlockUnavailable(f"landlock_create_ruleset failed: {os.strerror(ctypes.get_errno())}")
    try:
        handled = _handled_fs(abi)
        for path in read_paths:
            _add_path(libc, add_rule, ruleset, path, READ & handled)
        for path in write_paths:
            _add_path(libc, add_rule, ruleset, path, handled)
        if libc.prctl(_PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0:
            raise OSError(ctypes.get_errno(), "prctl(NO_NEW_PRIVS) failed")
        if libc.syscall(restrict_self, ruleset, 0) != 0:
            raise OSError(ctypes.get_errno(), "landlock_restrict_self failed")
    finally:
        os.close(ruleset)
    return Applied(abi=abi, network_denied=abi >= 4, signals_scoped=abi >= 6)
