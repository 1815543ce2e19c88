"""Write the copies of the similarity corpus from its independent solutions (run once; output committed).

Each copy applies what copiers do (renaming, reordering, comment and docstring
rewrites, dead code, a notebook); `manifest.json` lists the copy groups. The
split/merge copy (peggy) is written by hand and only listed here.
Run: python tests/data/similarity/make_copies.py
"""
from __future__ import annotations

import ast
import io
import json
import re
import tokenize
from pathlib import Path

import nbformat

HERE = Path(__file__).parent / "hw03"
FILES = ("softmax.py", "ema.py", "dropout.py")


def rename(source: str, mapping: dict[str, str], attributes: bool = True) -> str:
    """Rename identifiers (not inside strings; attribute names too unless `attributes` is False)."""
    out: list[tokenize.TokenInfo] = []
    for tok in tokenize.generate_tokens(io.StringIO(source).readline):
        after_dot = bool(out) and out[-1].string == "."
        if tok.type == tokenize.NAME and (attributes or not after_dot):
            tok = tok._replace(string=mapping.get(tok.string, tok.string))
        out.append(tok)
    return tokenize.untokenize(out)


def strip_comments(source: str) -> str:
    """Drop comments and docstrings, add other comments."""
    tree = ast.parse(source)
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        if isinstance(body, list) and body and isinstance(body[0], ast.Expr) \
                and isinstance(body[0].value, ast.Constant) and isinstance(body[0].value.value, str):
            body[0] = ast.Pass() if len(body) == 1 else body[0]
            if len(body) > 1:
                del body[0]
    text = ast.unparse(tree)
    return re.sub(r"^(\s*)def (\w+)", r"\1# my own version of \2\n\1def \2", text, flags=re.M)


def reorder(source: str) -> str:
    """Top-level definitions in reverse order (imports stay first)."""
    tree = ast.parse(source)
    lines = source.splitlines()
    head = [n for n in tree.body if isinstance(n, (ast.Import, ast.ImportFrom))]
    rest = [n for n in tree.body if n not in head]
    seg = lambda n: "\n".join(lines[(n.decorator_list[0].lineno if getattr(n, "decorator_list", None) else n.lineno) - 1:n.end_lineno])
    return "\n".join(seg(n) for n in head) + "\n\n\n" + "\n\n\n".join(seg(n) for n in reversed(rest)) + "\n"


DEAD = "_debug = [k * 2 for k in range(3)]"
HELPER = "\n\ndef _unused_helper(a, b):\n    total = 0\n    for k in range(a):\n        total += b\n    return total\n"


def dead_code(source: str, statement: str = DEAD, helper: str = HELPER) -> str:
    """An unused statement at the start of every function, and an unused helper."""
    text = re.sub(r"^(\s*)def (\w+)\((.*)\):\n", lambda m: f"{m[0]}{m[1]}    {statement}\n", source, flags=re.M)
    return text + helper


def write(name: str, files: dict[str, str]) -> None:
    folder = HERE / name
    folder.mkdir(exist_ok=True)
    for file, text in files.items():
        (folder / file).write_text(text)


def read(name: str) -> dict[str, str]:
    return {f: (HERE / name / f).read_text() for f in FILES}


def notebook(sources: dict[str, str], markdown: str) -> str:
    """One code cell per top-level definition, files interleaved; the derivation in a markdown cell."""
    cells = [nbformat.v4.new_markdown_cell("# hw03")]
    for file in reversed(FILES):
        tree = ast.parse(sources[file])
        for node in tree.body:
            cells.append(nbformat.v4.new_code_cell(ast.get_source_segment(sources[file], node)))
    cells.append(nbformat.v4.new_markdown_cell(markdown))
    return nbformat.writes(nbformat.v4.new_notebook(cells=cells))


def main() -> None:
    alice = read("alice_2023000001_hw03")
    names = {"shifted": "z", "e": "ex", "inner": "s", "probs": "p", "onehot": "oh", "keep": "mask", "out": "res",
             "_check": "_validate", "v": "acc", "n": "batch"}
    mallory = {f: strip_comments(rename(t, names)) for f, t in alice.items()}
    mallory["derivation.md"] = (HERE / "alice_2023000001_hw03" / "derivation.md").read_text().replace(" ", "  ")
    write("mallory_2023000011_hw03", mallory)
    write("victor_2023000016_hw03", {f: dead_code(reorder(t)) for f, t in alice.items()})
    bob = read("bob_2023000002_hw03")
    write("niaj_2023000012_hw03", {f: strip_comments(reorder(t)) for f, t in bob.items()})
    carol = read("carol_2023000003_hw03")
    cnames = {"m": "mx", "num": "numer", "den": "denom", "state": "running", "outs": "history", "survivors": "alive",
              "scale": "factor", "_Averager": "_EMA", "_Softmax": "_SM"}
    write("oscar_2023000013_hw03", {f: dead_code(rename(t, cnames)) for f, t in carol.items()})
    erin = read("erin_2023000005_hw03")
    enames = {"z": "t", "acc": "history", "raw": "unnorm", "w": "weights", "assert_beta": "check_beta"}
    md = (HERE / "erin_2023000005_hw03" / "derivation.md").read_text()
    (HERE / "trent_2023000015_hw03.ipynb").write_text(notebook({f: rename(t, enames) for f, t in erin.items()}, md))
    groups = [["alice_2023000001_hw03", "mallory_2023000011_hw03", "victor_2023000016_hw03"],
              ["bob_2023000002_hw03", "niaj_2023000012_hw03"], ["carol_2023000003_hw03", "oscar_2023000013_hw03"],
              ["dave_2023000004_hw03", "peggy_2023000014_hw03"], ["erin_2023000005_hw03", "trent_2023000015_hw03.ipynb"]]
    manifest = {"copy_groups": groups, "independent": ["frank_2023000006_hw03 (the reference solution)"],
                "transforms": {"mallory": "alice renamed, comments and docstrings rewritten, derivation respaced",
                               "victor": "alice reordered, dead code", "niaj": "bob reordered, comments rewritten",
                               "oscar": "carol renamed, dead code", "peggy": "dave split and merged by hand, renamed",
                               "trent": "erin renamed, as a notebook, cells reordered across files"}}
    (HERE.parent / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n")


if __name__ == "__main__":
    main()
