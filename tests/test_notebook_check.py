"""`from graders import check; check("softmax")` inside a notebook, and the bundle's notebook template (issue 15)."""
from __future__ import annotations

import shutil
from pathlib import Path

import nbformat
import pytest

from graders.core.notebook_cells import cell_sources, cells_notebook
from graders.core.notebook_check import CheckResult, check
from graders.core.notebook_template import template_notebook
from graders.core.report import Report
from graders.core.report import TestResult as Result
from graders.core.spec import load_assignment
from graders.core.submission import load_submission
from graders.errors import GradersError
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


CELLS_CHECK = '''from graders import check
n = max(k for k, src in enumerate(In) if "def softmax(" in src and "check(" not in src)
by_text = check("softmax", cells=["import numpy as np\\ndef softmax(x):\\n    return np.zeros_like(x)\\n"])
print("by_text", by_text.score)
try:
    check("softmax", cells=[n + 50])
except Exception as e:
    print("unknown count:", type(e).__name__, e)
by_count = check("softmax", cells=[n])
by_count'''


def test_check_of_cells_grades_only_those_cells_in_a_headless_notebook(tmp_path, monkeypatch):
    """cells=[n] grades In[n] of the running kernel; cells=["..."] grades that text; the saved file is not read."""
    nbclient = pytest.importorskip("nbclient", reason="nbclient and ipykernel are test extras")
    pytest.importorskip("ipykernel")
    bundle = make_bundle(tmp_path / "bundle")
    shutil.rmtree(bundle / ".venv")
    nb = nbformat.reads(template_notebook(SPEC), as_version=4)  # every stub as it is: the saved file fails softmax
    reference = (ROOT / "reference" / "hw03" / "softmax.py").read_text(encoding="utf-8")
    nb.cells[-1:] = [nbformat.v4.new_code_cell(reference), nbformat.v4.new_code_cell(CELLS_CHECK)]
    path = bundle / "hw03.ipynb"
    path.write_text(nbformat.writes(nb), encoding="utf-8")
    monkeypatch.setenv("GRADERS_COURSE", str(tmp_path / "no-course"))
    client = nbclient.NotebookClient(nb, timeout=180, kernel_name="python3",
                                     resources={"metadata": {"path": str(bundle)}})
    client.execute()
    outputs = nb.cells[-1].outputs
    text = "".join(o.get("text", "") for o in outputs if o.get("output_type") == "stream")
    page = next(o["data"]["text/html"] for o in outputs if "text/html" in o.get("data", {}))
    assert "hw03 · softmax · 25 / 25" in page and "failed" not in page
    assert "graded only the cells given: In [" in page and "missing file" not in page
    assert "by_text (0" in text
    assert "unknown count: GradersError no cell In [" in text


def test_cell_sources_pass_text_through_and_read_counts_from_the_history():
    history = ["", "import numpy as np", "def softmax(x):\n    return x", ""]
    assert cell_sources(["a = 1", 2, 1], history) == ["a = 1", "def softmax(x):\n    return x", "import numpy as np"]


@pytest.mark.parametrize("count", [0, 3, 4, -1])
def test_a_count_the_kernel_has_not_run_or_that_is_empty_is_named(count):
    with pytest.raises(GradersError, match=rf"no cell In \[{count}\] in this kernel"):
        cell_sources([count], ["", "a = 1", "b = 2", "   "])


def test_a_count_outside_a_kernel_asks_for_the_source():
    with pytest.raises(GradersError, match="no kernel runs here; pass the cell's source as a string"):
        cell_sources([3])


@pytest.mark.parametrize("cells", ["def softmax(x): ...", [], [True], [1.5], [b"x = 1"], {"a": 1}, 3, [None]])
def test_cells_of_the_wrong_kind_are_refused_clearly(cells):
    with pytest.raises(GradersError):
        cell_sources(cells, ["", "x = 1"])


def test_too_many_cells_are_refused():
    with pytest.raises(GradersError, match="too many cells"):
        cell_sources(["x = 1"] * 201)


def test_cells_become_code_cells_and_answer_blocks_markdown_cells():
    nb = nbformat.reads(cells_notebook(["def f():\n    return 1", "Derivation:\n```derivation softmax_jacobian\n"
                                        "= y_i\n```", "```answer softmax_jacobian\ny_i\n```"]), as_version=4)
    assert [c.cell_type for c in nb.cells] == ["code", "markdown", "markdown"]
    assert nb.cells[0].source == "def f():\n    return 1"


def test_check_of_text_cells_outside_a_kernel_grades_them(tmp_path, monkeypatch):
    """No notebook, no kernel: cells given as text with assignment= are graded from the bundle here."""
    bundle = make_bundle(tmp_path / "bundle")
    shutil.rmtree(bundle / ".venv")
    monkeypatch.setenv("GRADERS_COURSE", str(tmp_path / "no-course"))
    monkeypatch.chdir(bundle)
    reference = (ROOT / "reference" / "hw03" / "softmax.py").read_text(encoding="utf-8")
    result = check("softmax", assignment="hw03", cells=[reference])
    assert result.score == pytest.approx((25, 25), abs=1e-3)
    assert result.report.notes[0] == "graded only the cells given: a cell given as text"
    assert not any("missing file" in n for n in result.report.notes)
    with pytest.raises(GradersError, match="no part 'nope'"):
        check("nope", assignment="hw03", cells=[reference])
