"""Test-wide setup.

- Never talk to a developer's running grading server: every test process gets
  its own private runtime folder, so `grade HW` in a test grades locally unless
  the test starts a server itself (tests/test_server.py).
- Every command line a test runs speaks English unless it passes --lang, whatever the
  machine's locale (the CLI's default language is the locale's).
"""
from __future__ import annotations

import os
import tempfile

os.environ["XDG_RUNTIME_DIR"] = tempfile.mkdtemp(prefix="graders-test-run-")
os.environ["LC_ALL"] = "C.UTF-8"  # the suite asserts exact English messages; a zh_CN shell must not change them
