"""The cold `grade HW` forks its worker template from the grading process (one torch import): a worker
started that way must still hold nothing secret (DESIGN.md, "Speed without sharing").

tests/cold_worker_probe.py takes the cold path (Grader(fork=True)), grades hw03 with its hidden suites,
then keeps a fresh worker alive; this test reads the memory of the template and of every process below
it through /proc/PID/mem (over the readable mappings of /proc/PID/maps) and looks for hidden test
source, derivation-key hints and golden output bytes. The same scan of the grading process finds them
(it holds the files' bytes on purpose): the scanner sees what is there.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
HIDDEN = ROOT / "graders" / "hw03"
GOLDEN = ROOT / "reference" / "hw03" / "golden"
SECRET_ENV = "graders-probe-env-8c1f7a"  # a value only the grading process's environment holds
CHUNK = 64 << 20

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux") or not HIDDEN.is_dir(),
                                reason="the fork server, /proc and the hidden suites: Linux in the course checkout")


def _needles() -> dict[str, bytes]:
    """Distinctive pieces of the hidden material: a test's source line per suite, each key hint, golden bytes."""
    found = {}
    for suite in sorted(HIDDEN.glob("test_*.py")):
        line = next(x for x in suite.read_text(encoding="utf-8").splitlines() if x.startswith("def test_"))
        found[f"{suite.name} source"] = line.encode()
    for name, key in tomllib.loads((HIDDEN / "keys.toml").read_text(encoding="utf-8")).items():
        for i, (_wrong, hint) in enumerate(key.get("hints", [])):
            found[f"keys.toml {name} hint {i}"] = hint.encode()
    for path in sorted(GOLDEN.glob("*.msgpack")):
        data = path.read_bytes()
        middle = max(0, len(data) // 2 - 24)
        found[f"golden {path.name}"] = data[middle:middle + 48]
    return found


def _regions(pid: int) -> list[tuple[int, int]]:
    """Readable mappings, less the shared libraries' read-only pages (code and constants of .so files)."""
    regions = []
    for line in Path(f"/proc/{pid}/maps").read_text().splitlines():
        fields = line.split(maxsplit=5)
        perms, path = fields[1], fields[5] if len(fields) > 5 else ""
        if "r" not in perms or path in ("[vvar]", "[vsyscall]", "[vvar_vclock]"):
            continue
        if ".so" in path and "w" not in perms:
            continue
        start, end = (int(x, 16) for x in fields[0].split("-"))
        regions.append((start, end))
    return regions


def _memory_hits(pid: int, needles: dict[str, bytes]) -> set[str]:
    """The names of the needles found anywhere in the process's readable memory."""
    hits: set[str] = set()
    overlap = max(len(n) for n in needles.values())
    with open(f"/proc/{pid}/mem", "rb", buffering=0) as mem:
        for start, end in _regions(pid):
            tail = b""
            for offset in range(start, end, CHUNK):
                try:
                    mem.seek(offset)
                    data = tail + mem.read(min(CHUNK, end - offset))
                except OSError:
                    break
                hits |= {name for name, needle in needles.items() if needle in data}
                tail = data[-overlap:]
    return hits


def _descendants(root: int) -> list[int]:
    parents = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                parents[int(entry.name)] = int((entry / "stat").read_text().rpartition(")")[2].split()[1])
            except (OSError, ValueError, IndexError):
                continue
    found, frontier = [], [root]
    while frontier:
        pid = frontier.pop()
        found.append(pid)
        frontier += [child for child, parent in parents.items() if parent == pid]
    return found


@pytest.fixture(scope="module")
def probe(tmp_path_factory):
    marker = tmp_path_factory.mktemp("probe") / "grader-descriptor"
    marker.write_text("the grading process's own open file\n")
    env = os.environ | {"PYTHONPATH": str(ROOT), "GRADERS_PROBE_TOKEN": SECRET_ENV}
    proc = subprocess.Popen([sys.executable, str(ROOT / "tests" / "cold_worker_probe.py"), str(marker)], cwd=ROOT,
                            env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        line = proc.stdout.readline()
        assert line, f"the probe ended early (exit {proc.wait()})"
        yield json.loads(line) | {"marker": str(marker)}
    finally:
        proc.stdin.close()
        proc.wait(timeout=60)


def test_the_scanner_finds_the_hidden_material_in_the_grading_process(probe):
    needles = _needles()
    assert _memory_hits(probe["parent"], needles) == set(needles)


def test_a_cold_path_worker_and_its_template_hold_no_hidden_material(probe):
    processes = _descendants(probe["template"])
    assert probe["worker"] in processes and len(processes) >= 2
    for pid in processes:
        hits = _memory_hits(pid, _needles() | {"the worker's own code": b"run_confined"})
        assert hits == {"the worker's own code"}, f"process {pid} holds {sorted(hits)}"


def test_the_grading_process_environment_stays_behind(probe):
    for pid in _descendants(probe["template"]):
        assert SECRET_ENV.encode() not in Path(f"/proc/{pid}/environ").read_bytes()
        assert "GRADERS_PROBE_TOKEN" not in Path(f"/proc/{pid}/environ").read_bytes().decode(errors="replace")


def _open_files(pid: int) -> list[str]:
    folder = Path(f"/proc/{pid}/fd")
    return [os.readlink(folder / fd) for fd in os.listdir(folder)]


def test_the_grading_process_descriptors_stay_behind(probe):
    assert probe["marker"] in _open_files(probe["parent"])
    for pid in _descendants(probe["template"]):
        assert probe["marker"] not in _open_files(pid)
    assert len(_open_files(probe["template"])) == 4  # stdin (/dev/null), stdout, stderr, the control socket
