"""Length-prefixed frames over a stream socket: the one framing every local connection uses.

Standard library only, so the thin `grade` client can use it without numpy or torch.
"""
from __future__ import annotations

import socket
import struct
import time

MAX_MESSAGE_BYTES = 256 * 2**20  # a frame larger than this is refused
_HEADER = struct.Struct("!I")


class FrameError(Exception):
    """A frame that is too large to accept."""


def _arm(sock: socket.socket, deadline: float | None) -> None:
    """Give the next socket operation only what is left until the absolute deadline."""
    if deadline is None:
        return
    left = deadline - time.monotonic()
    if left <= 0:
        raise socket.timeout("deadline passed")
    sock.settimeout(left)


def send_frame(sock: socket.socket, body: bytes, deadline: float | None = None) -> None:
    """Send one length-prefixed frame (by `deadline`, a time.monotonic() value, if given)."""
    _arm(sock, deadline)
    sock.sendall(_HEADER.pack(len(body)) + body)


def _recv_exact(sock: socket.socket, n: int, deadline: float | None) -> bytes:
    chunks = bytearray()
    while len(chunks) < n:
        _arm(sock, deadline)  # a peer dripping a byte at a time still meets one deadline
        chunk = sock.recv(min(n - len(chunks), 1 << 20))
        if not chunk:
            raise EOFError("peer closed the connection")
        chunks += chunk
    return bytes(chunks)


def recv_frame(sock: socket.socket, deadline: float | None = None) -> bytes:
    """Receive one frame (EOFError when the peer is gone, FrameError when it is too large,
    socket.timeout when `deadline` passes first, however the bytes trickle in)."""
    (size,) = _HEADER.unpack(_recv_exact(sock, _HEADER.size, deadline))
    if size > MAX_MESSAGE_BYTES:
        raise FrameError(f"message of {size} bytes exceeds the {MAX_MESSAGE_BYTES} byte limit")
    return _recv_exact(sock, size, deadline)
