"""`from graders import check; check("softmax")`: grade the running notebook from inside Jupyter.

Why: a student working in a notebook should not need a terminal. check() grades
the notebook's saved file (the same way `grade` does: sandboxed worker, public
checks in a bundle), or only the cells given (`cells=[...]`: sources or execution
counts, notebook_cells.py), keeps the tests of the part asked for, and returns a
CheckResult that Jupyter shows as an HTML table (`_repr_html_`, every text escaped).
"""
from __future__ import annotations

import html
import os
import tempfile
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Sequence

from graders.core.formats._common import detail, num, points, score_text, short_name, status_label
from graders.core.notebook_cells import cell_sources, cells_notebook, describe
from graders.core.report import Report
from graders.errors import GradersError
from graders.i18n import Renderer, _

if TYPE_CHECKING:
    from graders.core.spec import Spec

MISSING_FILE = "missing file: {name}"  # the msgid of submission._finish's note: the cells given leave files out


@dataclass(frozen=True)
class CheckResult:
    """The report of one check() and the part it was asked for ("" for all parts)."""

    report: Report
    part: str = ""
    lang: str = "en"

    @property
    def tests(self) -> list:
        return [t for t in self.report.tests if not self.part or t.part == self.part]

    @property
    def score(self) -> tuple[float, float]:
        """(points, maximum) of the part checked (of everything when no part was asked for)."""
        return sum(t.score for t in self.tests), sum(t.max_score for t in self.tests)

    def _repr_html_(self) -> str:
        tr = Renderer(self.lang)
        esc = html.escape
        got, top = self.score
        part = self.part or tr(_("all parts"))
        head = f"<p><b>{esc(self.report.assignment)} · {esc(part)} · {num(got)} / {num(top)}</b>"
        lines = [head + (f" — {esc(score_text(self.report, tr))}" if self.report.unchecked else "") + "</p>"]
        lines += [f"<p>{esc(tr(n))}</p>" for n in self.report.notes]
        if self.report.status != "graded":
            lines.append(f"<p><b>{esc(status_label(self.report.status, tr))}</b>: {esc(tr(self.report.message))}</p>")
        rows = "".join(f"<tr><td>{esc(short_name(t))}</td><td>{esc(status_label(t.status, tr))}</td>"
                       f"<td>{points(t)}</td><td><pre>{esc(detail(t, tr))}</pre></td></tr>" for t in self.tests)
        header = "".join(f"<th>{esc(tr(h))}</th>" for h in (_("test"), _("status"), _("points"), _("message")))
        return "\n".join(lines) + f"<table><tr>{header}</tr>{rows}</table>"

    def __repr__(self) -> str:
        got, top = self.score
        return f"<CheckResult {self.report.assignment} {self.part or 'all parts'}: {num(got)} / {num(top)}>"


def running_notebook(folder: Path | None = None) -> Path:
    """The notebook this kernel runs: Jupyter's JPY_SESSION_NAME, VS Code's __vsc_ipynb_file__, else the one .ipynb here."""
    for candidate in (os.environ.get("JPY_SESSION_NAME", ""), _vscode_notebook()):
        if candidate.endswith(".ipynb") and Path(candidate).is_file():
            return Path(candidate)
    here = sorted((folder or Path.cwd()).glob("*.ipynb"))
    if len(here) == 1:
        return here[0]
    raise GradersError(_("cannot tell which notebook to check ({count} .ipynb files here); pass it: "
                         "check(\"part\", notebook=\"hw03.ipynb\")").format(count=len(here)))


def _vscode_notebook() -> str:
    try:
        from IPython import get_ipython  # only inside a kernel
    except ImportError:
        return ""
    shell = get_ipython()
    return str(shell.user_ns.get("__vsc_ipynb_file__", "")) if shell is not None else ""


def check(part: str = "", notebook: str | Path | None = None, assignment: str | None = None,
          lang: str = "en", cells: Sequence[str | int] | None = None) -> CheckResult:
    """Grade the saved notebook (or `notebook`) and show `part` (every part when empty); save the notebook first.

    `cells`: grade only these cells as the submission: their sources (strings) or their
    execution counts (integers, the n of In [n], read from the running kernel).
    """
    from graders.core.spec import load_assignment

    sources = cell_sources(cells) if cells is not None else None
    if sources is not None and assignment is not None and notebook is None:
        path = Path.cwd()  # no notebook file needed: the assignment's bundle is looked for from here
    else:
        path = Path(notebook) if notebook is not None else running_notebook()
    spec = load_assignment(assignment or _assignment_of(path), near=path)
    if part and part not in {p.name for p in spec.parts}:
        raise GradersError(_("{assignment} has no part {part} (its parts: {parts})").format(
            assignment=spec.id, part=repr(part), parts=", ".join(p.name for p in spec.parts)))
    if sources is None:
        return CheckResult(_graded(spec, path), part, lang)
    return CheckResult(_graded_cells(spec, list(cells or ()), sources), part, lang)


def _graded(spec: Spec, submission: Path) -> Report:
    """The report on one submission, graded on the CPU as `grade` would."""
    from graders.core.grader import Grader

    with Grader() as grader:
        return grader.grade(spec, submission, device="cpu")


def _graded_cells(spec: Spec, cells: list[str | int], sources: list[str]) -> Report:
    """The report on a notebook of these cells alone; the files they leave out are not noted as missing."""
    with tempfile.TemporaryDirectory(prefix="graders-cells-") as folder:
        path = Path(folder) / (spec.notebook or f"{spec.id}.ipynb")
        path.write_text(cells_notebook(sources), encoding="utf-8")
        report = _graded(spec, path)
    kept = tuple(n for n in report.notes if getattr(n, "msgid", "") != MISSING_FILE)
    note = _("graded only the cells given: {cells}").format(cells=describe(cells))
    return replace(report, submission=str(describe(cells)), notes=(note, *kept))


def _assignment_of(path: Path) -> str:
    """The assignment a notebook belongs to: the bundle around it whose notebook has this name, or the only one."""
    from graders.core.course import found_bundles
    from graders.core.spec import load_assignment

    found = found_bundles(near=path)
    named = [a for a, folder in found.items() if load_assignment(a, near=folder).notebook == path.name]
    if len(named) == 1 or len(found) == 1:
        return (named or list(found))[0]
    stem = path.stem.split("_")[0]
    return stem  # hw03.ipynb, hw03_zhang.ipynb in a course checkout: load_assignment names what is unknown
