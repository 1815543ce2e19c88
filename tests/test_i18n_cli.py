"""End to end: the locale or --lang picks the language of `grade` and of a batch's feedback."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

from graders.core.batch.pipeline import grade_batch

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "submissions" / "hw03" / "mistake_softmax_backward_drops_term"
GRADE = [sys.executable, "-c", "from graders.cli import run; run()"]
ZH_HINT = "你漏掉了 -(grad_output * y).sum(dim) 这一项：dL/dx = y * (g - sum(g * y))"
EN_HINT = "you dropped the -(grad_output * y).sum(dim) term: dL/dx = y * (g - sum(g * y))"


def _grade(*args: str, lang_env: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("LC_ALL", "LC_MESSAGES", "LANGUAGE")} | {"LANG": lang_env}
    return subprocess.run(GRADE + ["hw03", str(SAMPLE), *args], capture_output=True, text=True, env=env, timeout=300)


def _backward(report: dict) -> dict:
    return next(t for t in report["tests"] if t["name"] == "softmax::backward_matches_reference")


def test_zh_cn_locale_prints_chinese_messages_and_hints():
    proc = _grade("--format", "json", lang_env="zh_CN.UTF-8")
    test = _backward(json.loads(proc.stdout))
    assert (test["status"], test["hint"]) == ("failed", ZH_HINT)
    assert test["message"].startswith("softmax_backward(y, grad_output)：误差最大的元素（位置 ")


def _stable(report: dict) -> dict:
    """A report without what changes from one run to the next (time, memory)."""
    return {k: v for k, v in report.items() if k not in ("duration_s", "environment")}


def test_an_english_json_report_renders_in_chinese_as_a_fresh_chinese_grade(tmp_path: Path):
    saved = tmp_path / "report.json"
    assert _grade("--format", "json", "--lang", "en", "-o", str(saved), lang_env="C.UTF-8").returncode == 0
    fresh = _grade("--format", "json", "--lang", "zh", lang_env="C.UTF-8").stdout
    again = subprocess.run(GRADE + ["render", str(saved), "--format", "json", "--lang", "zh"], capture_output=True,
                           text=True, timeout=300)
    assert _stable(json.loads(again.stdout)) == _stable(json.loads(fresh))
    assert _backward(json.loads(again.stdout))["hint"] == ZH_HINT
    text = subprocess.run(GRADE + ["render", str(saved), "--lang", "zh"], capture_output=True, text=True, timeout=300)
    assert "已批改" in text.stdout and ZH_HINT[:10] in text.stdout


def test_render_refuses_a_file_that_is_no_report(tmp_path: Path):
    bad = tmp_path / "x.json"
    bad.write_text("[1, 2", encoding="utf-8")
    proc = subprocess.run(GRADE + ["render", str(bad)], capture_output=True, text=True, timeout=300)
    assert proc.returncode == 2 and "is not a report written by `grade --format json`" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_lang_en_wins_over_a_chinese_locale():
    proc = _grade("--format", "json", "--lang", "en", lang_env="zh_CN.UTF-8")
    test = _backward(json.loads(proc.stdout))
    assert (test["status"], test["hint"]) == ("failed", EN_HINT)


def _zip_folder(folder: Path, target: Path) -> None:
    with zipfile.ZipFile(target, "w") as zf:
        for path in sorted(folder.iterdir()):
            if path.is_file() and path.name != "expect.toml":
                zf.write(path, path.name)


def test_batch_writes_feedback_and_summary_in_the_course_language(tmp_path: Path):
    inputs = tmp_path / "download"
    inputs.mkdir()
    _zip_folder(SAMPLE, inputs / "张三_2023001_hw03.zip")
    (inputs / "李四_2023002_hw03.rar").write_bytes(b"Rar!\x1a\x07\x00")
    out = tmp_path / "out"
    result = grade_batch("hw03", [inputs], out, workers=1, layout="flat", lang="zh")
    assert result.reconciled
    feedback = next((out / "feedback").glob("*.md")).read_text(encoding="utf-8")
    assert "**状态：** 已批改" in feedback and ZH_HINT in feedback
    assert (out / "gradebook.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    assert "张三" in (out / "gradebook.txt").read_text(encoding="utf-8")
    assert (out / "summary.md").read_text(encoding="utf-8").startswith("# 批改汇总 — hw03")
    again = grade_batch("hw03", [inputs], out, workers=1, layout="flat", lang="en")
    assert (again.graded_now, again.from_cache) == (0, result.graded_now)  # the cache holds messages as data: nothing regraded
    english = next((out / "feedback").glob("*.md")).read_text(encoding="utf-8")
    assert "**Status:** graded" in english and ZH_HINT not in english
    grade_batch("hw03", [inputs], out, workers=1, layout="flat", lang="zh")
    assert next((out / "feedback").glob("*.md")).read_text(encoding="utf-8") == feedback
