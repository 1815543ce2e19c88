"""`from graders import check; check("softmax")` inside a notebook, and the bundle's notebook template (issue 15)."""
from __future__ import annotations

import shutil
from pathlib import Path

import nbformat
import pytest

from graders.core.notebook_check import CheckResult
from graders.core.notebook_template import template_notebook
from graders.core.report import Report
from graders.core.report import TestResult as Result
from graders.core.spec import load_assignment
from graders.core.submission import load_submission
from tests.test_bundle_anywhere import make_bundle

ROOT = Path(__file__).resolve().parents[1]
SPEC = load_assignment("hw03")


def test_the_template_holds_every_stub_as_a_tagged_cell_and_grades_like_the_stubs():
    nb = nbformat.reads(template_notebook(SPEC), as_version=4)
    tags = [c.metadata.get("tags", []) for c in nb.cells]
    assert all([f"file:{f}"] in tags for f in SPEC.files)
    assert "```answer softmax_jacobian" in "".join(c.source for c in nb.cells if c.cell_type == "markdown")
    assert tags[-1] == ["check"] and 'if __name__ == "__main__":' in nb.cells[-1].source


def test_the_template_loads_as_one_file_per_stub_with_no_note(tmp_path):
    (tmp_path / "hw03.ipynb").write_text(template_notebook(SPEC), encoding="utf-8")
    sub = load_submission(tmp_path / "hw03.ipynb", SPEC)
    assert sub.notes == () and b"def softmax(" in sub.files["softmax.py"] and b"class Adam" in sub.files["optimizers.py"]


def test_the_html_table_escapes_student_text():
    test = Result(name="softmax::x", part="softmax", status="error", score=0, max_score=5,
                      message="raised <script>alert(1)</script>")
    report = Report(assignment="hw03", submission="nb", status="graded", score=0, max_score=5, duration_s=0,
                    tests=(test,), unchecked={"derivation": 20.0})
    page = CheckResult(report, "softmax")._repr_html_()
    assert "<script>" not in page and "&lt;script&gt;" in page
    assert "0 / 5" in page and "20 points (derivation) checked only at submission" in page


def _solved_notebook(folder: Path) -> Path:
    """The bundle's template with the reference softmax cell and a last cell calling check("softmax")."""
    nb = nbformat.reads(template_notebook(SPEC), as_version=4)
    for cell in nb.cells:
        if cell.metadata.get("tags") == ["file:softmax.py"]:
            cell.source = (ROOT / "reference" / "hw03" / "softmax.py").read_text(encoding="utf-8")
    nb.cells[-1].source = 'from graders import check\nresult = check("softmax")\nresult'
    path = folder / "hw03.ipynb"
    path.write_text(nbformat.writes(nb), encoding="utf-8")
    return path


def test_check_in_a_headless_notebook_grades_the_part_and_shows_a_table(tmp_path, monkeypatch):
    nbclient = pytest.importorskip("nbclient", reason="nbclient and ipykernel are test extras")
    pytest.importorskip("ipykernel")
    bundle = make_bundle(tmp_path / "bundle")
    shutil.rmtree(bundle / ".venv")
    path = _solved_notebook(bundle)
    monkeypatch.setenv("GRADERS_COURSE", str(tmp_path / "no-course"))  # a student's machine: the bundle only
    nb = nbformat.read(path, as_version=4)
    nbclient.NotebookClient(nb, timeout=120, kernel_name="python3", resources={"metadata": {"path": str(bundle)}}).execute()
    outputs = nb.cells[-1].outputs
    page = next(o["data"]["text/html"] for o in outputs if "text/html" in o.get("data", {}))
    assert "hw03 · softmax · 25 / 25" in page
    assert "stable_for_large_logits" in page and "passed" in page and "failed" not in page
    assert "20 points (derivation) checked only at submission" in page
