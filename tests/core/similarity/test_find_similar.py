"""find_similar end to end on small generated batches: discounts, archives, hostile names and code, outputs."""
from __future__ import annotations

import csv
import io
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from graders.cli import main
from graders.core.similarity import find_similar
from graders.errors import GradersError

CORPUS = Path(__file__).resolve().parents[2] / "data" / "similarity" / "hw03"
STUBS = Path(__file__).resolve().parents[3] / "exercises" / "hw03"
COMMON = '''
def ema(values, beta=0.9):
    out = []
    for t, y in enumerate(values):
        out.append(y if t == 0 else beta * out[-1] + (1 - beta) * y)
    return torch.tensor(out)
'''


def _unique(i: int) -> str:
    """A different, fairly long function per student (attribute names survive normalisation)."""
    lines = [f"    a{k} = values[{k}] + values.m{i}_{k}()" for k in range(6)]
    return f"\ndef ema_bias_corrected(values, beta=0.9):\n" + "\n".join(lines) + f"\n    return torch.stack([a0] * {i})\n"


def _write(folder: Path, name: str, files: dict[str, str]) -> None:
    (folder / name).mkdir(parents=True)
    for file, text in files.items():
        (folder / name / file).write_text(text)


def _rows(outdir: Path) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO((outdir / "similarity.csv").read_text(encoding="utf-8-sig"))))


def test_the_formula_most_of_the_cohort_writes_is_not_evidence(tmp_path):
    for i in range(10):
        _write(tmp_path / "in", f"s{i}_202300{i:04d}_hw03", {"ema.py": "import torch\n" + COMMON + _unique(i)})
    _write(tmp_path / "in", "copier_2023009999_hw03", {"ema.py": "import torch\n" + _unique(4) + COMMON})
    result = find_similar("hw03", [tmp_path / "in"], tmp_path / "out", all_pairs=True)
    assert result.submissions == 11
    assert [(f.a.key, f.b.key) for f in result.flagged] == [("2023000004", "2023009999")]
    assert sorted(float(r["score"]) for r in _rows(tmp_path / "out"))[-2] < 0.2


def test_starter_code_handed_in_unchanged_is_not_evidence(tmp_path):
    for i in range(3):
        shutil.copytree(STUBS, tmp_path / "in" / f"s{i}_202300{i:04d}_hw03", ignore=shutil.ignore_patterns("locale"))
    result = find_similar("hw03", [tmp_path / "in"], tmp_path / "out", all_pairs=True)
    assert [r.score for r in result.rows] == [0.0, 0.0, 0.0]


def test_a_copy_from_an_earlier_cohort_is_found_and_old_pairs_are_not_scored(tmp_path):
    shutil.copytree(CORPUS / "bob_2023000002_hw03", tmp_path / "old" / "bob_2022000002_hw03")
    shutil.copytree(CORPUS / "carol_2023000003_hw03", tmp_path / "old" / "carol_2022000003_hw03")
    shutil.copytree(CORPUS / "niaj_2023000012_hw03", tmp_path / "new" / "niaj_2023000012_hw03")
    shutil.copytree(CORPUS / "dave_2023000004_hw03", tmp_path / "new" / "dave_2023000004_hw03")
    result = find_similar("hw03", [tmp_path / "new"], tmp_path / "out", against=tmp_path / "old", all_pairs=True)
    assert [(f.a.key, f.b.key) for f in result.flagged] == [("2023000012", "archive:2022000002")]
    assert result.scored == 5 and result.archived == 2


def test_hostile_names_and_code_cannot_run_in_the_spreadsheet_or_the_page(tmp_path):
    code = "import torch\n" + COMMON.replace("return", "# </pre><script>alert(1)</script>\n    return") + _unique(3)
    for name in ("=HYPERLINK(evil)_2023000001_hw03", "@SUM(A1)_2023000002_hw03"):
        _write(tmp_path / "in", name, {"ema.py": code})
    result = find_similar("hw03", [tmp_path / "in"], tmp_path / "out")
    row, = _rows(tmp_path / "out")
    assert (row["name_a"], row["name_b"]) == ("'=HYPERLINK evil", "'@SUM A1")
    page = (tmp_path / "out" / result.flagged[0].view).read_text()
    assert "<script" not in page and "&lt;script&gt;" in page
    assert "http" not in page.replace('http-equiv="Content-Security-Policy"', "")
    assert 'class="ln hit"' in page


def test_broken_code_is_compared_as_far_as_it_reads(tmp_path):
    _write(tmp_path / "in", "a_2023000001_hw03", {"ema.py": "def ema(:\n  x = \x00 (((\n"})
    _write(tmp_path / "in", "b_2023000002_hw03", {"ema.py": "def ema(:\n  x = \x00 (((\n"})
    result = find_similar("hw03", [tmp_path / "in"], tmp_path / "out", all_pairs=True)
    assert result.submissions == 2 and result.skipped == ()


def test_a_batch_outdir_as_input_is_a_clear_error(tmp_path):
    (tmp_path / "batch" / ".cache").mkdir(parents=True)
    (tmp_path / "batch" / "gradebook.csv").write_text("")
    with pytest.raises(GradersError, match="keeps no submissions"):
        find_similar("hw03", [tmp_path / "batch"], tmp_path / "out")


def test_grade_similar_writes_the_csv_and_one_page_per_flagged_pair(tmp_path):
    args = ["similar", "hw03", str(CORPUS), "-o", str(tmp_path / "out")]
    result = CliRunner().invoke(main, args, catch_exceptions=False)
    assert result.exit_code == 0
    assert result.output.startswith("7 of 66 pairs flagged among 12 submissions in ")
    pages = sorted(p.name for p in (tmp_path / "out" / "similarity").iterdir())
    assert len(pages) == 8 and "index.html" in pages
    assert [r["view"] for r in _rows(tmp_path / "out")] == [f"similarity/{p}" for p in pages if p != "index.html"]


def test_grade_batch_offers_similarity():
    assert "--similarity" in CliRunner().invoke(main, ["batch", "--help"]).output
