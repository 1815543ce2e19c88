"""Run a suite of ordinary pytest tests in the trusted parent and collect outcomes.

The tests receive a `student` fixture (a proxy to the part's sandboxed worker),
a `golden` fixture (recorded reference outputs), `device`, `spec` (the
assignment) and `data_path` (a `--data` file, or None); each test's exception is
translated into a status with the message and hint a student reads. A test
that passes can still leave a message with `record_property("message", text)`,
and a Mismatch may carry partial credit (`fraction`).
"""
from __future__ import annotations

import io
import math
import os
import contextlib
from pathlib import Path
from typing import Any, Callable

import pytest

from graders.core.scoring import Outcome
from graders.errors import Mismatch, StudentError, WorkerFault
from graders.i18n import _, message_of

# Plugins a grading run does not need; unraisableexception alone runs a full
# gc.collect() per session (~0.3 s with torch loaded), logging wraps every phase.
# Suites keep fixtures authors use (tmp_path, monkeypatch, recwarn, record_property) and warnings.
_UNUSED_PLUGINS = ("cacheprovider", "terminal", "unraisableexception", "threadexception", "logging", "faulthandler",
                   "doctest", "pastebin", "stepwise", "setuponly", "setupplan", "nose", "legacypath",
                   "python_path")
PYTEST_ARGS = [arg for name in _UNUSED_PLUGINS for arg in ("-p", f"no:{name}")] + [
    "-c", os.devnull, "--noconftest", "--import-mode=importlib", "-o", "addopts=", "-o", "python_files=test_*.py",
    "-W", "ignore::pytest.PytestAssertRewriteWarning", "-s"]


def classify(exc: BaseException | None) -> tuple[str, str, str]:
    """(status, message, hint) for what a test raised (pure)."""
    if exc is None:
        return "passed", "", ""
    if isinstance(exc, Mismatch):
        return "failed", exc.message, exc.hint
    if isinstance(exc, WorkerFault):
        return exc.status, message_of(exc), ""
    if isinstance(exc, StudentError):
        hint = _("implement this function (it still raises NotImplementedError)") \
            if exc.info.get("exception") == "NotImplementedError" else ""
        return "error", message_of(exc), hint
    if isinstance(exc, AssertionError):
        return "failed", str(exc).split("\nassert ")[0].strip() or _("assertion failed"), ""
    if isinstance(exc, pytest.skip.Exception):
        return "skipped", message_of(exc), ""
    return "error", _("the result could not be checked: {error}").format(error=f"{type(exc).__name__}: {exc}"), ""


def display_name(item: pytest.Item, part: str) -> str:
    return f"{part}::{item.name.removeprefix('test_')}"


class GradingPlugin:
    """Provides the fixtures and records one Outcome per test."""

    def __init__(self, part_of: Callable[[Path], str], student: Callable[[str], Any], golden: Any,
                 device: str, weight: Callable[[str, str], float], visibility: str, spec: Any = None,
                 data_path: Path | None = None, locate: Callable[[str], str] | None = None) -> None:
        self.part_of, self._student, self._golden, self._device = part_of, student, golden, device
        self.locate = locate  # a worker's "file:line" as the student wrote it (a notebook's cell and line)
        self.weight, self.visibility = weight, visibility
        self._spec, self._data_path = spec, data_path
        self.outcomes: list[Outcome] = []

    @pytest.fixture
    def student(self, request: pytest.FixtureRequest) -> Any:
        return self._student(self.part_of(Path(str(request.node.path))))

    @pytest.fixture
    def golden(self) -> Any:
        return self._golden

    @pytest.fixture
    def device(self) -> str:
        return self._device

    @pytest.fixture
    def spec(self) -> Any:
        return self._spec

    @pytest.fixture
    def data_path(self) -> Path | None:
        return self._data_path

    @pytest.hookimpl(hookwrapper=True)
    def pytest_runtest_makereport(self, item: pytest.Item, call: pytest.CallInfo) -> Any:
        outcome = yield
        report = outcome.get_result()
        failed_setup = call.when == "setup" and call.excinfo is not None
        if call.when == "call" or failed_setup:
            self._record(item, call.excinfo.value if call.excinfo else None)
        return report

    def _record(self, item: pytest.Item, exc: BaseException | None) -> None:
        part = self.part_of(Path(str(item.path)))
        name = display_name(item, part)
        if isinstance(exc, StudentError) and exc.info.get("where") and self.locate is not None:
            exc = StudentError({**exc.info, "where": self.locate(exc.info["where"])}, exc.call)
        status, message, hint = classify(exc)
        recorded = dict(item.user_properties)
        message = message or str(recorded.get("message", ""))
        self.outcomes.append(Outcome(name=name, part=part, status=status, weight=self.weight(part, name),
                                     message=message, hint=hint, visibility=self.visibility,
                                     fraction=getattr(exc, "fraction", None), metrics=_metrics(recorded)))

    def pytest_collectreport(self, report: pytest.CollectReport) -> None:
        if report.failed:
            part = self.part_of(Path(str(report.fspath)))
            self.outcomes.append(Outcome(name=f"{part}::collection", part=part, status="error",
                                         message=_("the test suite could not be loaded: {error}").format(
                                             error=report.longreprtext[-500:]),
                                         visibility=self.visibility))


def _metrics(recorded: dict[str, Any]) -> dict[str, float]:
    """`record_property("metric:accuracy", 0.98)` in a suite -> {"accuracy": 0.98} (finite numbers only).

    Suites run here, in the parent: a metric is a figure the parent measured, never one a worker sent."""
    found = {}
    for key, value in recorded.items():
        if isinstance(key, str) and key.startswith("metric:") and isinstance(value, (int, float)) \
                and not isinstance(value, bool) and math.isfinite(value):
            found[key[len("metric:"):]] = float(value)
    return found


def run_suites(files: list[Path], plugin: GradingPlugin, rootdir: Path) -> list[Outcome]:
    """Run the given test files in this process with the plugin; returns its outcomes."""
    args = [str(f) for f in files] + PYTEST_ARGS + ["--rootdir", str(rootdir)]
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        pytest.main(args, plugins=[plugin])
    return plugin.outcomes
