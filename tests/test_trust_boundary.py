"""The trusted parent never deserialises or evaluates anything in a way that can run code.

Scans the source of graders/ token by token (comments and strings are not
looked at) for pickle-like modules and eval-like calls.
"""
from __future__ import annotations

import io
import tokenize
from pathlib import Path

GRADERS = Path(__file__).resolve().parents[1] / "graders"
FORBIDDEN_MODULES = {"pickle", "cPickle", "dill", "cloudpickle", "marshal", "shelve"}
FORBIDDEN_CALLS = {"eval", "exec", "sympify", "parse_expr"}


def _hits(source: str) -> list[tuple[int, str]]:
    tokens = [t for t in tokenize.generate_tokens(io.StringIO(source).readline)
              if t.type not in (tokenize.COMMENT, tokenize.NL, tokenize.NEWLINE, tokenize.INDENT, tokenize.DEDENT)]
    hits = []
    for i, tok in enumerate(tokens):
        if tok.type != tokenize.NAME:
            continue
        prev = tokens[i - 1].string if i else ""
        nxt = tokens[i + 1].string if i + 1 < len(tokens) else ""
        if tok.string in FORBIDDEN_MODULES:
            hits.append((tok.start[0], tok.string))
        elif tok.string in FORBIDDEN_CALLS and nxt == "(" and prev not in (".", "def"):
            hits.append((tok.start[0], tok.string + "("))  # a bare builtin/imported call
        elif tok.string in FORBIDDEN_CALLS and prev == "import":
            hits.append((tok.start[0], "import " + tok.string))
        elif tok.string in {"sympify", "parse_expr"} and nxt == "(":
            hits.append((tok.start[0], tok.string + "("))  # sympy.sympify(...) too
    return hits


def test_scanner_catches_what_it_should():
    assert _hits("import pickle\n") == [(1, "pickle")]
    assert _hits("x = eval(s)\n") == [(1, "eval(")]
    assert _hits("exec(code)\n") == [(1, "exec(")]
    assert _hits("from sympy import sympify\n") == [(1, "import sympify")]
    assert _hits("sympy.sympify(text)\n") == [(1, "sympify(")]
    assert _hits("from sympy.parsing.sympy_parser import parse_expr\ny = parse_expr(t)\n") == [
        (1, "import parse_expr"), (2, "parse_expr(")]


def test_scanner_ignores_comments_strings_and_safe_lookalikes():
    source = (
        '"""no pickle, no eval(), no torch.load"""\n'
        "# never use pickle or exec(...)\n"
        "spec.loader.exec_module(module)\n"
        "model.eval()\n"
        "label = 'Dropout(0.3).eval()(x)'\n"
    )
    assert _hits(source) == []


def test_graders_source_uses_no_pickle_or_eval():
    found = []
    for path in sorted(GRADERS.rglob("*.py")):
        for line, what in _hits(path.read_text(encoding="utf-8")):
            found.append(f"{path.relative_to(GRADERS.parent)}:{line}: {what}")
    assert found == [], "unsafe deserialisation/evaluation in the trusted code:\n" + "\n".join(found)
