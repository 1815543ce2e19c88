"""Static rule checks on the student's source, done by the trusted parent with `ast`.

A rule names entry points (functions or classes) and forbidden dotted names
(fnmatch patterns such as `*.softmax` or `torch.optim.*`). The entry points and
every piece of submission code they reach are searched: their own helper
functions and classes (in any file), module-level names that hold code
(lambdas, `functools.partial`, any expression), and module-level code that runs
on import. Code in `if __name__ == "__main__":` may use anything.

Names are resolved before they are matched, so an alias is no way around a
rule: imports under other names (`import torch.nn.functional as F`,
`from torch import nn`), assignments at module level or inside the function
(`a = b = torch.softmax`, `f = torch.nn.functional; g = f.softmax`, simple tuple
unpacking), default arguments, decorators, base classes, class attributes,
attributes set on `self`, `functools.partial(...)` and `getattr(obj, "name")`
with a constant name all count as uses of the name they stand for.

What cannot be resolved statically is reported, never passed silently: a
reached piece of code (or module-level code, which runs on import) that uses
`getattr`/`setattr` with a computed name, `eval`/`exec`/`compile`,
`__import__`/`importlib`, `globals()`/`locals()`/`vars()`, `sys.modules`,
`__dict__`/`__getattribute__`/`__subclasses__` and similar, or passes a module on
the way to a forbidden name (`torch.optim`) around as a value, gets a finding of
kind `UNCHECKABLE`; the rule's test fails with a message naming the construct and
where it is. A name reached through a module that re-exports another
(`torch.nn.functional.torch.optim.Adam`) is also matched from the re-exported
module on (`torch.optim.Adam`). Code that is too large, too deeply nested or too
tangled to check within a fixed amount of work (counted in steps, never by the
clock) also fails the rule with an `UNCHECKABLE` finding. The check stays pure:
sources in, findings out.
"""
from __future__ import annotations

import ast
import fnmatch
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Iterable, Iterator

from graders.i18n import _

FORBIDDEN = "forbidden"
UNCHECKABLE = "uncheckable"

# Names whose use the checker cannot see through (matched after resolution).
_OPAQUE = ("eval", "exec", "compile", "globals", "locals", "vars", "__import__", "__builtins__",
           "importlib", "importlib.*", "sys.modules", "sys.modules.*", "operator.attrgetter", "operator.methodcaller",
           "pkgutil.resolve_name", "pydoc.locate", "inspect.getattr_static", "inspect.getmembers", "types.ModuleType",
           "builtins.eval", "builtins.exec", "builtins.compile", "builtins.globals", "builtins.locals",
           "builtins.vars", "builtins.__import__", "builtins.__dict__")
_ATTR_FUNCS = {"getattr", "setattr", "delattr", "builtins.getattr", "builtins.setattr", "builtins.delattr"}
_DUNDERS = {"__dict__", "__getattribute__", "__getattr__", "__subclasses__", "__globals__", "__builtins__",
            "__mro__", "__bases__", "__base__", "__closure__", "__code__", "__loader__", "__spec__", "__import__"}
_PARTIAL = {"functools.partial", "functools.partialmethod"}
_MAX_DEPTH = 24
_MAX_NAMES = 32
_MAX_STEPS = 4000  # per resolved expression: aliases tangled on purpose must not stall the grader
_BUDGET = 1_000_000  # steps for a whole check (expressions and nodes): about a second; honest code uses ~10,000
_MAX_BYTES = 256 * 1024  # a larger file is not parsed: the rule fails as "too large to check"
_TOO_DEEP = "too deep"  # what _parse returns for a tree too deeply nested for the parser or the checker


@dataclass(frozen=True)
class Violation:
    """One finding: a forbidden name used (FORBIDDEN), or a construct the rule cannot check (UNCHECKABLE)."""

    file: str
    line: int
    where: str
    name: str
    kind: str = FORBIDDEN

    def describe(self) -> str:
        if self.kind == UNCHECKABLE and not self.line:
            return _("{file}: {name} (the rule fails rather than pass unchecked code)").format(file=self.file,
                                                                                                name=self.name)
        if self.kind == UNCHECKABLE:
            return _("{file}:{line} in {where}: uses {name}, which this rule cannot check; "
                     "call the functions by name").format(file=self.file, line=self.line, where=self.where,
                                                          name=self.name)
        return _("{file}:{line} in {where}: uses {name}").format(file=self.file, line=self.line, where=self.where,
                                                                 name=self.name)


@dataclass
class _Module:
    """One parsed file: its dotted name, and what each module-level name is bound to."""

    file: str
    name: str
    tree: ast.Module
    bindings: dict[str, list[ast.AST]] = field(default_factory=dict)  # def, class, value expression or _Import
    stars: list[str] = field(default_factory=list)
    side: list[ast.AST] = field(default_factory=list)  # module-level code that runs on import


@dataclass(frozen=True)
class _Import:
    origin: str  # dotted name an import binds
    node: ast.AST


def _module_name(file: str) -> str:
    parts = file.replace("\\", "/").removesuffix(".py").split("/")
    return ".".join(parts[:-1] if parts[-1] == "__init__" and len(parts) > 1 else parts)


def _is_main_guard(node: ast.AST) -> bool:
    test = getattr(node, "test", None)
    return (isinstance(node, ast.If) and isinstance(test, ast.Compare) and isinstance(test.left, ast.Name)
            and test.left.id == "__name__")


def _targets(target: ast.AST, value: ast.AST | None) -> Iterator[tuple[str, ast.AST | None]]:
    """(name, value) per name a target binds; tuples unpack element-wise when the value is a literal of the same length."""
    if isinstance(target, ast.Name):
        yield target.id, value
    elif isinstance(target, (ast.Tuple, ast.List)):
        pair = isinstance(value, (ast.Tuple, ast.List)) and len(value.elts) == len(target.elts)
        for i, t in enumerate(target.elts):
            yield from _targets(t.value if isinstance(t, ast.Starred) else t, value.elts[i] if pair else value)
    elif isinstance(target, ast.Starred):
        yield from _targets(target.value, value)


def _import_origins(node: ast.Import | ast.ImportFrom, package: str) -> Iterator[tuple[str, str]]:
    """(bound name, dotted origin) for every name an import statement binds ('*' for a star import)."""
    if isinstance(node, ast.Import):
        for a in node.names:
            yield (a.asname, a.name) if a.asname else (a.name.split(".")[0], a.name.split(".")[0])
        return
    base = node.module or ""
    if node.level:
        up = package.split(".")[:len(package.split(".")) - node.level + 1] if package else []
        base = ".".join([p for p in up if p] + ([base] if base else []))
    for a in node.names:
        yield a.asname or a.name, f"{base}.{a.name}" if base else a.name


def _statements(body: list[ast.stmt]) -> Iterator[ast.stmt]:
    """Module-level statements, looking inside if/try/with/for blocks but not the main guard."""
    for node in body:
        if _is_main_guard(node):
            continue
        yield node
        if isinstance(node, (ast.If, ast.Try, ast.With, ast.For, ast.While)):
            for block in ("body", "orelse", "finalbody"):
                yield from _statements(getattr(node, block, []))
            for handler in getattr(node, "handlers", []):
                yield from _statements(handler.body)


def _has_call(node: ast.AST) -> bool:
    """Whether evaluating a node calls something (a lambda's body only runs when called).

    Iterative: a chain of 1,000 `+` must not exhaust the stack."""
    todo = [node]
    while todo:
        current = todo.pop()
        if isinstance(current, ast.Call):
            return True
        todo += [c for c in ast.iter_child_nodes(current) if not isinstance(c, ast.Lambda)]
    return False


def _bind_statement(mod: _Module, node: ast.stmt) -> None:
    """Record what one module-level statement binds, and whether it runs code on import."""
    package = mod.name if mod.file.endswith("__init__.py") else mod.name.rpartition(".")[0]
    if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        mod.bindings.setdefault(node.name, []).append(node)
        mod.side += node.decorator_list
        if isinstance(node, ast.ClassDef):
            mod.side += [s for s in node.body if not isinstance(s, (ast.FunctionDef, ast.AsyncFunctionDef))
                         and _has_call(s)]
    elif isinstance(node, (ast.Import, ast.ImportFrom)):
        for name, origin in _import_origins(node, package):
            if name == "*":
                mod.stars.append(origin.removesuffix(".*"))
            else:
                mod.bindings.setdefault(name, []).append(_Import(origin, node))
    elif isinstance(node, (ast.Assign, ast.AnnAssign, ast.AugAssign)):
        targets = node.targets if isinstance(node, ast.Assign) else [node.target]
        pairs = [p for t in targets for p in _targets(t, node.value)]
        for name, value in pairs:
            if value is not None:
                mod.bindings.setdefault(name, []).append(value)
        if _has_call(node) or not all(isinstance(t, (ast.Name, ast.Tuple, ast.List)) for t in targets):
            mod.side.append(node)
    elif isinstance(node, (ast.For, ast.AsyncFor, ast.With, ast.AsyncWith)):
        source = node.iter if isinstance(node, (ast.For, ast.AsyncFor)) else node.items[0].context_expr
        names = [t for t in ([node.target] if isinstance(node, (ast.For, ast.AsyncFor))
                             else [i.optional_vars for i in node.items if i.optional_vars])]
        for name, _value in (p for t in names for p in _targets(t, None)):
            mod.bindings.setdefault(name, []).append(source)
        mod.side.append(source)
    elif isinstance(node, (ast.If, ast.While)):
        if _has_call(node.test):
            mod.side.append(node.test)
    elif not isinstance(node, (ast.Try, ast.Pass)):
        mod.side.append(node)  # expression statements and the like: they run on import


def _module(file: str, tree: ast.Module) -> _Module:
    mod = _Module(file, _module_name(file), tree)
    for node in _statements(tree.body):
        _bind_statement(mod, node)
    return mod


def _locals(unit: ast.AST) -> dict[str, list[ast.AST | None]]:
    """Names bound inside a unit (parameters, assignments, loop targets), flattened over nested scopes.

    A parameter with a default stands for its default; other parameters and
    loop targets are opaque (None): `x.softmax` stays `x.softmax`."""
    scope: dict[str, list[ast.AST | None]] = {}
    for node in ast.walk(unit):
        if isinstance(node, ast.arguments):
            positional = node.posonlyargs + node.args
            defaults = [None] * (len(positional) - len(node.defaults)) + list(node.defaults)
            for arg, default in zip(positional + node.kwonlyargs, defaults + list(node.kw_defaults)):
                scope.setdefault(arg.arg, []).append(default)
            for arg in (node.vararg, node.kwarg):
                if arg:
                    scope.setdefault(arg.arg, []).append(None)
        elif isinstance(node, (ast.Assign, ast.AnnAssign, ast.AugAssign, ast.NamedExpr)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for name, value in (p for t in targets for p in _targets(t, node.value)):
                scope.setdefault(name, []).append(value)
        elif isinstance(node, (ast.For, ast.AsyncFor, ast.comprehension)):
            for name, _value in _targets(node.target, None):
                scope.setdefault(name, []).append(None)
        elif isinstance(node, ast.withitem) and node.optional_vars is not None:
            for name, _value in _targets(node.optional_vars, None):
                scope.setdefault(name, []).append(None)
        elif isinstance(node, ast.ExceptHandler) and node.name:
            scope.setdefault(node.name, []).append(None)
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            for name, origin in _import_origins(node, ""):
                scope.setdefault(name, []).append(_Import(origin, node))  # type: ignore[arg-type]
    return scope


@dataclass
class _Context:
    """Where a name is looked up: a unit's own names, its `self`, then its module."""

    mod: _Module
    local: dict[str, list[ast.AST | None]]
    selves: dict[str, str]  # first parameter of a method -> the class's qualified name


class _Resolver:
    """Resolves expressions to the dotted names they may stand for (a set: a name may be bound more than once)."""

    def __init__(self, modules: list[_Module], tops: frozenset[str] = frozenset()) -> None:
        self.modules = {m.name: m for m in modules}
        self.tops = tops  # top-level modules the patterns name: `x.torch.optim` also stands for `torch.optim`
        self.total = 0  # steps over the whole check, against _BUDGET
        self.classes: dict[str, tuple[_Module, ast.ClassDef]] = {
            f"{m.name}.{n}": (m, b) for m in modules for n, bs in m.bindings.items() for b in bs
            if isinstance(b, ast.ClassDef)}
        self.steps = 0
        self.memo: dict[tuple[str, str], set[str]] = {}

    def resolve(self, node: ast.AST, ctx: _Context) -> set[str] | None:
        """The names an expression may stand for; None when following them took too long."""
        self.steps = 0
        names = self.expr(node, ctx)
        return None if self.steps > _MAX_STEPS else names

    def own(self, dotted: str) -> tuple[_Module, str] | None:
        """(module, binding name) when a dotted name points into the submission itself."""
        parts = dotted.split(".")
        for cut in range(len(parts) - 1, 0, -1):
            mod = self.modules.get(".".join(parts[:cut]))
            if mod is not None:
                return mod, parts[cut]
        return None

    def expr(self, node: ast.AST, ctx: _Context, depth: int = 0) -> set[str]:
        self.steps += 1
        self.total += 1
        if self.total > _BUDGET:
            raise _OutOfBudget
        if depth > _MAX_DEPTH or self.steps > _MAX_STEPS:
            return set()
        if isinstance(node, ast.Name):
            return self.name(node.id, ctx, depth)
        if isinstance(node, ast.Attribute):
            bases = self.expr(node.value, ctx, depth + 1) or {"<expr>"}
            return self._cap(n for b in bases for n in self.dotted(f"{b}.{node.attr}", depth + 1))
        if isinstance(node, ast.Call):
            func = self.expr(node.func, ctx, depth + 1)
            if func & _ATTR_FUNCS and len(node.args) >= 2 and _constant_name(node.args[1]):
                attr = ast.Attribute(value=node.args[0], attr=node.args[1].value, ctx=ast.Load())  # type: ignore[attr-defined]
                return self.expr(attr, ctx, depth + 1)
            if func & _PARTIAL and node.args:
                return self.expr(node.args[0], ctx, depth + 1)
        return set()

    def name(self, name: str, ctx: _Context, depth: int) -> set[str]:
        if name in ctx.selves:
            return {ctx.selves[name]}
        if name in ctx.local:
            found: set[str] = set()
            for value in ctx.local[name]:
                if isinstance(value, _Import):
                    found |= self.dotted(value.origin, depth + 1)
                else:
                    found |= (self.expr(value, ctx, depth + 1) if value is not None else set()) or {name}
            return self._cap(found)
        if name in ctx.mod.bindings:
            return self.binding(ctx.mod, name, depth + 1)
        return {name} | {f"{star}.{name}" for star in ctx.mod.stars}

    def binding(self, mod: _Module, name: str, depth: int) -> set[str]:
        """What a module-level name stands for: an external dotted name, or the submission's own `module.name`."""
        key = (mod.name, name)
        if key in self.memo:
            return self.memo[key]
        self.memo[key] = set()  # a cycle resolves to nothing
        found = set()
        for value in mod.bindings.get(name, []):
            if isinstance(value, _Import):
                found |= self.dotted(value.origin, depth + 1)
            elif isinstance(value, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                found.add(f"{mod.name}.{name}")
            else:
                found |= self.expr(value, _Context(mod, {}, {}), depth + 1) or {f"{mod.name}.{name}"}
        if self.steps <= _MAX_STEPS:
            self.memo[key] = self._cap(found)
        else:
            del self.memo[key]
        return self._cap(found)

    def dotted(self, dotted: str, depth: int) -> set[str]:
        """A dotted name, followed through the submission's own modules and class attributes."""
        if depth > _MAX_DEPTH:
            return self.external(dotted)
        own = self.own(dotted)
        if own is None:
            return self.external(dotted)
        mod, first = own
        head = f"{mod.name}.{first}"
        rest = dotted[len(head):]
        if first not in mod.bindings:
            return {dotted}
        bases = self.binding(mod, first, depth + 1)
        if rest and head in self.classes:
            attr = rest[1:].split(".")[0]
            via = self.class_attr(head, attr, depth + 1)
            if via:
                tail = rest[1 + len(attr):]
                return self._cap(n for v in via for n in self.dotted(v + tail, depth + 1))
        out: set[str] = set()
        for b in bases:
            out |= {b + rest} if b == head else self.dotted(b + rest, depth + 1)
        return self._cap(out)

    def external(self, dotted: str) -> set[str]:
        """A name outside the submission, and the names it re-exports: `a.torch.optim` is also `torch.optim`.

        Modules re-export what they import (`torch.nn.functional.torch` is
        `torch`), so a name is also matched from every segment on that names a
        top-level module the patterns mention."""
        parts = dotted.split(".")
        return self._cap([dotted] + [".".join(parts[i:]) for i in range(1, len(parts)) if parts[i] in self.tops])

    def class_attr(self, qualified: str, attr: str, depth: int) -> set[str]:
        """What `Class.attr` / `self.attr` stands for, from class-body assignments and `self.attr = ...` in methods."""
        mod, cls = self.classes[qualified]
        nodes = list(ast.walk(cls))
        self.total += 3 * len(nodes)  # this walk, and those of _locals and _selves
        ctx = _Context(mod, _locals(cls), _selves(cls, qualified))
        found: set[str] = set()
        for node in nodes:
            for target, value in _attribute_bindings(node, cls):
                if target == attr and value is not None:
                    found |= self.expr(value, ctx, depth + 1)
        return self._cap(found)

    @staticmethod
    def _cap(names: Iterable[str]) -> set[str]:
        out: set[str] = set()
        for n in names:
            if len(out) >= _MAX_NAMES:
                break
            out.add(n)
        return out


def _constant_name(node: ast.AST) -> bool:
    return isinstance(node, ast.Constant) and isinstance(node.value, str)


def _selves(cls: ast.ClassDef, qualified: str) -> dict[str, str]:
    """The first parameter of every method of a class (self, cls) -> the class."""
    return {f.args.args[0].arg: qualified for f in ast.walk(cls)
            if isinstance(f, (ast.FunctionDef, ast.AsyncFunctionDef)) and f.args.args}


def _attribute_bindings(node: ast.AST, cls: ast.ClassDef) -> Iterator[tuple[str, ast.AST | None]]:
    """(attribute, value) for `name = v` in the class body and `self.name = v` anywhere in it."""
    if not isinstance(node, (ast.Assign, ast.AnnAssign)):
        return
    targets = node.targets if isinstance(node, ast.Assign) else [node.target]
    for t in targets:
        if node in cls.body:
            yield from _targets(t, node.value)
        elif isinstance(t, ast.Attribute) and isinstance(t.value, ast.Name):
            yield t.attr, node.value


@lru_cache(maxsize=64)
def _parse(text: str) -> ast.Module | str | None:
    """A file's tree, parsed once for all the rules of a submission (trees are only read).

    None for a syntax error (the tests report those; a rule cannot judge
    unparsable code), _TOO_DEEP for a tree the parser cannot build."""
    try:
        return ast.parse(text)
    except SyntaxError:
        return None
    except (RecursionError, MemoryError, ValueError):
        return _TOO_DEEP


class _OutOfBudget(Exception):
    """The check has used up _BUDGET steps."""


def find_violations(sources: dict[str, str], entry: tuple[str, ...], forbid: tuple[str, ...]) -> list[Violation]:
    """Every forbidden name used, and every unresolvable construct, in code the entry points reach (pure)."""
    modules, found = _load(sources)
    checker = _Checker(_Resolver(modules, _tops(forbid)), forbid)
    try:
        for mod in modules:
            for name in entry:
                checker.reach(mod, name)
            for node in mod.side:
                checker.visit(mod, node, "<module>")
        checker.run()
    except _OutOfBudget:
        checker.uncheckable_file(_("the code is too large or complex to check"))
    except RecursionError:
        checker.uncheckable_file(_("too deeply nested to check"))
    return _dedupe(found + checker.found)


def _load(sources: dict[str, str]) -> tuple[list[_Module], list[Violation]]:
    """The files the checker can read, and an UNCHECKABLE finding for each it cannot (too large, too deep)."""
    modules, found = [], []
    for file, text in sources.items():
        if len(text.encode("utf-8", "replace")) > _MAX_BYTES:
            what = _("too large to check (over {size} KB)").format(size=_MAX_BYTES // 1024)
            found.append(Violation(file, 0, "<module>", what, UNCHECKABLE))
            continue
        tree = _parse(text)
        try:
            if isinstance(tree, ast.Module):
                modules.append(_module(file, tree))
        except RecursionError:
            tree = _TOO_DEEP
        if tree == _TOO_DEEP:
            found.append(Violation(file, 0, "<module>", _("too deeply nested to check"), UNCHECKABLE))
    return modules, found


def _tops(forbid: tuple[str, ...]) -> frozenset[str]:
    """Top-level modules named by the patterns and the constructs the checker must see through, re-exported or not."""
    seen = [p for p in list(_OPAQUE) + sorted(_PARTIAL) + sorted(_ATTR_FUNCS) if "." in p]
    firsts = (p.split(".")[0] for p in list(forbid) + seen)
    return frozenset(f for f in firsts if not any(c in f for c in "*?["))


class _Checker:
    """Walks every unit the entry points reach, once, collecting findings."""

    def __init__(self, resolver: _Resolver, forbid: tuple[str, ...]) -> None:
        self.resolver, self.forbid = resolver, forbid
        self.prefixes = _prefixes(forbid)
        self.todo: list[tuple[_Module, ast.AST, str]] = []
        self.seen: set[int] = set()
        self.found: list[Violation] = []
        self.file = ""  # the file being checked, for a finding that the budget ran out

    def reach(self, mod: _Module, name: str) -> None:
        for value in mod.bindings.get(name, []):
            node = value.node if isinstance(value, _Import) else value
            if id(node) not in self.seen:
                self.seen.add(id(node))
                self.todo.append((mod, node, name))

    def visit(self, mod: _Module, node: ast.AST, where: str) -> None:
        if id(node) not in self.seen:
            self.seen.add(id(node))
            self.todo.append((mod, node, where))

    def run(self) -> None:
        while self.todo:
            mod, node, where = self.todo.pop()
            self.file = mod.file
            self.unit(mod, node, where)

    def unit(self, mod: _Module, unit: ast.AST, where: str) -> None:
        selves = _selves(unit, f"{mod.name}.{unit.name}") if isinstance(unit, ast.ClassDef) else {}
        ctx = _Context(mod, _locals(unit), selves)
        parents = {id(c): p for p in ast.walk(unit) for c in ast.iter_child_nodes(p)}
        if isinstance(unit, (ast.Import, ast.ImportFrom)):
            names = [binding.origin for binding in mod.bindings.get(where, []) if isinstance(binding, _Import)]
            self.match(mod, unit, where, {n for origin in names for n in self.resolver.dotted(origin, 0)})
            return
        for node in ast.walk(unit):
            self.resolver.total += 1
            if self.resolver.total > _BUDGET:
                raise _OutOfBudget
            self.node(mod, node, where, ctx, parents)

    def node(self, mod: _Module, node: ast.AST, where: str, ctx: _Context, parents: dict[int, ast.AST]) -> None:
        if isinstance(node, ast.Attribute) and node.attr in _DUNDERS:
            self.uncheckable(mod, node, where, f".{node.attr}")
        if isinstance(node, ast.Call):
            self.call(mod, node, where, ctx)
        if not isinstance(node, (ast.Name, ast.Attribute)) or not isinstance(node.ctx, ast.Load):
            return
        names = self.names(mod, node, where, ctx)
        self.match(mod, node, where, names)
        parent = parents.get(id(node))
        if names & _ATTR_FUNCS and not (isinstance(parent, ast.Call) and parent.func is node):
            self.uncheckable(mod, node, where, _("getattr passed as a value"))
        param = isinstance(node, ast.Name) and None in ctx.local.get(node.id, [])
        for name in sorted(names):
            if not param and any(fnmatch.fnmatchcase(name, p) for p in _OPAQUE):
                self.uncheckable(mod, node, where, name)
            elif name in self.prefixes and not self.followed(node, parents, ctx):
                self.uncheckable(mod, node, where, _("{name} as a value").format(name=name))

    def names(self, mod: _Module, node: ast.AST, where: str, ctx: _Context) -> set[str]:
        names = self.resolver.resolve(node, ctx)
        if names is None:
            self.uncheckable(mod, node, where, _("aliases too tangled to follow"))
        return names or set()

    def call(self, mod: _Module, node: ast.Call, where: str, ctx: _Context) -> None:
        func = self.names(mod, node.func, where, ctx)
        if not func & _ATTR_FUNCS:
            return
        if len(node.args) < 2 or not _constant_name(node.args[1]):
            attr = sorted(func & _ATTR_FUNCS)[0].removeprefix("builtins.")
            self.uncheckable(mod, node, where, _("{func} with a computed name").format(func=attr))
        else:
            self.match(mod, node, where, self.names(mod, node, where, ctx))

    def followed(self, node: ast.AST, parents: dict[int, ast.AST], ctx: _Context) -> bool:
        """Whether a value sits where the resolver follows it: an alias, a default, getattr's or partial's object."""
        parent = parents.get(id(node))
        if isinstance(parent, (ast.Tuple, ast.List)) and isinstance(parents.get(id(parent)), ast.Assign):
            return True
        if isinstance(parent, ast.Call) and parent.args and parent.args[0] is node:
            return bool((self.resolver.resolve(parent.func, ctx) or set()) & (_ATTR_FUNCS | _PARTIAL))
        return isinstance(parent, (ast.Attribute, ast.Assign, ast.AnnAssign, ast.NamedExpr, ast.arguments))

    def match(self, mod: _Module, node: ast.AST, where: str, names: set[str]) -> None:
        for name in sorted(names):
            own = self.resolver.own(name)
            if own is not None:
                self.reach(*own)
            elif any(fnmatch.fnmatchcase(name, p) for p in self.forbid):
                self.found.append(Violation(mod.file, getattr(node, "lineno", 0), where, name))

    def uncheckable(self, mod: _Module, node: ast.AST, where: str, what: str) -> None:
        self.found.append(Violation(mod.file, getattr(node, "lineno", 0), where, what, UNCHECKABLE))

    def uncheckable_file(self, what: str) -> None:
        """The check stopped in the file it was in: the rule fails rather than pass unchecked."""
        self.found.append(Violation(self.file, 0, "<module>", what, UNCHECKABLE))


def _prefixes(forbid: tuple[str, ...]) -> set[str]:
    """Dotted names that a forbidden name extends (`torch.optim` of `torch.optim.Adam`): passing one around hides the use."""
    out = set()
    for pattern in forbid:
        parts = pattern.split(".")
        literal = [p for p in parts[:next((i for i, p in enumerate(parts) if any(c in p for c in "*?[")), len(parts))]]
        out |= {".".join(literal[:i]) for i in range(1, len(literal) if len(literal) == len(parts) else len(literal) + 1)}
    return out


def _dedupe(found: list[Violation]) -> list[Violation]:
    """Keep the outermost match per line and kind (torch.nn.functional.softmax, not also torch.nn)."""
    best: dict[tuple[str, int, str], Violation] = {}
    for v in found:
        key = (v.file, v.line, v.kind)
        if key not in best or (v.kind == FORBIDDEN and len(v.name) > len(best[key].name)):
            best[key] = v
    return sorted(best.values(), key=lambda v: (v.file, v.line, v.kind))
