"""Load a submission (folder, .py, .zip, .ipynb) into one normalised, in-memory form.

The rest of the engine sees only `Submission.files`: the student's modules by
name and the markdown holding answer blocks, whatever shape was handed in.
"""
from __future__ import annotations

import ast
from dataclasses import dataclass, field, replace
from pathlib import Path, PurePosixPath

from graders.core.archive import JUNK_PARTS, read_zip
from graders.core.notebook import read_notebook
from graders.core.notebook_files import (Origins, defined_names, locate, read_cells, split_notebook, student_source,
                                         stub_names)
from graders.core.spec import Spec
from graders.errors import SubmissionError
from graders.i18n import _

COMBINED_MODULE = "_submission.py"
MAX_FILE_BYTES = 2 * 2**20
KEPT_SUFFIXES = (".py", ".md", ".txt", ".ipynb", ".zip")


@dataclass(frozen=True)
class Submission:
    """What a student handed in, normalised: file name -> bytes, plus loader notes."""

    id: str
    kind: str  # folder | py | zip | notebook
    files: dict[str, bytes]
    notes: tuple[str, ...] = ()
    sources: dict[str, str] = field(default_factory=dict)  # python source per file, for static rules
    origins: Origins = field(default_factory=dict)  # a notebook's files: which cell each line came from

    def locate(self, where: str) -> str:
        """A worker's 'file:line' as the student wrote it: 'notebook cell 8, line 3' for a notebook."""
        return locate(where, self.origins) if self.origins else where

    @property
    def markdown(self) -> str:
        """All answer text: derivation.md, else the notebook's markdown cells."""
        return self.files.get("derivation.md", b"").decode("utf-8", errors="replace")

    def write_to(self, folder: Path) -> None:
        """Materialise the files in a scratch folder for a worker."""
        for name, data in self.files.items():
            (folder / name).write_bytes(data)


def _read_tree(root: Path) -> dict[str, bytes]:
    files = {}
    for path in sorted(root.rglob("*")):
        rel = path.relative_to(root)
        if path.is_symlink() or not path.is_file() or any(p in JUNK_PARTS for p in rel.parts):
            continue
        if path.suffix in KEPT_SUFFIXES and len(rel.parts) <= 4 and path.stat().st_size <= MAX_FILE_BYTES:
            files[rel.as_posix()] = path.read_bytes()
    return files


def _best_folder(tree: dict[str, bytes], spec: Spec) -> str:
    """The folder of the tree that holds the most expected files (handles a nested top folder)."""
    wanted = set(spec.files) | ({spec.notebook} if spec.notebook else set())
    folders: dict[str, int] = {}
    for name in tree:
        path = PurePosixPath(name)
        folder = str(path.parent)
        folders[folder] = folders.get(folder, 0) + (path.name in wanted) * 10 + (path.suffix == ".ipynb")
    if not folders:
        return "."
    return max(sorted(folders, key=lambda f: (f.count("/"), f)), key=lambda f: folders[f])


def _flatten(tree: dict[str, bytes], folder: str) -> dict[str, bytes]:
    prefix = "" if folder == "." else folder + "/"
    return {name[len(prefix):]: data for name, data in tree.items()
            if name.startswith(prefix) and "/" not in name[len(prefix):]}


SHIM = b"from _submission import *  # generated: the submission is one module\n"


def shim(source: str) -> bytes:
    """A file re-exporting the one module's names by name: the submission's own `__all__` hides none."""
    try:
        names = sorted(n for n in defined_names(ast.parse(source)) if not n.startswith("__"))
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return SHIM  # the import reports the syntax error
    if not names:
        return SHIM
    return f"from _submission import {', '.join(names)}  # generated: the submission is one module\n".encode()


def _combined(spec: Spec, source: str, markdown: str) -> dict[str, bytes]:
    """One module serving every expected file through shims."""
    files = {COMBINED_MODULE: source.encode()}
    for name in spec.files:
        if name.endswith(".py"):
            files[name] = shim(source)
    if markdown:
        files["derivation.md"] = markdown.encode()
    return files


def _from_notebook(spec: Spec, data: bytes, name: str) -> tuple[dict[str, bytes], list[str], Origins]:
    """One generated module per expected file (notebook_files.py), the markdown cells as derivation.md."""
    cells, markdown, notes = read_cells(read_notebook(data, name))
    stubs = stub_names(spec.exercises_dir, spec.files)
    if set(stubs) != {f for f in spec.files if f.endswith(".py")}:  # no stub to tell the files apart
        source = "\n".join(f"# --- notebook cell {c.index} ---\n{c.source}\n" for c in cells)
        return _combined(spec, source, "\n\n".join(markdown)), list(notes), {}
    files, origins, more = split_notebook(cells, stubs)
    if markdown:
        files["derivation.md"] = "\n\n".join(markdown).encode()
    return files, list(notes) + more, origins


MAX_NESTING = 3


Loaded = tuple[str, dict[str, bytes], list[str], Origins]  # kind, files, notes, a notebook's line origins


def _nested_zip(spec: Spec, tree: dict[str, bytes], depth: int) -> Loaded | None:
    """A submission that is a zip inside the zip (`hw03_final.zip`), to a bounded depth."""
    wanted = set(spec.files) | {spec.notebook}
    if any(PurePosixPath(n).name in wanted or n.endswith(".ipynb") for n in tree):
        return None
    inner = sorted(n for n in tree if n.endswith(".zip"))
    if not inner:
        return None
    if depth >= MAX_NESTING:
        raise SubmissionError(_("zips nested more than {depth} deep; submit one zip of your files").format(depth=MAX_NESTING))
    kind, files, notes, origins = _from_tree(spec, read_zip(tree[inner[-1]]), depth + 1)
    return kind, files, notes + [_("graded the files inside {name}").format(name=inner[-1])], origins


def _from_tree(spec: Spec, tree: dict[str, bytes], depth: int = 0) -> Loaded:
    nested = _nested_zip(spec, tree, depth)
    if nested:
        return nested
    files = _flatten(tree, _best_folder(tree, spec))
    expected_py = [f for f in spec.files if f.endswith(".py")]
    notebooks = sorted(f for f in files if f.endswith(".ipynb"))
    if notebooks and not any(f in files for f in expected_py):
        chosen = spec.notebook if spec.notebook in notebooks else notebooks[0]
        nb_files, notes, origins = _from_notebook(spec, files[chosen], chosen)
        return "notebook", nb_files, notes, origins
    return "folder", {k: v for k, v in files.items() if not k.endswith((".ipynb", ".zip"))}, [], {}


def _python_sources(files: dict[str, bytes]) -> dict[str, str]:
    return {n: d.decode("utf-8", errors="replace") for n, d in files.items() if n.endswith(".py")}


def load_submission(path: str | Path, spec: Spec) -> Submission:
    """Read a folder, a .py, a .zip or a .ipynb; SubmissionError when it cannot be read."""
    path = Path(path)
    if not path.exists():
        raise SubmissionError(_("no such file or folder: {path}").format(path=path))
    notes: list[str] = []
    origins: Origins = {}
    if path.is_dir():
        kind, files, notes, origins = _from_tree(spec, _read_tree(path))
    elif path.suffix == ".zip":
        _kind, files, notes, origins = _from_tree(spec, read_zip(path.read_bytes()))
        kind = "zip"
    elif path.suffix == ".ipynb":
        kind, (files, notes, origins) = "notebook", _from_notebook(spec, path.read_bytes(), path.name)
    elif path.suffix == ".py":
        kind, files = "py", _single_python(spec, path)
    elif path.suffix in (".rar", ".7z", ".tar", ".gz", ".tgz"):
        raise SubmissionError(_("{name}: {suffix} archives are not accepted; resubmit as a .zip").format(
            name=path.name, suffix=path.suffix))
    else:
        raise SubmissionError(_("{name}: expected a folder, .py, .zip or .ipynb").format(name=path.name))
    loaded = _finish(path, kind, files, notes, spec)
    if not origins:
        return loaded
    sources = {n: student_source(d) for n, d in files.items() if n.endswith(".py")}
    return replace(loaded, origins=origins, sources=sources)


def _single_python(spec: Spec, path: Path) -> dict[str, bytes]:
    data = path.read_bytes()
    if path.name in spec.files:
        return {path.name: data}
    return _combined(spec, data.decode("utf-8", errors="replace"), "")


def _finish(path: Path, kind: str, files: dict[str, bytes], notes: list[str], spec: Spec) -> Submission:
    missing = [f for f in spec.files if f not in files]
    if len(missing) == len(spec.files):
        raise SubmissionError(_("{name} holds none of the expected files ({files})").format(
            name=path.name, files=", ".join(spec.files)))
    notes += [_("missing file: {name}").format(name=name) for name in missing]
    return Submission(id=str(path), kind=kind, files=files, notes=tuple(notes), sources=_python_sources(files))
