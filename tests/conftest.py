"""Test-wide setup.

- Never talk to a developer's running grading server: every test process gets
  its own private runtime folder, so `grade HW` in a test grades locally unless
  the test starts a server itself (tests/test_server.py).
- Every test starts in English, whatever the machine's locale.
"""
from __future__ import annotations

import os
import tempfile

import pytest

from graders.i18n import set_language

os.environ["XDG_RUNTIME_DIR"] = tempfile.mkdtemp(prefix="graders-test-run-")


@pytest.fixture(autouse=True)
def english_messages():
    """The suite asserts exact English messages; a zh_CN shell must not change them (tests of zh set it)."""
    set_language("en")
    yield
    set_language(None)
