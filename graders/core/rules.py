"""Static rule checks on the student's source, done by the trusted parent with `ast`.

A rule names entry points (functions or classes) and forbidden dotted names
(fnmatch patterns such as `*.softmax` or `torch.optim.*`). The entry points and
every submission function they call are searched; code elsewhere (demos,
`if __name__ == "__main__":`) may use anything.
"""
from __future__ import annotations

import ast
import fnmatch
from dataclasses import dataclass
from functools import lru_cache

from graders.i18n import _


@dataclass(frozen=True)
class Violation:
    file: str
    line: int
    where: str
    name: str

    def describe(self) -> str:
        return _("{file}:{line} in {where}: uses {name}").format(file=self.file, line=self.line, where=self.where,
                                                                 name=self.name)


def _aliases(tree: ast.Module) -> dict[str, str]:
    """Local name -> dotted origin for every import in the module."""
    table: dict[str, str] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for a in node.names:
                table[a.asname or a.name.split(".")[0]] = a.name if a.asname else a.name.split(".")[0]
        elif isinstance(node, ast.ImportFrom) and node.module:
            for a in node.names:
                table[a.asname or a.name] = f"{node.module}.{a.name}"
    return table


def _dotted(node: ast.AST, aliases: dict[str, str]) -> str | None:
    parts = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if isinstance(node, ast.Name):
        parts.append(aliases.get(node.id, node.id))
    elif parts:
        parts.append("<expr>")  # e.g. x.exp().softmax(): still an attribute use
    else:
        return None
    return ".".join(reversed(parts))


def _definitions(trees: dict[str, ast.Module]) -> dict[str, tuple[str, ast.AST]]:
    defs: dict[str, tuple[str, ast.AST]] = {}
    for file, tree in trees.items():
        for node in tree.body:
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                defs.setdefault(node.name, (file, node))
    return defs


def _reachable(entry: tuple[str, ...], defs: dict[str, tuple[str, ast.AST]]) -> list[str]:
    """Entry points plus the submission's own functions they reference, transitively."""
    seen, todo = [], [e for e in entry if e in defs]
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.append(name)
        for node in ast.walk(defs[name][1]):
            if isinstance(node, ast.Name) and node.id in defs and node.id not in seen:
                todo.append(node.id)
    return seen


@lru_cache(maxsize=64)
def _parse(text: str) -> ast.Module | None:
    """A file's tree, parsed once for all the rules of a submission (trees are only read)."""
    try:
        return ast.parse(text)
    except SyntaxError:
        return None  # the tests report syntax errors; a rule cannot judge unparsable code


def find_violations(sources: dict[str, str], entry: tuple[str, ...], forbid: tuple[str, ...]) -> list[Violation]:
    """Every forbidden name used by the entry points or their helpers (pure)."""
    trees = {file: tree for file, text in sources.items() if (tree := _parse(text)) is not None}
    defs = _definitions(trees)
    found = []
    for name in _reachable(entry, defs):
        file, node = defs[name]
        aliases = _aliases(trees[file])
        for sub in ast.walk(node):
            if isinstance(sub, (ast.Attribute, ast.Name)):
                dotted = _dotted(sub, aliases)
                if dotted and dotted not in defs and any(fnmatch.fnmatchcase(dotted, p) for p in forbid):
                    found.append(Violation(file, sub.lineno, name, dotted))
    return _dedupe(found)


def _dedupe(found: list[Violation]) -> list[Violation]:
    """Keep the outermost match per line (torch.nn.functional.softmax, not also torch.nn)."""
    best: dict[tuple[str, int], Violation] = {}
    for v in found:
        key = (v.file, v.line)
        if key not in best or len(v.name) > len(best[key].name):
            best[key] = v
    return sorted(best.values(), key=lambda v: (v.file, v.line))
