"""The cells `check(part, cells=[...])` grades: sources as given, or execution counts read from the kernel's history.

Why: a student trying one part should not have to save the notebook nor have the rest
of it graded. The cells given become a notebook of their own (code cells, and markdown
cells for the fenced ```answer / ```derivation blocks), loaded exactly as a submitted
notebook is; an execution count `n` is the source of `In[n]` in the running kernel.
"""
from __future__ import annotations

import re
from typing import Any, Sequence

import nbformat

from graders.errors import GradersError
from graders.i18n import Message, _

MAX_CELLS = 200
MARKDOWN_BLOCK = re.compile(r"^[ \t]*```[ \t]*(answer|derivation)\b", re.MULTILINE)


def cell_sources(cells: Any, history: Sequence[str] | None = None) -> list[str]:
    """Each cell's source: a string as given, an integer n as In[n] of `history` (else the running kernel's)."""
    if isinstance(cells, (str, bytes)) or not isinstance(cells, (list, tuple)):
        raise GradersError(_("cells must be a list of cell sources (strings) or execution counts (integers), "
                             "like cells=[3, 5]"))
    if not cells:
        raise GradersError(_("cells is empty: give the sources or the execution counts of the cells to check"))
    if len(cells) > MAX_CELLS:
        raise GradersError(_("too many cells ({count}, at most {limit})").format(count=len(cells), limit=MAX_CELLS))
    out = []
    for cell in cells:
        if isinstance(cell, bool) or not isinstance(cell, (str, int)):
            raise GradersError(_("a cell is its source (a string) or its execution count (an integer), "
                                 "not {kind}").format(kind=type(cell).__name__))
        if isinstance(cell, int) and history is None:
            history = kernel_history(cell)
        out.append(cell if isinstance(cell, str) else _history_cell(cell, history or []))
    return out


def kernel_history(count: int) -> Sequence[str]:
    """The running kernel's input history (raw, as typed: magics stay magics); GradersError outside a kernel."""
    shell = None
    try:
        from IPython import get_ipython  # only inside a kernel
        shell = get_ipython()
    except ImportError:
        pass
    if shell is None:
        raise GradersError(_("cell {count}: an execution count is read from the running notebook kernel's "
                             "In history, and no kernel runs here; pass the cell's source as a string").format(
            count=count))
    raw = getattr(getattr(shell, "history_manager", None), "input_hist_raw", None)
    history = raw if isinstance(raw, list) else shell.user_ns.get("In")
    return history if isinstance(history, list) else []


def _history_cell(count: int, history: Sequence[str]) -> str:
    """In[count]; GradersError for a count the kernel has not run (or that holds nothing)."""
    last = len(history) - 1
    if not 1 <= count <= last or not isinstance(history[count], str) or not history[count].strip():
        raise GradersError(_("no cell In [{count}] in this kernel (execution counts run so far: 1 to {last}); "
                             "the count is the number in In [ ] left of the cell").format(
            count=count, last=max(last, 0)))
    return history[count]


def cells_notebook(sources: Sequence[str]) -> str:
    """A notebook of the cells: a source holding a fenced answer/derivation block is markdown, any other code."""
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell(s) if MARKDOWN_BLOCK.search(s) else nbformat.v4.new_code_cell(s)
                for s in sources]
    return nbformat.writes(nb)


def describe(cells: Sequence[str | int]) -> Message:
    """The cells as the note names them: In [3], In [5], a cell given as text."""
    return Message.joined(", ", [f"In [{c}]" if isinstance(c, int) else _("a cell given as text") for c in cells])
