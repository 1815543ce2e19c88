"""graders.core.notebook_files: a notebook split into the assignment's files, cell by cell (issue 15)."""
from __future__ import annotations

import json
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from graders.core.grader import Grader
from graders.core.notebook_files import locate, owners, read_cells, split_notebook
from graders.core.spec import load_assignment
from graders.core.submission import load_submission

SPEC = load_assignment("hw03")
NOTEBOOK = SPEC.samples_dir / "notebook" / "hw03.ipynb"
STUBS = {"a.py": frozenset({"f"}), "b.py": frozenset({"g", "G"})}


def cells_of(*cells):
    return read_cells(nbformat.reads(nbformat.writes(new_notebook(cells=list(cells))), as_version=4))[0]


def test_cells_go_to_the_file_whose_names_they_define_or_their_tag():
    by_name, tagged, shared = cells_of(new_code_cell("def f(): return 1"), new_code_cell("h = 2"),
                                       new_code_cell("import torch"))
    tagged = cells_of(new_code_cell("h = 2", metadata={"tags": ["file:b.py"]}))[0]
    assert owners(by_name, STUBS) == {"a.py"} and owners(tagged, STUBS) == {"b.py"} and owners(shared, STUBS) == set()


def test_a_file_takes_names_from_the_others_by_name_never_through_all():
    cells = cells_of(new_code_cell("__all__ = ['f']"), new_code_cell("def f(): return g() + 1"),
                     new_code_cell("def g(): return 41"))
    files, _origins, _notes = split_notebook(cells, STUBS)
    a = files["a.py"].decode()
    assert "__all__" in a and "def g" not in a and "[('b', ['g'])]" in a and "import *" not in a


def test_a_top_level_demo_cell_is_left_out_with_a_note():
    cells = cells_of(new_code_cell("def f(): return 1"), new_code_cell("print(f())"),
                     new_code_cell("if __name__ == '__main__':\n    print(f())"))
    files, _origins, notes = split_notebook(cells, STUBS)
    assert "print(f())\n" not in files["a.py"].decode().split("__main__")[0]
    assert [str(n)[:42] for n in notes] == ["notebook cell 2 runs code at the top level"]


def test_a_line_of_a_generated_file_is_named_by_its_cell_and_line():
    cells = cells_of(new_markdown_cell("# title"), new_code_cell("import torch"), new_code_cell("x = 1\ndef f():\n    y"))
    _files, origins, _notes = split_notebook(cells, STUBS)
    assert origins["a.py"] == ((2, 2, 1), (4, 3, 3))
    assert locate("a.py:6", origins) == "notebook cell 3, line 3"
    assert locate("other.py:6", origins) == "other.py:6"


@pytest.fixture(scope="module")
def grader():
    with Grader() as g:
        yield g


def _variant(tmp_path: Path, name: str, change) -> Path:
    nb = json.loads(NOTEBOOK.read_text(encoding="utf-8"))
    change(nb["cells"])
    path = tmp_path / name
    path.write_text(json.dumps(nb), encoding="utf-8")
    return path


def _break_optimizers(cells):
    cell = next(c for c in cells if "class Adam" in "".join(c["source"]))
    cell["source"] = "undefined_name\n" + "".join(cell["source"])


def test_a_broken_optimizer_cell_costs_the_optimizers_part_only_and_names_the_cell(grader, tmp_path):
    report = grader.grade("hw03", _variant(tmp_path, "hw03.ipynb", _break_optimizers), device="cpu")
    parts = report.parts()
    assert parts["optimizers"][0] == 0
    assert all(got == top for part, (got, top) in parts.items() if part != "optimizers")
    errors = [t.message for t in report.tests if t.part == "optimizers" and t.status == "error"]
    assert errors and "raised NameError at notebook cell 8, line 1: name 'undefined_name' is not defined" in errors[0]
    assert "_submission.py" not in " ".join(errors)


def test_a_notebooks_own_all_hides_nothing(grader, tmp_path):
    def add_all(cells):
        cells.insert(3, new_code_cell("__all__ = ['softmax']"))
    report = grader.grade("hw03", _variant(tmp_path, "hw03.ipynb", add_all), device="cpu")
    assert report.score == 100.0


def test_a_single_py_with_all_hides_nothing(grader, tmp_path):
    source = "__all__ = ['softmax']\n" + "\n\n".join(
        (SPEC.reference_dir / f).read_text(encoding="utf-8") for f in SPEC.files if f.endswith(".py"))
    (tmp_path / "hw03.py").write_text(source, encoding="utf-8")
    sub = load_submission(tmp_path / "hw03.py", SPEC)
    report = grader.grade("hw03", sub, device="cpu")
    assert all(t.status == "passed" for t in report.tests if t.part != "derivation"), report.tests
