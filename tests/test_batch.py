"""`grade batch` end to end on a generated Canvas download: nothing lost, scores as graded alone, resumable."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pandas as pd
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
from make_batch import make_batch  # noqa: E402

from graders.core.batch.collect import Unit, collect  # noqa: E402
from graders.core.batch.plan import make_plan  # noqa: E402
from graders.core.grade import grade_submission  # noqa: E402

GRADE = [sys.executable, "-c", "from graders.cli import run; run()"]


@pytest.fixture(scope="module")
def download(tmp_path_factory):
    out = tmp_path_factory.mktemp("download") / "canvas.zip"
    manifest = make_batch(24, out, seed=1)
    return out, manifest


@pytest.fixture(scope="module")
def batch(download, tmp_path_factory):
    archive, manifest = download
    outdir = tmp_path_factory.mktemp("out")
    roster = outdir.parent / "roster.csv"
    first = manifest["entries"][0]
    roster.write_text(f"id,name\n{first['student_id']},{first['name']}\n9999999,缺交的学生\n", encoding="utf-8")
    proc = subprocess.run(GRADE + ["batch", "hw03", str(archive), "-o", str(outdir), "--workers", "2",
                                   "--roster", str(roster)], capture_output=True, text=True, timeout=600)
    return proc, outdir, manifest


def gradebook(outdir: Path) -> pd.DataFrame:
    return pd.read_csv(outdir / "gradebook.csv", dtype={"student_id": str}, encoding="utf-8-sig")


def test_every_input_is_accounted_for(batch):
    proc, outdir, manifest = batch
    assert proc.returncode == 0, proc.stderr
    n = len(manifest["entries"])
    superseded = sum(e["expect"] == "superseded" for e in manifest["entries"])
    failed = sum(e["expect"] not in ("graded", "superseded") for e in manifest["entries"])
    assert (f"reconciliation: {n} input entries = {n - superseded - failed} graded + {failed} not graded + "
            f"{superseded} superseded attempts") in proc.stdout
    assert "(all accounted for)" in proc.stdout and "(all accounted for)" in (outdir / "summary.md").read_text()


def test_summary_reports_the_workers_peak_memory(batch):
    _, outdir, _ = batch
    line = next(x for x in (outdir / "summary.md").read_text().splitlines() if x.startswith("Peak memory per worker"))
    median = float(line.split("median ")[1].split(" MB")[0])
    assert 50 < median < 2048, line  # a real resident set: torch's image, below the worker's memory limit


def test_summary_and_log_give_each_grading_processs_peak_memory(batch):
    _, outdir, _ = batch
    line = next(x for x in (outdir / "summary.md").read_text().splitlines()
                if x.startswith("Peak memory per grading process"))
    n = int(line.split("; ")[1].split(" processes")[0])
    peaks = [float(p) for p in line.split("): ")[1].rstrip(" MB.").split(", ")]
    assert 1 <= n <= 2 and len(peaks) == n  # --workers 2: at most two pool processes graded this batch
    assert all(100 < p < 8192 for p in peaks), line  # each imported torch: a real resident set
    assert "peak memory per grading process: " in (outdir / "batch.log").read_text(encoding="utf-8")


def test_statuses_match_what_each_entry_deserves(batch):
    _, outdir, manifest = batch
    book = gradebook(outdir)
    missing = book[book.status == "missing"]
    assert list(missing.student_id) == ["9999999"] and list(missing.name) == ["缺交的学生"]
    rows = {r.file: r for r in book.itertuples()}
    for entry in manifest["entries"]:
        if entry["expect"] == "superseded":
            assert entry["entry"] not in rows
            continue
        assert rows[entry["entry"]].status == entry["expect"], entry
    kinds = {e["kind"]: rows[e["entry"]] for e in manifest["entries"] if e["entry"] in rows}
    assert "zip bomb" in kinds["zip_bomb"].message
    assert "outside the archive" in kinds["zip_slip"].message
    assert "resubmit as a .zip" in kinds["rar"].message
    assert kinds["gbk_names"].score == 100.0 and kinds["nested_zip"].score == 100.0


def test_outputs_are_written(batch):
    _, outdir, manifest = batch
    raw = (outdir / "gradebook.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # Excel opens UTF-8 with a BOM without mojibake
    book = gradebook(outdir)
    assert list(book.columns[:9]) == ["student_id", "name", "score", "max", "softmax", "ema", "optimizers",
                                      "dropout", "derivation"]
    lines = (outdir / "results.jsonl").read_text(encoding="utf-8").splitlines()
    assert len(lines) == len(book)
    assert (outdir / "summary.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    students = book[book.student_id.notna() & (book.status != "missing")]
    feedback = list((outdir / "feedback").glob("*.md"))
    assert len(feedback) == len(students)  # rejected students learn why, too
    bomb = next(e for e in manifest["entries"] if e["kind"] == "zip_bomb")
    assert "zip bomb" in next(f for f in feedback if f.name.startswith(bomb["student_id"] + "_")).read_text()
    two_attempts = book[book.attempts == 2]
    assert len(two_attempts) >= 1 and two_attempts.message.str.contains("other attempts").all()


def test_scores_equal_grading_each_submission_alone(batch, download, tmp_path):
    archive, _ = download
    _, outdir, manifest = batch
    rows = {r.file: r for r in gradebook(outdir).itertuples()}
    picks = {}
    for e in manifest["entries"]:
        if e["expect"] == "graded" and e["kind"] not in picks:
            picks[e["kind"]] = e["entry"]
    with zipfile.ZipFile(archive) as zf:
        for kind, entry in list(picks.items())[:4]:
            target = tmp_path / entry.split("_", 3)[-1]
            target.write_bytes(zf.read(entry))
            alone = grade_submission("hw03", target, device="cpu")
            assert alone.score == pytest.approx(rows[entry].score, abs=0.01), kind
            target.unlink()


def test_sigkill_then_resume_gives_identical_results(batch, download, tmp_path):
    archive, _ = download
    _, clean_out, _ = batch
    outdir = tmp_path / "out"
    proc = subprocess.Popen(GRADE + ["batch", "hw03", str(archive), "-o", str(outdir), "--workers", "2"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline and len(list((outdir / ".cache").glob("*.json"))) < 4:
        time.sleep(0.2)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    cached = len(list((outdir / ".cache").glob("*.json")))
    assert 4 <= cached < 20 and not (outdir / "gradebook.csv").exists()
    resumed = subprocess.run(GRADE + ["batch", "hw03", str(archive), "-o", str(outdir), "--resume"],
                             capture_output=True, text=True, timeout=600)
    assert resumed.returncode == 0, resumed.stderr
    assert "from cache" in resumed.stdout
    columns = ["student_id", "name", "score", "status", "file", "attempts"]
    clean = gradebook(clean_out)
    again, clean = gradebook(outdir)[columns], clean[clean.status != "missing"][columns]
    assert again.equals(clean)
    assert not again.duplicated(["file"]).any()


def test_newest_attempt_is_graded_and_older_ones_listed():
    units = [Unit("wanglei_12345_100001_hw03.zip", "dl", {"a": b"1"}), Unit("wanglei_12345_100002_hw03.zip", "dl", {"a": b"2"}),
             Unit("lina_LATE_22222_100003_hw03.zip", "dl", {"a": b"3"})]
    plan = make_plan(units, [], "auto")
    assert plan.layout == "canvas"
    chosen = {p.identity.student_id: p for p in plan.graded}
    assert chosen["12345"].unit.entry == "wanglei_12345_100002_hw03.zip"
    assert [u.entry for u in chosen["12345"].superseded] == ["wanglei_12345_100001_hw03.zip"]
    assert chosen["22222"].identity.late


def test_a_hostile_entry_in_the_download_is_rejected_alone(tmp_path):
    download = tmp_path / "dl.zip"
    with zipfile.ZipFile(download, "w") as zf:
        zf.writestr("../../escape_12345_hw03.py", "x = 1")
        zf.writestr("zhangsan_2023001234_hw03.py", "x = 1")
        zf.writestr("__MACOSX/._zhangsan_2023001234_hw03.py", "junk")
    units, rejected = collect([download])
    assert [u.entry for u in units] == ["zhangsan_2023001234_hw03.py"]
    assert len(rejected) == 1 and "outside the archive" in rejected[0].reason
    assert not (tmp_path.parent / "escape_12345_hw03.py").exists()


def test_moodle_folders_and_blackboard_receipts_are_recognised(tmp_path):
    moodle = tmp_path / "moodle.zip"
    with zipfile.ZipFile(moodle, "w") as zf:
        for name in ("softmax.py", "ema.py"):
            zf.writestr(f"Zhang San_123456_assignsubmission_file_/{name}", "x = 1")
        zf.writestr("Li Si_123457_assignsubmission_file_/hw03.zip", b"PK")
    units, rejected = collect([moodle])
    plan = make_plan(units, rejected, "auto")
    assert plan.layout == "moodle" and not plan.rejected
    zhang = next(p for p in plan.graded if p.identity.student_id == "123456")
    assert zhang.unit.is_folder and set(zhang.unit.files) == {"softmax.py", "ema.py"}
    board = [Unit("HW03_zs001_attempt_2024-03-01-12-30-45_hw03.zip", "dl", {"a": b"1"}),
             Unit("HW03_zs001_attempt_2024-03-01-12-30-45.txt", "dl", {"b": b"receipt"}),
             Unit("HW03_zs001_attempt_2024-03-02-08-00-00_hw03.zip", "dl", {"a": b"2"})]
    plan = make_plan(board, [], "auto")
    assert plan.layout == "blackboard" and len(plan.receipts) == 1
    assert plan.graded[0].unit.entry.startswith("HW03_zs001_attempt_2024-03-02") and len(plan.graded[0].superseded) == 1


def test_roster_with_chinese_headers(tmp_path):
    from graders.core.batch.pipeline import read_roster

    roster = tmp_path / "roster.csv"
    roster.write_text("学号,姓名\n2023001234,张三\n2023001299,李四\n", encoding="utf-8-sig")
    assert read_roster(roster) == {"2023001234": "张三", "2023001299": "李四"}
