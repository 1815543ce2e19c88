"""The benchmark anchors' inputs stay equivalent to hw03: the corpus conversion, and checks that
pass on the reference solution and catch the mistakes the public suite catches.

The tools themselves (Otter-Grader, nbgrader) are opt-in and not installed here; this only tests
what bench/anchors feeds them. The code executed is the repository's own reference and samples.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

from anchors import corpus, nbgrader_tool, otter_tool  # noqa: E402
from anchors.checks import CHECKS, PART_POINTS  # noqa: E402


def _entry(kind: str, sample: str | None, expect: str = "graded", name: str = "li", uid: str = "1") -> dict:
    return {"kind": kind, "sample": sample, "expect": expect, "name": name, "student_id": uid}


def _failed(code: dict[str, str]) -> set[str]:
    """Run the notebook's code cells in one namespace (as a kernel would), then every check."""
    ns: dict = {"__name__": "__main__"}
    for name in corpus.CODE_FILES:
        exec(compile(code[name], name, "exec"), ns)  # repository code only: reference and samples
    failed = set()
    for check in CHECKS:
        scope: dict = {}
        exec(check.function(), scope)
        try:
            scope["check"](ns)
        except AssertionError:
            failed.add(check.name)
    return failed


def test_checks_share_the_points_of_the_four_code_parts():
    assert sum(c.points for c in CHECKS) == sum(PART_POINTS.values()) == 80
    assert len({c.name for c in CHECKS}) == len(CHECKS) == 12


def test_reference_passes_every_check():
    code = {f: (ROOT / "reference" / "hw03" / f).read_text() for f in corpus.CODE_FILES}
    assert _failed(code) == set()


@pytest.mark.parametrize("sample, failed", [
    ("correct", set()),
    ("notebook", set()),
    ("mistake_adagrad_abs_grad", {"one_step_AdaGrad"}),
    ("mistake_adam_no_bias_correction", {"one_step_Adam"}),
    ("mistake_softmax_backward_drops_term", {"softmax_backward_of_uniform"}),
    ("mistake_dropout_scale_by_keep", {"kept_values_are_scaled"}),
    ("mistake_dropout_scales_in_eval", {"eval_mode_returns_input"}),
])
def test_checks_catch_what_the_public_suite_catches(sample, failed):
    sub = corpus.from_manifest({"entries": [_entry("buggy", sample)]})[0]
    assert _failed(sub.code) == failed


def test_corpus_keeps_one_notebook_per_student_and_marks_rejected_entries_unreadable():
    manifest = {"entries": [
        _entry("buggy", "mistake_ema_no_first_step", "superseded", "li", "1"),
        _entry("correct", "notebook", "graded", "li", "1"),
        _entry("syntax_error", "correct", "graded", "wang", "2"),
        _entry("zip_bomb", None, "rejected", "zhao", "3"),
    ]}
    subs = {s.student: s for s in corpus.from_manifest(manifest)}
    assert sorted(subs) == ["li_1", "wang_2", "zhao_3"]
    assert not any(ln.lstrip().startswith(("!", "%")) for ln in subs["li_1"].code["softmax.py"].splitlines())
    assert "def softmax(x, dim=-1)\n" in subs["wang_2"].code["softmax.py"]
    assert subs["zhao_3"].code is None and corpus.student_notebook(subs["zhao_3"]) == corpus.UNREADABLE
    with pytest.raises(json.JSONDecodeError):
        json.loads(corpus.UNREADABLE)
    nb = json.loads(corpus.student_notebook(subs["li_1"]))
    assert [c["cell_type"] for c in nb["cells"]].count("code") == 4 and nb["nbformat"] == 4


def test_otter_test_files_and_nbgrader_source_compile_with_all_checks():
    for part in PART_POINTS:
        source = otter_tool.test_file(part)
        compile(source, f"{part}.py", "exec")
        assert "OK_FORMAT = False" in source and source.count("@test_case(") == sum(c.part == part for c in CHECKS)
    nb = nbgrader_tool.source_notebook()
    graded = [c for c in nb["cells"] if c["metadata"].get("nbgrader", {}).get("grade")]
    assert len(graded) == len(CHECKS) and sum(c["metadata"]["nbgrader"]["points"] for c in graded) == 80
    for cell in graded:
        compile(cell["source"], cell["id"], "exec")
