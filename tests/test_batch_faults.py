"""`grade batch` against hostile names and faults: inert outputs, a killed worker or parent, a full disk, two runs.

No test here depends on timing: the parent is killed from inside itself after a
fixed number of cached reports, the disk fills on a chosen write, and the lock is
held by the test process.
"""
from __future__ import annotations

import csv
import errno
import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from graders.core.batch import atomic
from graders.core.batch.pipeline import grade_batch
from graders.core.batch.lock import outdir_lock
from graders.errors import OutdirBusy, OutputError

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "submissions" / "adversarial" / "batch"
GRADE = [sys.executable, "-c", "from graders.cli import run; run()"]
TEXT_OUTPUTS = ("gradebook.csv", "gradebook.txt", "results.jsonl", "summary.md")
OUTPUTS = (*TEXT_OUTPUTS, "summary.png")

# Runs `grade` and SIGKILLs its whole process group right after the N-th report reaches the cache.
KILL_AFTER = """
import os, signal, sys
from graders.core.batch import pool as batch_run
put, stored = batch_run.Cache.put, []
def put_then_die(self, digest, report):
    put(self, digest, report)
    stored.append(digest)
    if len(stored) == int(os.environ["KILL_AFTER_PUTS"]):
        os.killpg(0, signal.SIGKILL)
batch_run.Cache.put = put_then_die
from graders.cli import run
run()
"""
# Runs `grade` on a disk that is full: every fsync fails with ENOSPC (where ext4 reports it).
DISK_FULL = """
import errno, os
def full(fd):
    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
os.fsync = full
from graders.cli import run
run()
"""


def build_input(entry: Path, target: Path) -> Path:
    """The entry's input/ copied to target, or written there by its make.py."""
    if (entry / "input").is_dir():
        return Path(shutil.copytree(entry / "input", target))
    spec = importlib.util.spec_from_file_location(f"make_{entry.name}", entry / "make.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.make(target)


def cells(outdir: Path) -> list[list[str]]:
    with open(outdir / "gradebook.csv", encoding="utf-8-sig", newline="") as fh:
        return list(csv.reader(fh))


def columns(outdir: Path, *names: str) -> list[tuple[str, ...]]:
    header, *rows = cells(outdir)
    return [tuple(row[header.index(n)] for n in names) for row in rows]


def text_outputs(outdir: Path) -> dict[str, str]:
    files = [outdir / n for n in TEXT_OUTPUTS] + sorted((outdir / "feedback").glob("*.md"))
    return {str(p.relative_to(outdir)): p.read_text(encoding="utf-8") for p in files}


def html(markdown: str) -> str:
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark").enable("table").render(markdown)


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    """control_names graded once through the CLI, with its roster, on one worker."""
    base = tmp_path_factory.mktemp("hostile")
    entry = CORPUS / "control_names"
    inputs, outdir = build_input(entry, base / "in"), base / "out"
    proc = subprocess.run(GRADE + ["batch", "hw03", str(inputs), "-o", str(outdir), "--workers", "1",
                                   "--roster", str(entry / "roster.csv")], capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr
    return proc, inputs, outdir


def test_gradebook_cells_from_hostile_names_and_roster_are_inert(hostile):
    _, _, outdir = hostile
    assert columns(outdir, "student_id", "name", "status", "file") == [
        ("10001", "'=HYPERLINK(\"x\",\"y\")", "graded", "'=HYPERLINK(\"x\",\"y\")_10001_20001_softmax.py"),
        ("10002", "'@SUM(A1)", "graded", "'@SUM(A1)_10002_20002_ema.py"),
        ("10003", "'+cmd|' -C calc'!A0", "graded", "'+cmd|' -C calc'!A0_10003_20003_ema.py"),
        ("10004", "'-2+3", "graded", "'-2+3_10004_20004_ema.py"),
        ("10005", "esc cr nlc1evil", "graded", "esc cr nlc1evil_10005_20005_ema.py"),
        ("10006", "[blink]markup[red]", "graded", "[blink]markup[red]_10006_20006_ema.py"),
        ("10007", "bad\ufffdutf8", "graded", "bad\ufffdutf8_10007_20007_ema.py"),
        ("99999", "'=HYPERLINK(\"http://x\",\"y\")", "missing", ""),
        ("'=2+5", "'+cmd|' /C calc'!A0", "missing", ""),
    ]


def test_numeric_columns_stay_numbers(hostile):
    _, _, outdir = hostile
    for score, top, late in columns(outdir, "score", "max", "late"):
        float(score), float(top)
        assert late in ("True", "False")


def test_terminal_table_and_console_show_names_without_controls_or_markup(hostile):
    proc, _, outdir = hostile
    table = (outdir / "gradebook.txt").read_text(encoding="utf-8")
    assert "| 10006      | [blink]markup[red]" in table and "| 10005      | esc cr nlc1evil" in table
    assert "=HYPERLINK(\"x\",\"y\")_10001_20001_softmax.py" in table
    assert not [c for c in table if ord(c) < 32 and c != "\n"]
    assert "\x1b" not in proc.stdout + proc.stderr


def test_feedback_and_summary_show_student_text_as_code(hostile):
    _, _, outdir = hostile
    feedback = (outdir / "feedback" / '10001_=HYPERLINK(_x_,_y_).md').read_text(encoding="utf-8")
    assert "**Submission:** `=HYPERLINK(\"x\",\"y\")_10001_20001_softmax.py`" in feedback
    assert "[x](http://evil) ![img](http://remote/a.png) <img src=x onerror=alert(1)> </details>`" in feedback
    for name, text in text_outputs(outdir).items():
        if name.endswith(".md"):
            rendered = html(text)
            assert "<a " not in rendered and "<img" not in rendered and "</details>" not in rendered, name
    assert ("[x](http://evil) ![img](http://remote/a.png) &lt;img src=x onerror=alert(1)&gt; &lt;/details&gt;</code>"
            in html(feedback))


def test_dashboard_pages_show_hostile_names_as_text(hostile):
    _, _, outdir = hostile
    pages = [outdir / "index.html", *sorted((outdir / "students").glob("*.html"))]
    assert len(pages) > 1
    for page in pages:
        text = page.read_text(encoding="utf-8")
        assert "<img" not in text and "\x1b" not in text, page.name
        assert text.count("</details>") == text.count("<details"), page.name  # only the page's own
    assert "&lt;img src=x onerror=alert(1)&gt;" in (outdir / "index.html").read_text(encoding="utf-8")


def test_results_jsonl_escapes_controls_and_keeps_the_raw_names(hostile):
    _, _, outdir = hostile
    text = (outdir / "results.jsonl").read_text(encoding="utf-8")
    assert "\\u001b" in text and "\\u009b" in text and "\x1b" not in text
    names = [json.loads(line)["name"] for line in text.splitlines()]
    assert "\x1b]0;pwned\x07\x1b[2Jesc\rcr\nnl\x9b31mc1\u202eevil" in names and "bad\udcffutf8" in names


@pytest.mark.parametrize("name", sorted(p.name for p in CORPUS.iterdir() if (p / "expect.toml").is_file()))
def test_corpus_entry_meets_its_expectations(name, request, tmp_path):
    entry = CORPUS / name
    expect = tomllib.loads((entry / "expect.toml").read_text(encoding="utf-8"))
    assert expect["kind"] == "batch" and expect["why"].strip()
    if name == "control_names":
        outdir = request.getfixturevalue("hostile")[2]
    else:
        roster = entry / "roster.csv"
        outdir = tmp_path / "out"
        grade_batch(expect["assignment"], [build_input(entry, tmp_path / "in")], outdir, workers=1,
                    roster=roster if roster.is_file() else None)
    header, *rows = cells(outdir)
    assert len(rows) == expect["rows"]
    bad = [c for row in rows for c in row if c.startswith(tuple(expect["forbidden_cell_starts"]))]
    assert bad == []
    for file, text in text_outputs(outdir).items():
        assert [s for s in expect["forbidden_in_outputs"] if s in text] == [], file


def test_a_worker_killed_mid_call_costs_that_part_only(tmp_path):
    """ema() kills its own worker; a pid namespace's init ignores SIGKILL from inside, so it then segfaults."""
    inputs = tmp_path / "in"
    for folder in ("zhang_2023000001_hw03", "li_2023000002_hw03"):
        shutil.copytree(ROOT / "submissions" / "hw03" / "correct", inputs / folder,
                        ignore=shutil.ignore_patterns("expect.toml"))
    with open(inputs / "zhang_2023000001_hw03" / "ema.py", "a", encoding="utf-8") as fh:
        fh.write("\n\ndef ema(values, beta=0.9):\n    import ctypes, os, signal\n"
                 "    os.kill(os.getpid(), signal.SIGKILL)\n    ctypes.string_at(0)\n")
    result = grade_batch("hw03", [inputs], tmp_path / "out", workers=1)
    assert result.reconciled
    rows = {r.student_id: r for r in result.rows}
    assert rows["2023000002"].score == pytest.approx(100.0, abs=0.01)
    zhang = rows["2023000001"]
    assert zhang.status == "graded" and zhang.parts["ema"] < 10
    assert {k: round(v) for k, v in zhang.parts.items() if k != "ema"} == {
        "softmax": 25, "optimizers": 30, "dropout": 15, "derivation": 20}
    record = next(json.loads(line) for line in (tmp_path / "out" / "results.jsonl").read_text().splitlines()
                  if json.loads(line)["student_id"] == "2023000001")
    killed = [t for t in record["report"]["tests"] if t["part"] == "ema" and t["status"] == "error"]
    assert killed and all("the worker process was killed by signal SIG" in t["message"] for t in killed)


def test_parent_killed_mid_run_then_resumed_gives_the_same_gradebook(hostile, tmp_path):
    _, inputs, clean = hostile
    outdir = tmp_path / "out"
    args = ["batch", "hw03", str(inputs), "-o", str(outdir), "--workers", "1",
            "--roster", str(CORPUS / "control_names" / "roster.csv")]
    killed = subprocess.run([sys.executable, "-c", KILL_AFTER, *args], capture_output=True, text=True, timeout=600,
                            env={**os.environ, "KILL_AFTER_PUTS": "1"}, start_new_session=True)
    assert killed.returncode == -9  # 7 entries, 2 distinct submissions (identical bytes share one grading)
    assert len(list((outdir / ".cache").glob("*.json"))) == 1 and not (outdir / "gradebook.csv").exists()
    resumed = subprocess.run(GRADE + args, capture_output=True, text=True, timeout=600)
    assert resumed.returncode == 0, resumed.stderr
    now, cached = map(int, re.search(r"\((\d+) graded now, (\d+) from cache\)", resumed.stdout).groups())
    assert now + cached == 7 and now > 0 and cached > 0
    header = cells(clean)[0]
    keep = [i for i, name in enumerate(header) if name != "duration_s"]  # wall-clock time of each grading
    assert [[row[i] for i in keep] for row in cells(outdir)] == [[row[i] for i in keep] for row in cells(clean)]


@pytest.fixture
def previous(hostile, tmp_path):
    """A copy of a finished batch whose outputs are marked, to tell the previous ones from new ones."""
    outdir = Path(shutil.copytree(hostile[2], tmp_path / "out"))
    for name in OUTPUTS:
        (outdir / name).write_bytes(f"previous {name}\n".encode())
    return hostile[1], outdir


def _fail_fsync_at(monkeypatch, n: int) -> None:
    calls = []
    real = os.fsync

    def fsync(fd: int) -> None:
        calls.append(fd)
        if len(calls) == n:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        real(fd)

    monkeypatch.setattr(atomic.os, "fsync", fsync)


@pytest.mark.parametrize("failing_write", [1, 4])
def test_a_full_disk_leaves_the_previous_outputs_whole_and_no_temp_file(previous, monkeypatch, failing_write):
    inputs, outdir = previous
    cached = sorted(outdir.glob(".cache/*"))
    _fail_fsync_at(monkeypatch, failing_write)
    with pytest.raises(OutputError) as caught:
        grade_batch("hw03", [inputs], outdir, workers=1, roster=CORPUS / "control_names" / "roster.csv")
    assert sorted(outdir.glob(".cache/*")) == cached  # every report came from the cache: only outputs were written
    assert "No space left on device" in str(caught.value) and "intact" in str(caught.value)
    assert all((outdir / n).read_bytes() == f"previous {n}\n".encode() for n in OUTPUTS)
    assert [p.name for p in outdir.rglob("*.tmp")] == []


def test_a_full_disk_is_a_clear_error_with_exit_2_and_no_traceback(previous):
    inputs, outdir = previous
    proc = subprocess.run([sys.executable, "-c", DISK_FULL, "batch", "hw03", str(inputs), "-o", str(outdir),
                           "--workers", "1"], capture_output=True, text=True, timeout=600)
    assert proc.returncode == 2
    assert f"error: cannot write {outdir / 'gradebook.csv'}: No space left on device. Nothing was half-written" \
        in proc.stderr
    assert "Traceback" not in proc.stderr
    assert (outdir / "gradebook.csv").read_bytes() == b"previous gradebook.csv\n"


def test_a_second_batch_on_the_same_outdir_refuses_at_once_naming_the_first(tmp_path):
    outdir = tmp_path / "out"
    outdir.mkdir()
    with outdir_lock(outdir):
        proc = subprocess.run(GRADE + ["batch", "hw03", str(CORPUS / "formula_names" / "input"), "-o", str(outdir)],
                              capture_output=True, text=True, timeout=120)
        with pytest.raises(OutdirBusy, match=f"pid {os.getpid()}"):
            grade_batch("hw03", [CORPUS / "formula_names" / "input"], outdir)
    assert proc.returncode == 2
    assert f"error: {outdir} is in use by another `grade batch` (pid {os.getpid()})" in proc.stderr
    assert not (outdir / "gradebook.csv").exists() and not (outdir / ".cache").exists()
    with outdir_lock(outdir):  # released: a later run proceeds
        pass


def test_console_summary_and_gradebook_count_the_same_rows(hostile):
    proc, _, outdir = hostile
    statuses = [s for (s,) in columns(outdir, "status")]
    summary = (outdir / "summary.md").read_text(encoding="utf-8")
    assert "| graded | 7 |" in summary and "| missing | 2 |" in summary and statuses.count("graded") == 7
    assert proc.stdout.startswith(f"{len(statuses)} rows in ")
    line = "reconciliation: 7 input entries = 7 graded + 0 not graded + 0 superseded attempts + 0 receipts"
    assert line in proc.stdout and line in summary
