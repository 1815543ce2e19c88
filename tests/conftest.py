"""Test-wide setup: never talk to a developer's running grading server.

Every test process gets its own private runtime folder, so `grade HW` in a
test grades locally unless the test starts a server itself (tests/test_server.py).
"""
import os
import tempfile

os.environ["XDG_RUNTIME_DIR"] = tempfile.mkdtemp(prefix="graders-test-run-")
