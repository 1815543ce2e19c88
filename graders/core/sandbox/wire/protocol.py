"""The wire format between the trusted parent and the sandboxed worker.

Messages are msgpack maps framed by a 4-byte length. Tensors and arrays travel
as dtype + shape + raw bytes and are rebuilt with frombuffer, so nothing the
worker sends can run code in the parent (no pickle, no torch.load).
"""
from __future__ import annotations

import socket
import sys
from typing import Any

import msgpack
import numpy as np

from graders.core.sandbox.wire.framing import MAX_MESSAGE_BYTES, FrameError, recv_frame, send_frame  # noqa: F401 (re-exported)

_TENSOR = 1
_NDARRAY = 2
_TUPLE = 3

_TORCH_DTYPES = (
    "float16", "bfloat16", "float32", "float64", "int8", "int16", "int32",
    "int64", "uint8", "bool", "complex64", "complex128",
)


class ProtocolError(Exception):
    """A message could not be framed or decoded: the peer broke the protocol."""


def _torch():
    import torch  # imported lazily: the protocol itself does not need torch

    return torch


def _encode_tensor(t: Any) -> msgpack.ExtType:
    torch = _torch()
    dtype = str(t.dtype).removeprefix("torch.")
    cpu = t.detach().to("cpu").contiguous()
    if dtype == "bfloat16":  # numpy has no bfloat16: ship the raw 16-bit words
        raw = cpu.view(torch.int16).numpy().tobytes()
    else:
        raw = cpu.numpy().tobytes()
    meta = [dtype, list(t.shape), str(t.device), raw]
    return msgpack.ExtType(_TENSOR, msgpack.packb(meta, use_bin_type=True))


def _decode_tensor(data: bytes) -> Any:
    torch = _torch()
    dtype, shape, device, raw = msgpack.unpackb(data, raw=False)
    if dtype not in _TORCH_DTYPES:
        raise ProtocolError(f"unsupported tensor dtype {dtype!r}")
    np_dtype = "int16" if dtype == "bfloat16" else ("bool_" if dtype == "bool" else dtype)
    arr = np.frombuffer(raw, dtype=getattr(np, np_dtype)).copy()
    t = torch.from_numpy(arr)
    if dtype == "bfloat16":
        t = t.view(torch.bfloat16)
    return t.reshape(shape), device


def _default(obj: Any) -> Any:
    torch = sys.modules.get("torch")
    if torch is not None and isinstance(obj, torch.Tensor):
        return _encode_tensor(obj)
    if isinstance(obj, np.ndarray):
        if obj.dtype == object:
            raise TypeError("object arrays cannot be sent")
        meta = [obj.dtype.str, list(obj.shape), np.ascontiguousarray(obj).tobytes()]
        return msgpack.ExtType(_NDARRAY, msgpack.packb(meta, use_bin_type=True))
    if isinstance(obj, np.generic):
        return obj.item()
    if isinstance(obj, tuple):
        return msgpack.ExtType(_TUPLE, pack(list(obj)))
    raise TypeError(f"cannot send a value of type {type(obj).__name__}")


MAX_TUPLE_DEPTH = 32  # each nested tuple re-enters the C unpacker: unbounded, it overflows the C stack


def _ext_hook(depth: int) -> Any:
    def hook(code: int, data: bytes) -> Any:
        if code == _TENSOR:
            tensor, _device = _decode_tensor(data)
            return tensor
        if code == _NDARRAY:
            dtype, shape, raw = msgpack.unpackb(data, raw=False)
            np_dtype = np.dtype(dtype)
            if np_dtype.hasobject:
                raise ProtocolError("object arrays are refused")
            return np.frombuffer(raw, dtype=np_dtype).reshape(shape).copy()
        if code == _TUPLE:
            if depth >= MAX_TUPLE_DEPTH:
                raise ProtocolError(f"tuples nested more than {MAX_TUPLE_DEPTH} deep")
            return tuple(_unpack(data, depth + 1))
        raise ProtocolError(f"unknown extension type {code}")

    return hook


def pack(obj: Any) -> bytes:
    """Serialise plain data (numbers, str, bytes, lists, dicts, tensors, arrays)."""
    return msgpack.packb(obj, default=_default, use_bin_type=True, strict_types=True)


def unpack(data: bytes) -> Any:
    """Inverse of pack; never constructs anything but plain data, tensors and arrays."""
    return _unpack(data, 0)


def _unpack(data: bytes, depth: int) -> Any:
    try:
        return msgpack.unpackb(data, ext_hook=_ext_hook(depth), raw=False, strict_map_key=False)
    except (ValueError, TypeError, RecursionError, MemoryError, msgpack.UnpackException) as exc:
        raise ProtocolError(f"undecodable message: {exc}") from exc


def send(sock: socket.socket, obj: Any, deadline: float | None = None) -> None:
    """Frame and send one message (by an absolute time.monotonic() deadline, if given)."""
    send_frame(sock, pack(obj), deadline)


def recv(sock: socket.socket, deadline: float | None = None) -> Any:
    """Receive one framed message (EOFError when the peer is gone, socket.timeout past the deadline)."""
    try:
        body = recv_frame(sock, deadline)
    except FrameError as exc:
        raise ProtocolError(str(exc)) from exc
    return unpack(body)
