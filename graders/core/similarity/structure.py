"""Structural fingerprints: hashes of normalised AST subtrees, and which function holds a line.

A subtree's hash ignores names, literals and comments, and the operands of `+`
and `*` are taken in sorted order; so renaming, re-commenting, reordering
functions or statements, and moving code between files or notebook cells keep
the subtrees a copier took. Only subtrees of at least `MIN_NODES` nodes count:
`x + 1` is everyone's.
"""
from __future__ import annotations

import ast
import builtins
import hashlib
from dataclasses import dataclass

MIN_NODES = 12
_BUILTINS = frozenset(dir(builtins))
_COMMUTATIVE = (ast.Add, ast.Mult, ast.BitAnd, ast.BitOr)


@dataclass(frozen=True)
class Subtree:
    """One statement or expression of enough size: its hash and its lines."""

    hash: int
    file: str
    first: int
    last: int


@dataclass(frozen=True)
class Function:
    """A function or class and the lines it spans (`Adam.step`, `softmax`)."""

    name: str
    file: str
    first: int
    last: int


def _label(node: ast.AST) -> str:
    """What of a node survives renaming: its type, attribute and keyword names, builtins."""
    if isinstance(node, ast.Name):
        return f"Name:{node.id}" if node.id in _BUILTINS else "Name"
    if isinstance(node, ast.Attribute):
        return f"Attr:{node.attr}"
    if isinstance(node, ast.keyword):
        return f"kw:{node.arg}"
    return type(node).__name__


def _digest(label: str, children: list[int]) -> int:
    data = label.encode() + b"".join(c.to_bytes(8, "little") for c in children)
    return int.from_bytes(hashlib.blake2b(data, digest_size=8).digest(), "little")


class _Hasher:
    """Post-order hashing of one tree, keeping the statement and expression subtrees big enough."""

    def __init__(self, file: str) -> None:
        self.file = file
        self.kept: list[Subtree] = []

    def visit(self, node: ast.AST) -> tuple[int, int]:
        """(hash, node count) of the subtree at node."""
        results = [self.visit(child) for child in ast.iter_child_nodes(node)]
        hashes = [h for h, _n in results]
        if isinstance(node, ast.BinOp) and isinstance(node.op, _COMMUTATIVE):
            hashes = sorted(hashes)
        size = 1 + sum(n for _h, n in results)
        digest = _digest(_label(node), hashes)
        if size >= MIN_NODES and isinstance(node, (ast.stmt, ast.expr)):
            self.kept.append(Subtree(digest, self.file, node.lineno, node.end_lineno or node.lineno))
        return digest, size


def parse(source: str) -> ast.Module | None:
    """The module's AST, or None when it is not valid Python (or too deep to read)."""
    try:
        return ast.parse(source)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None


def subtrees(tree: ast.Module | None, file: str) -> list[Subtree]:
    """The kept subtrees of one file; none for unreadable or absurdly nested code."""
    if tree is None:
        return []
    hasher = _Hasher(file)
    try:
        hasher.visit(tree)
    except RecursionError:
        return []
    return hasher.kept


def functions(tree: ast.Module | None, file: str) -> list[Function]:
    """Every function and class with its qualified name, outermost first."""
    found: list[Function] = []

    def walk(node: ast.AST, prefix: str) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                name = f"{prefix}{child.name}"
                found.append(Function(name, file, child.lineno, child.end_lineno or child.lineno))
                walk(child, name + ".")
    if tree is not None:
        try:
            walk(tree, "")
        except RecursionError:
            pass
    return found


def owner(functions_: list[Function], file: str, line: int) -> str:
    """The innermost function or class holding `line` of `file`, else `<module>`."""
    inside = [f for f in functions_ if f.file == file and f.first <= line <= f.last]
    return max(inside, key=lambda f: f.first).name if inside else "<module>"
