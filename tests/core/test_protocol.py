"""graders.core.sandbox.wire.protocol: the msgpack wire format between parent and worker."""
from __future__ import annotations

import socket
import struct

import msgpack
import numpy as np
import pytest
import torch

from graders.core.sandbox.wire import protocol
from graders.core.sandbox.wire.protocol import MAX_MESSAGE_BYTES, ProtocolError, pack, recv, send, unpack


def roundtrip(obj):
    return unpack(pack(obj))


@pytest.mark.parametrize("dtype", [torch.float32, torch.float16, torch.bfloat16, torch.float64,
                                   torch.int64, torch.int32, torch.uint8, torch.bool])
def test_tensor_roundtrip_keeps_values_and_dtype(dtype):
    t = (torch.arange(-3, 9).reshape(3, 4) * 1.25).to(dtype)
    back = roundtrip(t)
    assert isinstance(back, torch.Tensor)
    assert back.dtype == dtype
    assert back.shape == (3, 4)
    assert torch.equal(back, t)


def test_bfloat16_values_survive_bit_exactly():
    t = torch.tensor([1e-3, -2.5, 3.0e20, float("inf")], dtype=torch.bfloat16)
    assert torch.equal(roundtrip(t).view(torch.int16), t.view(torch.int16))


def test_nan_survives():
    back = roundtrip(torch.tensor([float("nan"), 1.0]))
    assert torch.isnan(back[0]) and back[1] == 1.0


def test_zero_dim_tensor_roundtrip():
    back = roundtrip(torch.tensor(3.5))
    assert back.dim() == 0 and back.item() == 3.5


def test_empty_tensor_roundtrip():
    back = roundtrip(torch.empty(0, 3, dtype=torch.float16))
    assert back.shape == (0, 3) and back.dtype == torch.float16


def test_non_contiguous_tensor_and_grad_tensor_roundtrip():
    t = torch.arange(6.0).reshape(2, 3).t()
    assert torch.equal(roundtrip(t), t)
    g = torch.ones(2, requires_grad=True) * 2
    back = roundtrip(g)
    assert torch.equal(back, torch.full((2,), 2.0)) and not back.requires_grad


def test_parameter_is_sent_as_a_tensor():
    back = roundtrip(torch.nn.Parameter(torch.ones(2)))
    assert torch.equal(back, torch.ones(2))


@pytest.mark.parametrize("arr", [np.arange(6, dtype=np.float32).reshape(2, 3), np.array([True, False]),
                                 np.array(7, dtype=np.int16), np.zeros((0,), dtype=np.float64)])
def test_numpy_array_roundtrip(arr):
    back = roundtrip(arr)
    assert isinstance(back, np.ndarray)
    assert back.dtype == arr.dtype and back.shape == arr.shape
    np.testing.assert_array_equal(back, arr)


def test_numpy_scalar_becomes_a_python_number():
    assert roundtrip(np.float32(1.5)) == 1.5
    assert roundtrip(np.int64(4)) == 4


def test_tuples_stay_tuples_and_lists_stay_lists():
    back = roundtrip({"t": (1, (2, 3)), "l": [1, [2]]})
    assert back == {"t": (1, (2, 3)), "l": [1, [2]]}
    assert isinstance(back["t"], tuple) and isinstance(back["t"][1], tuple)
    assert isinstance(back["l"], list)


def test_nested_dicts_with_tensors_roundtrip():
    msg = {"op": "result", "value": {"out": torch.ones(2), "meta": {"n": 3, "ok": True, "s": "é", "b": b"\x00"}},
           1: None}
    back = roundtrip(msg)
    assert back["op"] == "result" and back[1] is None
    assert torch.equal(back["value"]["out"], torch.ones(2))
    assert back["value"]["meta"] == {"n": 3, "ok": True, "s": "é", "b": b"\x00"}


def test_packing_an_arbitrary_object_raises_type_error():
    class Thing:
        pass

    with pytest.raises(TypeError, match="cannot send a value of type Thing"):
        pack({"x": Thing()})


def test_numpy_object_array_cannot_be_sent():
    with pytest.raises(TypeError, match="object arrays cannot be sent"):
        pack(np.array([1, "a", None], dtype=object))


def test_received_object_array_is_refused():
    meta = msgpack.packb(["|O", [1], b"\x00" * 8], use_bin_type=True)
    with pytest.raises(ProtocolError, match="object arrays are refused"):
        unpack(msgpack.packb(msgpack.ExtType(protocol._NDARRAY, meta)))


def test_unknown_extension_code_is_refused():
    with pytest.raises(ProtocolError, match="unknown extension type 42"):
        unpack(msgpack.packb(msgpack.ExtType(42, b"payload")))


def test_tensor_with_unsupported_dtype_is_refused():
    meta = msgpack.packb(["object", [1], "cpu", b"\x00"], use_bin_type=True)
    with pytest.raises(ProtocolError, match="unsupported tensor dtype 'object'"):
        unpack(msgpack.packb(msgpack.ExtType(protocol._TENSOR, meta)))


def test_garbage_bytes_are_a_protocol_error():
    with pytest.raises(ProtocolError, match="undecodable message"):
        unpack(b"\xc1")


def test_send_and_recv_over_a_socket_pair():
    a, b = socket.socketpair()
    with a, b:
        send(a, {"op": "call", "args": (torch.arange(3), np.ones(2))})
        send(a, "second")
        first = recv(b)
        assert first["op"] == "call"
        assert torch.equal(first["args"][0], torch.arange(3))
        np.testing.assert_array_equal(first["args"][1], np.ones(2))
        assert recv(b) == "second"


def test_frame_larger_than_the_limit_is_refused_before_reading_it():
    a, b = socket.socketpair()
    with a, b:
        a.sendall(struct.pack("!I", MAX_MESSAGE_BYTES + 1))
        with pytest.raises(ProtocolError, match="exceeds the .* byte limit"):
            recv(b)


def test_recv_from_a_closed_peer_raises_eof():
    a, b = socket.socketpair()
    a.close()
    with b, pytest.raises(EOFError, match="peer closed the connection"):
        recv(b)


def test_recv_of_a_truncated_frame_raises_eof():
    a, b = socket.socketpair()
    with b:
        a.sendall(struct.pack("!I", 100) + b"\x00" * 10)
        a.close()
        with pytest.raises(EOFError):
            recv(b)


def test_deeply_nested_tuples_are_refused_not_a_crash_of_the_parent():
    """Each nested tuple re-enters the C unpacker: 5,000 of them once overflowed the grader's C stack."""
    import msgpack

    data = protocol.pack(1)
    for _ in range(5000):
        data = msgpack.packb(msgpack.ExtType(3, b"\x91" + data), use_bin_type=True)
    with pytest.raises(protocol.ProtocolError, match="nested more than 32 deep"):
        protocol.unpack(data)
    nested = (1,)
    for _ in range(20):
        nested = (nested, 2)
    assert protocol.unpack(protocol.pack(nested)) == nested
