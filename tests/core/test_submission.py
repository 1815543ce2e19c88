"""graders.core.submission.load_submission on the real hw03 spec and sample submissions."""
from __future__ import annotations

import ast
import shutil

import pytest

from graders.core.spec import load_assignment
from graders.core.submission import COMBINED_MODULE, load_submission
from graders.errors import SubmissionError

SPEC = load_assignment("hw03")
REFERENCE = SPEC.reference_dir
SAMPLES = SPEC.samples_dir


def test_reference_folder_loads_every_expected_file():
    sub = load_submission(REFERENCE, SPEC)
    assert sub.kind == "folder"
    assert set(SPEC.files) <= set(sub.files)
    assert sub.files["softmax.py"] == (REFERENCE / "softmax.py").read_bytes()
    assert not any(n.startswith("missing file") for n in sub.notes)
    assert set(sub.sources) == {f for f in sub.files if f.endswith(".py")}
    assert sub.markdown == (REFERENCE / "derivation.md").read_text(encoding="utf-8")


def test_folder_with_files_nested_one_level_down_is_flattened(tmp_path):
    inner = tmp_path / "my_hw03"
    inner.mkdir()
    for name in SPEC.files:
        shutil.copy(REFERENCE / name, inner / name)
    (tmp_path / "README.txt").write_text("notes")
    sub = load_submission(tmp_path, SPEC)
    assert sub.kind == "folder"
    assert set(SPEC.files) <= set(sub.files)
    assert not any("/" in name for name in sub.files)


def test_single_expected_file_loads_only_that_file_and_notes_the_rest(tmp_path):
    path = tmp_path / "softmax.py"
    shutil.copy(REFERENCE / "softmax.py", path)
    sub = load_submission(path, SPEC)
    assert sub.kind == "py"
    assert list(sub.files) == ["softmax.py"]
    assert list(sub.notes) == [f"missing file: {f}" for f in SPEC.files if f != "softmax.py"]


def test_single_combined_python_file_gets_shims_for_every_module(tmp_path):
    combined = "\n\n".join((REFERENCE / f).read_text(encoding="utf-8") for f in SPEC.files if f.endswith(".py"))
    path = tmp_path / "hw03.py"
    path.write_text(combined, encoding="utf-8")
    sub = load_submission(path, SPEC)
    assert sub.kind == "py"
    assert sub.files[COMBINED_MODULE] == combined.encode()
    assert sub.files["softmax.py"].startswith(b"from _submission import AdaGrad, Adam,")
    assert b"import *" not in sub.files["softmax.py"]  # a submission's own __all__ must not hide names (issue 15)
    for name in SPEC.files:
        if name.endswith(".py"):
            assert sub.files[name] == sub.files["softmax.py"]
    assert list(sub.notes) == ["missing file: derivation.md"]


def test_sample_notebook_becomes_one_module_per_file_with_markdown_answers():
    sub = load_submission(SAMPLES / "notebook" / "hw03.ipynb", SPEC)
    assert sub.kind == "notebook"
    assert COMBINED_MODULE not in sub.files
    for name in ("softmax.py", "ema.py", "optimizers.py", "dropout.py"):
        ast.parse(sub.files[name].decode())
    assert b"def softmax(" in sub.files["softmax.py"] and b"class Adam" not in sub.files["softmax.py"]
    assert "derivation.md" in sub.files and sub.markdown.strip()


def test_folder_holding_only_a_notebook_is_loaded_as_a_notebook():
    sub = load_submission(SAMPLES / "notebook", SPEC)
    assert sub.kind == "notebook"
    assert b"class Adam" in sub.files["optimizers.py"]


def test_sample_zip_is_loaded_without_macos_junk():
    sub = load_submission(SAMPLES / "zipped" / "hw03.zip", SPEC)
    assert sub.kind == "zip"
    assert set(sub.files) == set(SPEC.files)
    assert not any("__MACOSX" in n or n.startswith("._") or "DS_Store" in n for n in sub.files)
    assert sub.notes == ()


def test_missing_path_is_refused(tmp_path):
    missing = tmp_path / "nope"
    with pytest.raises(SubmissionError) as err:
        load_submission(missing, SPEC)
    assert str(err.value) == f"no such file or folder: {missing}"


def test_rar_archive_is_refused_asking_for_a_zip(tmp_path):
    path = tmp_path / "hw03.rar"
    path.write_bytes(b"Rar!\x1a\x07\x00")
    with pytest.raises(SubmissionError) as err:
        load_submission(path, SPEC)
    assert str(err.value) == "hw03.rar: .rar archives are not accepted; resubmit as a .zip"


def test_unknown_file_type_is_refused(tmp_path):
    path = tmp_path / "hw03.docx"
    path.write_bytes(b"PK")
    with pytest.raises(SubmissionError, match=r"expected a folder, \.py, \.zip or \.ipynb"):
        load_submission(path, SPEC)


def test_folder_without_expected_files_is_refused(tmp_path):
    (tmp_path / "notes.txt").write_text("hello")
    (tmp_path / "main.md").write_text("hello")
    with pytest.raises(SubmissionError, match="holds none of the expected files"):
        load_submission(tmp_path, SPEC)


def test_bad_zip_is_refused(tmp_path):
    path = tmp_path / "hw03.zip"
    path.write_bytes(b"not a zip")
    with pytest.raises(SubmissionError, match="not a readable zip"):
        load_submission(path, SPEC)
