"""The notebook template a bundle ships (`hw03.ipynb`): the stubs as code cells tagged by file.

Why: the course hands in notebooks. Each stub becomes one code cell tagged
`file:NAME.py` (notebook_files.py assigns cells by that tag), each markdown file
(derivation.md) one markdown cell, and a last cell checks the notebook from
inside Jupyter with `graders.check` (under `if __name__ == "__main__":`, so
grading never runs it).
"""
from __future__ import annotations

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from graders.core.spec import Spec

CHECK_CELL = '''if __name__ == "__main__":  # save the notebook first: check() grades the saved file
    from graders import check

    check()  # or one part: check("{part}")
'''


def _intro(spec: Spec) -> str:
    return (f"# {spec.id} — {spec.title}\n\n"
            "Fill in the code cells (keep each function's name and signature) and the answer blocks. "
            "Each code cell is tagged with the file it stands for; a broken cell costs only that file's part.\n\n"
            "Check your work from here: save the notebook, then run the last cell "
            "(`from graders import check; check(\"part\")`).")


def template_notebook(spec: Spec) -> str:
    """The notebook text (nbformat 4) for `spec`, built from the stubs in its exercises folder."""
    cells = [new_markdown_cell(_intro(spec))]
    for name in spec.files:
        path = spec.exercises_dir / name
        if not path.is_file():
            continue
        text = path.read_text(encoding="utf-8")
        if name.endswith(".py"):
            cells += [new_markdown_cell(f"## {name}"), new_code_cell(text, metadata={"tags": [f"file:{name}"]})]
        else:
            cells.append(new_markdown_cell(text, metadata={"tags": [f"file:{name}"]}))
    first = spec.parts[0].name if spec.parts else ""
    cells.append(new_code_cell(CHECK_CELL.format(part=first), metadata={"tags": ["check"]}))
    notebook = new_notebook(cells=cells, metadata={"kernelspec": {"name": "python3", "display_name": "Python 3",
                                                                  "language": "python"}})
    return nbformat.writes(notebook)
