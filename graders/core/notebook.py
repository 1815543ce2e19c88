"""Jupyter notebooks as submissions: code cells become one module, markdown cells the answers."""
from __future__ import annotations

import ast
import io
import json
from typing import TYPE_CHECKING

from graders.errors import SubmissionError
from graders.i18n import _

if TYPE_CHECKING:
    import nbformat

_PASSTHROUGH_CELL_MAGICS = ("%%time", "%%timeit", "%%capture")


def read_notebook(data: bytes, name: str) -> nbformat.NotebookNode:
    """Parse notebook bytes, or SubmissionError saying what is wrong."""
    import nbformat  # here: nbformat and jsonschema take a noticeable share of a cold `grade HW` of a folder

    try:
        return nbformat.read(io.StringIO(data.decode("utf-8-sig")), as_version=4)
    except UnicodeDecodeError as exc:
        raise SubmissionError(_("{name} is not UTF-8 text ({error}); save the notebook again from Jupyter").format(
            name=name, error=exc)) from exc
    except (json.JSONDecodeError, nbformat.reader.NotJSONError) as exc:
        raise SubmissionError(_("{name} is not a valid notebook (not JSON: {error}); save it again from Jupyter").format(
            name=name, error=exc)) from exc
    except (nbformat.ValidationError, KeyError, TypeError, AttributeError) as exc:
        raise SubmissionError(_("{name} is not a valid notebook ({error}); save it again from Jupyter").format(
            name=name, error=exc)) from exc
    except (RecursionError, MemoryError) as exc:  # JSON nested thousands deep: no notebook looks like that
        raise SubmissionError(_("{name} is not a valid notebook (nested too deeply to read); save it again from "
                                "Jupyter").format(name=name)) from exc


def _strip_shell_and_magics(source: str) -> str | None:
    """Drop `!cmd` and `%magic` lines; None for cells that are not Python (e.g. %%bash)."""
    lines = source.splitlines()
    first = lines[0].strip() if lines else ""
    if first.startswith("%%"):
        if not first.startswith(_PASSTHROUGH_CELL_MAGICS):
            return None
        lines = lines[1:]
    kept = [_neutralise(line) if line.lstrip().startswith(("!", "%")) else line for line in lines]
    return "\n".join(kept)


def _neutralise(line: str) -> str:
    """A shell or magic line becomes `pass`, at the same indentation so its block stays valid."""
    indent = line[: len(line) - len(line.lstrip())]
    return f"{indent}pass  # {line.strip()}"


def notebook_to_module(nb: nbformat.NotebookNode) -> tuple[str, str, list[str]]:
    """(python source of the code cells, markdown of the markdown cells, notes)."""
    code, markdown, notes = [], [], []
    for index, cell in enumerate(nb.cells, start=1):
        if cell.cell_type == "markdown":
            markdown.append(cell.source)
        elif cell.cell_type == "code":
            source = _strip_shell_and_magics(cell.source)
            if source is None:
                notes.append(_("notebook cell {index} is not Python (cell magic); it was skipped").format(index=index))
                continue
            try:
                ast.parse(source)
            except SyntaxError as exc:
                notes.append(_("notebook cell {index} has a syntax error (line {line}: {error}); it was skipped").format(
                    index=index, line=exc.lineno, error=exc.msg))
                continue
            code.append(f"# --- cell {index} ---\n{source}\n")
    return "\n".join(code), "\n\n".join(markdown), notes
