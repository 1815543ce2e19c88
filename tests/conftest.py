"""Shared fixtures: every test starts in English, whatever the machine's locale."""
from __future__ import annotations

import pytest

from graders.i18n import set_language


@pytest.fixture(autouse=True)
def english_messages():
    """The suite asserts exact English messages; a zh_CN shell must not change them (tests of zh set it)."""
    set_language("en")
    yield
    set_language(None)
