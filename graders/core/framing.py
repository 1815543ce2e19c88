"""Length-prefixed frames over a stream socket: the one framing every local connection uses.

Standard library only, so the thin `grade` client can use it without numpy or torch.
"""
from __future__ import annotations

import socket
import struct

MAX_MESSAGE_BYTES = 256 * 2**20  # a frame larger than this is refused
_HEADER = struct.Struct("!I")


class FrameError(Exception):
    """A frame that is too large to accept."""


def send_frame(sock: socket.socket, body: bytes) -> None:
    """Send one length-prefixed frame."""
    sock.sendall(_HEADER.pack(len(body)) + body)


def _recv_exact(sock: socket.socket, n: int) -> bytes:
    chunks = bytearray()
    while len(chunks) < n:
        chunk = sock.recv(min(n - len(chunks), 1 << 20))
        if not chunk:
            raise EOFError("peer closed the connection")
        chunks += chunk
    return bytes(chunks)


def recv_frame(sock: socket.socket) -> bytes:
    """Receive one frame (EOFError when the peer is gone, FrameError when it is too large)."""
    (size,) = _HEADER.unpack(_recv_exact(sock, _HEADER.size))
    if size > MAX_MESSAGE_BYTES:
        raise FrameError(f"message of {size} bytes exceeds the {MAX_MESSAGE_BYTES} byte limit")
    return _recv_exact(sock, size)
