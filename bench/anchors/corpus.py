"""The anchors' view of a make_batch corpus: one notebook's worth of code per student.

bench/make_batch.py writes a Canvas download (zips, folders, notebooks, broken files). Otter-Grader
and nbgrader take one notebook per student, so each student's newest entry becomes the code of the
four hw03 files it holds (read back from the sample it was built from, with the same edits), and an
entry `grade` rejects without running anything (truncated zip, bad notebook, zip slip, zip bomb,
rar, README only) becomes an unreadable notebook, each tool's cheapest failure. Superseded attempts
are left out, as both tools keep one submission per student.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "submissions" / "hw03"
CODE_FILES = ("softmax.py", "ema.py", "optimizers.py", "dropout.py")
_HEADING = re.compile(r"^##\s+(\w+\.py)\s*$", re.M)


@dataclass(frozen=True)
class Submission:
    """One student's notebook content: code per hw03 file, or None for an unreadable submission."""

    student: str
    kind: str
    code: dict[str, str] | None
    derivation: str = ""


def _sample_code(sample: str) -> tuple[dict[str, str], str]:
    """The four code files and derivation.md of a sample folder (or of the notebook sample)."""
    if sample == "notebook":
        return _notebook_code(SAMPLES / "notebook" / "hw03.ipynb")
    folder = SAMPLES / ("correct" if sample == "zipped" else sample)
    return {f: (folder / f).read_text() for f in CODE_FILES}, (folder / "derivation.md").read_text()


def _notebook_code(path: Path) -> tuple[dict[str, str], str]:
    """Code cells grouped under their `## file.py` heading; shell/magic lines dropped (neither tool
    should spend the benchmark on `!pip install torch`); other cells join the last file's code."""
    code: dict[str, list[str]] = {f: [] for f in CODE_FILES}
    markdown, current = [], CODE_FILES[0]
    for cell in json.loads(path.read_text())["cells"]:
        source = "".join(cell["source"])
        if cell["cell_type"] == "markdown":
            heading = _HEADING.search(source)
            current = heading.group(1) if heading and heading.group(1) in code else current
            markdown.append(source)
        elif cell["cell_type"] == "code":
            lines = [ln for ln in source.splitlines() if not ln.lstrip().startswith(("!", "%"))]
            if any(ln.strip() for ln in lines):
                code[current].append("\n".join(lines))
    return {f: "\n\n".join(parts) + "\n" for f, parts in code.items()}, "\n\n".join(markdown)


def _entry_code(entry: dict) -> dict[str, str] | None:
    if entry["expect"] == "rejected":
        return None
    code, _ = _sample_code(entry["sample"])
    if entry["kind"] == "syntax_error":  # the same edit make_batch makes
        code = dict(code, **{"softmax.py": code["softmax.py"].replace(
            "def softmax(x, dim=-1):", "def softmax(x, dim=-1)", 1)})
    return code


def student_id(entry: dict) -> str:
    """A filesystem- and nbgrader-safe id: Canvas name and user id."""
    return f"{entry['name']}_{entry['student_id']}"


def from_manifest(manifest: dict) -> list[Submission]:
    """One Submission per student: the newest non-superseded entry of each."""
    out = []
    for entry in manifest["entries"]:
        if entry["expect"] == "superseded":
            continue
        code = _entry_code(entry)
        derivation = "" if code is None else _sample_code(entry["sample"])[1]
        out.append(Submission(student_id(entry), entry["kind"], code, derivation))
    ids = [s.student for s in out]
    assert len(ids) == len(set(ids)), "two graded entries for one student"
    return sorted(out, key=lambda s: s.student)


UNREADABLE = b'{"cells": [{"cell_type": "code", "source": ["import torch\\n'  # a truncated notebook


def new_notebook(cells: list[dict]) -> dict:
    """An nbformat 4.5 notebook with a Python 3 kernel spec."""
    for i, cell in enumerate(cells):
        cell.setdefault("id", f"cell-{i}")
        cell.setdefault("metadata", {})
        if cell["cell_type"] == "code":
            cell.setdefault("outputs", [])
            cell.setdefault("execution_count", None)
    return {"cells": cells, "nbformat": 4, "nbformat_minor": 5,
            "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"},
                         "language_info": {"name": "python"}}}


def markdown(text: str, **extra) -> dict:
    """A markdown cell."""
    return {"cell_type": "markdown", "source": text, **extra}


def code_cell(text: str, **extra) -> dict:
    """A code cell."""
    return {"cell_type": "code", "source": text, **extra}


def student_notebook(sub: Submission) -> bytes:
    """The submission as the notebook a student would hand in: a code cell per file, the derivation
    as markdown; an unreadable submission as a truncated notebook."""
    if sub.code is None:
        return UNREADABLE
    cells = [markdown("# hw03 — softmax backprop, EMA, optimizer steps, dropout scaling")]
    for name in CODE_FILES:
        cells += [markdown(f"## {name}"), code_cell(sub.code[name])]
    cells.append(markdown(sub.derivation))
    return (json.dumps(new_notebook(cells), indent=1, ensure_ascii=False) + "\n").encode()
