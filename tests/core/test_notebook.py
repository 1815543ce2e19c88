"""graders.core.notebook: notebooks become one module plus markdown answers."""
from __future__ import annotations

import ast

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from graders.core.notebook import notebook_to_module, read_notebook
from graders.errors import SubmissionError


def nb_bytes(*cells) -> bytes:
    return nbformat.writes(new_notebook(cells=list(cells))).encode("utf-8")


def convert(*cells):
    return notebook_to_module(read_notebook(nb_bytes(*cells), "hw03.ipynb"))


def test_code_cells_are_concatenated_in_order():
    code, _, notes = convert(new_code_cell("def f():\n    return 1"), new_code_cell("x = f()"))
    assert notes == []
    assert code.index("def f()") < code.index("x = f()")
    assert "# --- cell 1 ---" in code and "# --- cell 2 ---" in code
    namespace: dict = {}
    exec(compile(code, "nb", "exec"), namespace)  # noqa: S102 - test-only, trusted text
    assert namespace["x"] == 1


def test_shell_and_line_magics_are_neutralised():
    code, _, notes = convert(new_code_cell("!pip install x\n%matplotlib inline\ny = 2"))
    assert notes == []
    ast.parse(code)
    assert "y = 2" in code
    lines = code.splitlines()
    assert "!pip install x" not in lines and "%matplotlib inline" not in lines


def test_indented_magic_inside_if_keeps_the_block_valid():
    code, _, notes = convert(new_code_cell("if True:\n    %matplotlib inline\n    z = 3"))
    assert notes == []
    ast.parse(code)
    assert "z = 3" in code


def test_bash_cell_is_skipped_with_a_note():
    code, _, notes = convert(new_code_cell("a = 1"), new_code_cell("%%bash\nrm -rf /"))
    assert "rm -rf" not in code
    assert notes == ["notebook cell 2 is not Python (cell magic); it was skipped"]


def test_timing_cell_magic_is_kept_as_python():
    code, _, notes = convert(new_code_cell("%%time\nw = 4"))
    assert notes == []
    assert "w = 4" in code and "%%time" not in code


def test_cell_with_syntax_error_is_skipped_with_a_note_naming_cell_and_line():
    code, _, notes = convert(new_code_cell("ok = 1"), new_markdown_cell("text"),
                             new_code_cell("a = 1\ndef broken(:\n    pass"))
    assert "broken" not in code and "ok = 1" in code
    assert len(notes) == 1
    assert notes[0].startswith("notebook cell 3 has a syntax error (line 2:")
    assert notes[0].endswith("it was skipped")


def test_markdown_cells_are_joined():
    _, markdown, _ = convert(new_markdown_cell("# Q1\nanswer one"), new_code_cell("x = 1"),
                             new_markdown_cell("answer two"))
    assert markdown == "# Q1\nanswer one\n\nanswer two"


def test_invalid_json_is_not_a_valid_notebook():
    with pytest.raises(SubmissionError) as err:
        read_notebook(b"{not json", "hw03.ipynb")
    assert "hw03.ipynb is not a valid notebook" in str(err.value)


def test_non_utf8_bytes_are_refused():
    with pytest.raises(SubmissionError, match="hw03.ipynb is not UTF-8 text"):
        read_notebook('{"cells": "作业"}'.encode("gbk"), "hw03.ipynb")


def test_utf8_bom_is_accepted():
    nb = read_notebook(b"\xef\xbb\xbf" + nb_bytes(new_code_cell("x = 1")), "hw03.ipynb")
    assert nb.cells[0].source == "x = 1"


@pytest.mark.parametrize("data", [b"[]", b"{}", b'{"cells": 5}',
                                  b'{"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": [{"cell_type": "code"}]}'])
def test_json_that_is_not_a_notebook_is_refused(data):
    with pytest.raises(SubmissionError, match="hw03.ipynb is not a valid notebook"):
        read_notebook(data, "hw03.ipynb")


def test_a_notebook_nested_thousands_deep_is_rejected_with_a_message_not_a_traceback():
    from graders.core.notebook import read_notebook
    from graders.errors import SubmissionError

    data = b'{"cells": ' + b"[" * 100000 + b"]" * 100000 + b"}"
    with pytest.raises(SubmissionError, match="nested too deeply"):
        read_notebook(data, "hw03.ipynb")
