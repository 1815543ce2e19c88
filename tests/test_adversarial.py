"""The adversarial corpus (submissions/adversarial/): every hostile submission, graded for real.

Each entry is a correct sample with one attack on the grader itself, and an
`expect.toml` saying what a correct grader does (see the corpus README). Beyond
each entry's own expectations, every entry must leave no trace of hidden
material or of the grader's environment in any report format, finish within
its time limit (+5 s), leave no process alive and no scratch folder behind.
"""
from __future__ import annotations

import csv
import os
import signal
import socket
import tempfile
import time
import tomllib
from pathlib import Path
from typing import Any

import pytest

from graders.core.formats import FORMATS, render
from graders.core.grade import grade_submission
from graders.core.sandbox import Template
from graders.core.spec import load_assignment

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "submissions" / "adversarial"
CANARY = "canary-7f3a9c1e5b2d4086a9c3e1f7d5b20468"
MARKER = "graders-adversarial-survivor"
SLACK_S = 5.0  # the only timing bound: wall time <= the entry's time limit + this
DEFAULT_TIME_LIMIT_S = 20.0
MIN_FINGERPRINT = 40


def _load(path: Path) -> dict[str, Any]:
    with path.open("rb") as fh:
        return tomllib.load(fh)


def _entries(kind: str) -> list[Any]:
    params = []
    for path in sorted(CORPUS.glob("*/*/expect.toml")):
        expect = _load(path)
        if expect.get("kind", "submission") == kind:
            params.append(pytest.param(path.parent, expect, id=path.parent.name))
    return params


# ------------------------------------------------------------------ what must never reach a report

def _public_lines() -> set[str]:
    """Lines that students legitimately have (samples, stubs, public tests): never a fingerprint."""
    lines: set[str] = set()
    for folder in (ROOT / "submissions", ROOT / "exercises"):
        for path in folder.rglob("*"):
            if path.is_file() and path.suffix in (".py", ".md", ".toml", ".ipynb") and "adversarial" not in path.parts:
                lines.update(line.strip() for line in path.read_text(errors="replace").splitlines())
    return lines


def _fingerprint_files() -> list[Path]:
    return (sorted(ROOT.glob("graders/hw0*/test_*.py")) + sorted(ROOT.glob("graders/hw0*/keys.toml"))
            + sorted(ROOT.glob("reference/hw0*/*.py")))


def hidden_fingerprints() -> set[str]:
    """Distinctive lines (>= 40 chars) of hidden suites, keys and reference solutions, plus private seeds."""
    public = _public_lines()
    prints = set()
    for path in _fingerprint_files():
        for line in path.read_text(errors="replace").splitlines():
            line = line.strip()
            if len(line) >= MIN_FINGERPRINT and line not in public and not line.startswith(("'", '"')):
                prints.add(line)
    for spec_file in ROOT.glob("graders/hw0*/assignment.toml"):
        for value in _load(spec_file).get("private", {}).values():
            prints.add(str(value))
    return prints


@pytest.fixture(scope="module")
def fingerprints() -> set[str]:
    prints = hidden_fingerprints()
    assert len(prints) > 50, "the hidden material should give many fingerprints"
    return prints | _initial_environment()


SCAN_BYTES = 2 * 2**20  # a huge report is scanned at both ends: a bounded log tail sits there


def _initial_environment() -> set[str]:
    """`KEY=value` entries of this process's environment as the kernel keeps it (/proc/self/environ).

    That block is fixed at exec: the canary set with monkeypatch is not in it, so a report that
    shows /proc/<grader>/environ is caught by these entries instead."""
    try:
        with open("/proc/self/environ", "rb") as fh:
            items = fh.read().decode("utf-8", "replace").split("\0")
    except OSError:
        return set()
    return {item for item in items if "=" in item and len(item) >= 24}


def _leaks(text: str, fingerprints: set[str]) -> list[str]:
    if len(text) > 2 * SCAN_BYTES:
        text = text[:SCAN_BYTES] + "\n" + text[-SCAN_BYTES:]
    found = [CANARY] if CANARY in text else []
    return found + sorted(p[:60] for p in fingerprints if p in text)


# ------------------------------------------------------------------ the machine after a grade

def _survivors() -> list[int]:
    pids = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/cmdline", "rb") as fh:
                    if MARKER.encode() in fh.read():
                        pids.append(int(entry))
            except OSError:
                continue
    return pids


def _kill(pids: list[int]) -> None:
    for pid in pids:
        try:
            os.kill(pid, signal.SIGKILL)
        except OSError:
            pass


def _scratch_folders() -> set[str]:
    return {p.name for p in Path(tempfile.gettempdir()).glob("graders-*") if p.is_dir()}


# ------------------------------------------------------------------ bait the network attacks can aim at

@pytest.fixture(scope="module")
def bait(tmp_path_factory: pytest.TempPathFactory):
    """Listening sockets a leaky sandbox would let the worker reach: TCP loopback, abstract and path unix."""
    runtime = tmp_path_factory.mktemp("xdg-runtime")
    socks = []
    tcp = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    tcp.bind(("127.0.0.1", 0))
    socks.append(tcp)
    try:
        abstract = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        abstract.bind("\0graders-adversarial-bait")
        socks.append(abstract)
    except OSError:
        pass
    path = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    path.bind(str(runtime / "server-adversarial-bait.sock"))
    socks.append(path)
    for s in socks:
        s.listen(16)
    yield runtime
    for s in socks:
        s.close()


@pytest.fixture(scope="module")
def template():
    with Template() as t:
        yield t


@pytest.fixture
def hostile_env(monkeypatch: pytest.MonkeyPatch, bait: Path, tmp_path_factory: pytest.TempPathFactory) -> None:
    """The canary in the grader's environment, and a private temp folder (other graders share /tmp)."""
    monkeypatch.setenv("GRADERS_CANARY_TOKEN", CANARY)
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(bait))
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path_factory.mktemp("scratch-parent")))


# ------------------------------------------------------------------ submission entries

def _check_report(report: Any, expect: dict[str, Any]) -> list[str]:
    """Every expectation of expect.toml that the report misses, in words."""
    problems = []
    tests = {t.name: t for t in report.tests}
    if report.status != expect.get("status", "graded"):
        problems.append(f"status {report.status!r} (message {report.message[:300]!r}), expected {expect.get('status')!r}")
    if "max_score" in expect and report.score > expect["max_score"] + 1e-6:
        problems.append(f"score {report.score} > max_score {expect['max_score']}")
    if "min_score" in expect and report.score < expect["min_score"] - 1e-6:
        problems.append(f"score {report.score} < min_score {expect['min_score']}")
    for name in expect.get("zero_tests", []):
        if name not in tests:
            problems.append(f"test {name} missing from the report")
        elif tests[name].score != 0:
            problems.append(f"test {name} scored {tests[name].score} (status {tests[name].status}), expected 0")
    parts = report.parts()
    for part in expect.get("full_parts", []):
        got, top = parts.get(part, (0.0, 0.0))
        if top == 0 or got < top - 1e-6:
            lost = [f"{t.name}: {t.status} {t.message[:200]!r}" for t in report.tests if t.part == part and t.score < t.max_score]
            problems.append(f"part {part} scored {got}/{top}, expected full marks; lost: {lost[:3]}")
    messages = [t.message for t in report.tests if t.status != "passed"]
    for text in expect.get("message_contains", []):
        if not any(text in m for m in messages):
            problems.append(f"no failing test's message contains {text!r}")
    if "max_message_chars" in expect:
        longest = max([len(t.message) for t in report.tests] + [len(report.message)])
        if longest > expect["max_message_chars"]:
            problems.append(f"a message of {longest} chars (limit {expect['max_message_chars']})")
    return problems


@pytest.mark.parametrize("folder, expect", _entries("submission"))
def test_adversarial_submission(folder: Path, expect: dict[str, Any], template: Template, hostile_env: None,
                                fingerprints: set[str]) -> None:
    scratch_before = _scratch_folders()
    _kill(_survivors())  # a survivor of another test is that test's failure, not this one's
    limit = float(expect.get("time_limit_s", DEFAULT_TIME_LIMIT_S))
    start = time.monotonic()
    report = grade_submission(load_assignment(expect["assignment"]), folder, device="cpu", template=template,
                              time_limit_s=limit)
    wall = time.monotonic() - start
    problems = _check_report(report, expect)
    if wall > limit + SLACK_S:
        problems.append(f"took {wall:.1f} s, more than the time limit {limit:g} s + {SLACK_S:g} s")
    for fmt in FORMATS:
        try:
            text = render(report, fmt, "en")
        except Exception as exc:  # noqa: BLE001 - a renderer that chokes on student text is a finding too
            problems.append(f"the {fmt} renderer failed: {type(exc).__name__}: {str(exc)[:200]}")
            continue
        leaked = _leaks(text, fingerprints)
        if leaked:
            problems.append(f"the {fmt} report leaks {leaked[:3]}")
    time.sleep(0.2)  # let the kernel finish reaping a killed process tree
    survivors = _survivors()
    _kill(survivors)
    if survivors:
        problems.append(f"{len(survivors)} process(es) with {MARKER!r} in argv survived the grade")
    left = _scratch_folders() - scratch_before
    if left:
        problems.append(f"scratch folders left behind: {sorted(left)}")
    assert not problems, f"{expect['why']}\n- " + "\n- ".join(problems)


# ------------------------------------------------------------------ batch entries (another corpus section)

def _batch_runnable(folder: Path, expect: dict[str, Any]) -> bool:
    documented = "rows" in expect and "forbidden_in_outputs" in expect
    return documented and ((folder / "input").is_dir() or (folder / "make.py").is_file())


def _batch_input(folder: Path, tmp_path: Path) -> Path:
    if (folder / "input").is_dir():
        return folder / "input"
    import importlib.util

    spec = importlib.util.spec_from_file_location("_adversarial_make", folder / "make.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    target = tmp_path / "input"
    target.mkdir()
    module.make(target)
    return target


@pytest.mark.parametrize("folder, expect", _entries("batch"))
def test_adversarial_batch(folder: Path, expect: dict[str, Any], tmp_path: Path, hostile_env: None,
                           fingerprints: set[str]) -> None:
    if not _batch_runnable(folder, expect):
        pytest.skip("batch entry without the documented keys (rows, forbidden_in_outputs) and input/ or make.py")
    from click.testing import CliRunner

    from graders.cli import main

    out = tmp_path / "out"
    args = ["batch", expect["assignment"], str(_batch_input(folder, tmp_path)), "-o", str(out), "--workers", "1"]
    if (folder / "roster.csv").is_file():
        args += ["--roster", str(folder / "roster.csv")]
    CliRunner().invoke(main, args, catch_exceptions=False)
    problems = []
    with (out / "gradebook.csv").open(newline="", encoding="utf-8-sig") as fh:
        rows = list(csv.reader(fh))[1:]
    if len(rows) != expect["rows"]:
        problems.append(f"gradebook.csv has {len(rows)} rows, expected {expect['rows']}")
    starts = tuple(expect.get("forbidden_cell_starts", ()))
    bad_cells = [cell for row in rows for cell in row if starts and cell.startswith(starts)]
    if bad_cells:
        problems.append(f"cells starting with a formula prefix: {bad_cells[:3]}")
    for path in sorted(p for p in out.rglob("*") if p.is_file() and p.suffix in (".csv", ".txt", ".jsonl", ".md", ".json")):
        text = path.read_text(encoding="utf-8", errors="replace")
        found = [s for s in expect["forbidden_in_outputs"] if s in text] + _leaks(text, fingerprints)
        if found:
            problems.append(f"{path.relative_to(out)} contains {found[:3]!r}")
    assert not problems, f"{expect['why']}\n- " + "\n- ".join(problems)
