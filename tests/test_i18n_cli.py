"""End to end: the locale or --lang picks the language of `grade` and of a batch's feedback."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

from graders.core.batch.api import grade_batch

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
    cached = [p.name for p in (out / ".cache").glob("*.json")]
    assert cached and all(name.endswith("-zh_CN.json") for name in cached)  # an English run regrades
