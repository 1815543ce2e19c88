"""The resource limits of one worker: plain data that crosses the boundary.

The assignment spec declares them (parent), the worker config carries them as
JSON, and the child applies them (confine, mounts). Standard library only.
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Limits:
    """Resource limits of one worker (from the assignment spec)."""

    cpu_s: int = 120
    memory_mb: int = 2048
    file_size_mb: int = 16
    processes: int = 64
    open_files: int = 256
    threads: int = 1  # torch intra-op threads in the worker
    scratch_mb: int = 256  # the worker's scratch tmpfs (size)
    scratch_files: int = 10000  # ... and its inodes (files + folders)
