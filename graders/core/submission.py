"""Load a submission (folder, .py, .zip, .ipynb) into one normalised, in-memory form.

The rest of the engine sees only `Submission.files`: the student's modules by
name and the markdown holding answer blocks, whatever shape was handed in.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from graders.core.archive import JUNK_PARTS, read_zip
from graders.core.notebook import notebook_to_module, read_notebook
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


def _combined(spec: Spec, source: str, markdown: str) -> dict[str, bytes]:
    """One module serving every expected file: shims re-export its names."""
    files = {COMBINED_MODULE: source.encode()}
    for name in spec.files:
        if name.endswith(".py"):
            files[name] = b"from _submission import *  # generated: the submission is one module\n"
    if markdown:
        files["derivation.md"] = markdown.encode()
    return files


def _from_notebook(spec: Spec, data: bytes, name: str) -> tuple[dict[str, bytes], list[str]]:
    source, markdown, notes = notebook_to_module(read_notebook(data, name))
    return _combined(spec, source, markdown), notes


MAX_NESTING = 3


def _nested_zip(spec: Spec, tree: dict[str, bytes], depth: int) -> tuple[str, dict[str, bytes], list[str]] | None:
    """A submission that is a zip inside the zip (`hw03_final.zip`), to a bounded depth."""
    wanted = set(spec.files) | {spec.notebook}
    if any(PurePosixPath(n).name in wanted or n.endswith(".ipynb") for n in tree):
        return None
    inner = sorted(n for n in tree if n.endswith(".zip"))
    if not inner:
        return None
    if depth >= MAX_NESTING:
        raise SubmissionError(_("zips nested more than {depth} deep; submit one zip of your files").format(depth=MAX_NESTING))
    kind, files, notes = _from_tree(spec, read_zip(tree[inner[-1]]), depth + 1)
    return kind, files, notes + [_("graded the files inside {name}").format(name=inner[-1])]


def _from_tree(spec: Spec, tree: dict[str, bytes], depth: int = 0) -> tuple[str, dict[str, bytes], list[str]]:
    nested = _nested_zip(spec, tree, depth)
    if nested:
        return nested
    files = _flatten(tree, _best_folder(tree, spec))
    expected_py = [f for f in spec.files if f.endswith(".py")]
    notebooks = sorted(f for f in files if f.endswith(".ipynb"))
    if notebooks and not any(f in files for f in expected_py):
        chosen = spec.notebook if spec.notebook in notebooks else notebooks[0]
        nb_files, notes = _from_notebook(spec, files[chosen], chosen)
        return "notebook", nb_files, notes
    return "folder", {k: v for k, v in files.items() if not k.endswith((".ipynb", ".zip"))}, []


def _python_sources(files: dict[str, bytes]) -> dict[str, str]:
    return {n: d.decode("utf-8", errors="replace") for n, d in files.items() if n.endswith(".py")}


def load_submission(path: str | Path, spec: Spec) -> Submission:
    """Read a folder, a .py, a .zip or a .ipynb; SubmissionError when it cannot be read."""
    path = Path(path)
    if not path.exists():
        raise SubmissionError(_("no such file or folder: {path}").format(path=path))
    notes: list[str] = []
    if path.is_dir():
        kind, files, notes = _from_tree(spec, _read_tree(path))
    elif path.suffix == ".zip":
        _kind, files, notes = _from_tree(spec, read_zip(path.read_bytes()))
        kind = "zip"
    elif path.suffix == ".ipynb":
        kind, (files, notes) = "notebook", _from_notebook(spec, path.read_bytes(), path.name)
    elif path.suffix == ".py":
        kind, files = "py", _single_python(spec, path)
    elif path.suffix in (".rar", ".7z", ".tar", ".gz", ".tgz"):
        raise SubmissionError(_("{name}: {suffix} archives are not accepted; resubmit as a .zip").format(
            name=path.name, suffix=path.suffix))
    else:
        raise SubmissionError(_("{name}: expected a folder, .py, .zip or .ipynb").format(name=path.name))
    return _finish(path, kind, files, notes, spec)


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
