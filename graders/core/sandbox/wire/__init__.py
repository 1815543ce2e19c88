"""The wire between the trusted parent and the sandboxed child: framing, the msgpack format, the limits.

Imports nothing from graders outside this folder (tests/test_sandbox_layout.py);
`framing` is standard library only, so the thin `grade` client can use it.
"""
