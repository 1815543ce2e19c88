"""Headless Chromium for the dashboard tests: find the browser, dump a page's DOM after its script ran, screenshot it.

Installed by .ci/run (Debian's `chromium` package); where no binary is found the tests skip and say so."""
from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome")
TIMEOUT_S = 60


def chromium() -> str:
    """The browser's path, or a skip that says how to install it."""
    found = next((path for path in map(shutil.which, NAMES) if path), None)
    if found is None:
        pytest.skip("no chromium binary on PATH (install it: apt-get install -y chromium; .ci/run does)")
    return found


def _run(page: str, profile: Path, *args: str) -> subprocess.CompletedProcess[str]:
    # --no-sandbox: CI runs as root, where Chromium refuses its own sandbox; the pages are the project's own.
    command = [chromium(), "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-extensions",
               "--hide-scrollbars", f"--user-data-dir={profile}", *args, page]
    return subprocess.run(command, capture_output=True, text=True, timeout=TIMEOUT_S, check=False)


def dump_dom(page: str, profile: Path) -> str:
    """The DOM as serialised after the page's scripts ran (`page`: a file:// URL, a fragment allowed)."""
    result = _run(page, profile, "--dump-dom")
    assert result.returncode == 0, result.stderr[-2000:]
    return result.stdout


def screenshot(page: str, png: Path, profile: Path, size: str = "1200,1600") -> Path:
    """A PNG of the rendered page at `size` (width,height)."""
    result = _run(page, profile, f"--screenshot={png}", f"--window-size={size}")
    assert result.returncode == 0 and png.is_file(), result.stderr[-2000:]
    return png
