"""The trust boundary is one folder with visible sides (graders/core/sandbox/__init__.py states the rules).

- the child side imports nothing from graders but the child side and the wire;
- the wire imports nothing from graders but the wire;
- no module outside the folder forks, calls setsid, sets rlimits, unshares, calls
  prctl or mount, or imports landlock, confine or mounts.

Imports are read from the AST; calls are found token by token (comments and
strings are not looked at), as in test_trust_boundary.py.
"""
from __future__ import annotations

import ast
import io
import subprocess
import sys
import tokenize
from pathlib import Path

import graders.core.sandbox as sandbox

GRADERS = Path(__file__).resolve().parents[1] / "graders"
SANDBOX = GRADERS / "core" / "sandbox"
CHILD_MAY_IMPORT = ("graders.core.sandbox.child", "graders.core.sandbox.wire")
WIRE_MAY_IMPORT = ("graders.core.sandbox.wire",)
SANDBOX_ONLY_CALLS = {"fork", "forkpty", "setsid", "setrlimit", "unshare", "prctl", "mount", "umount", "umount2"}
SANDBOX_ONLY_MODULES = {"landlock", "confine", "mounts"}


def _module_name(path: Path) -> str:
    parts = path.relative_to(GRADERS.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(source: str, module: str, is_package: bool = False) -> list[tuple[int, str]]:
    """(line, absolute module name) of every import, relative ones resolved; `from a import b` gives a.b."""
    package = module if is_package else module.rpartition(".")[0]
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                base = ".".join(anchor + ([base] if base else []))
            found += [(node.lineno, f"{base}.{alias.name}") for alias in node.names]
    return found


def _graders_imports_outside(path: Path, allowed: tuple[str, ...]) -> list[str]:
    module = _module_name(path)
    bad = []
    for line, name in _imports(path.read_text(encoding="utf-8"), module, path.name == "__init__.py"):
        if (name == "graders" or name.startswith("graders.")) and not any(
                name == a or name.startswith(a + ".") for a in allowed):
            bad.append(f"{path.relative_to(GRADERS.parent)}:{line}: {name}")
    return bad


def _sandbox_only_hits(source: str) -> list[tuple[int, str]]:
    """Calls and imports that belong inside the sandbox folder."""
    tokens = [t for t in tokenize.generate_tokens(io.StringIO(source).readline)
              if t.type not in (tokenize.COMMENT, tokenize.NL, tokenize.NEWLINE, tokenize.INDENT, tokenize.DEDENT)]
    hits = []
    for i, tok in enumerate(tokens):
        if tok.type != tokenize.NAME:
            continue
        prev = tokens[i - 1].string if i else ""
        nxt = tokens[i + 1].string if i + 1 < len(tokens) else ""
        if tok.string in SANDBOX_ONLY_CALLS and (nxt == "(" or prev == "import") and prev != "def":
            hits.append((tok.start[0], tok.string))
        elif tok.string in SANDBOX_ONLY_MODULES and (prev in ("import", ".", ",") or nxt in (".", "import")):
            hits.append((tok.start[0], tok.string))
    return hits


def test_import_scanner_resolves_relative_imports():
    source = "from . import confine\nfrom ..wire import protocol\nimport graders.i18n\nfrom graders.errors import X\n"
    assert _imports(source, "graders.core.sandbox.child.worker") == [
        (1, "graders.core.sandbox.child.confine"), (2, "graders.core.sandbox.wire.protocol"),
        (3, "graders.i18n"), (4, "graders.errors.X")]


def test_call_scanner_catches_what_it_should():
    assert _sandbox_only_hits("pid = os.fork()\n") == [(1, "fork")]
    assert _sandbox_only_hits("resource.setrlimit(resource.RLIMIT_AS, (1, 1))\n") == [(1, "setrlimit")]
    assert _sandbox_only_hits("from os import setsid\n") == [(1, "setsid")]
    assert _sandbox_only_hits("libc().unshare(flags)\nlib.prctl(1, 9)\nlibc().mount(a, b)\n") == [
        (1, "unshare"), (2, "prctl"), (3, "mount")]
    assert _sandbox_only_hits("from graders.core.sandbox.child import landlock\n") == [(1, "landlock")]
    assert _sandbox_only_hits("import graders.core.sandbox.child.confine as c\n") == [(1, "confine")]
    assert _sandbox_only_hits("from graders.core.sandbox.child.mounts import mask\n") == [(1, "mounts")]


def test_call_scanner_ignores_comments_strings_and_lookalikes():
    source = ('"""we never os.fork() here"""\n'
              "# resource.setrlimit(...) lives in the sandbox\n"
              "confinement = report.confinement\n"
              "def mount(self): pass\n"
              "label = 'unshare(CLONE_NEWNET)'\n")
    assert _sandbox_only_hits(source) == []


def test_child_side_imports_only_the_child_side_and_the_wire():
    bad = [hit for path in sorted((SANDBOX / "child").rglob("*.py")) for hit in
           _graders_imports_outside(path, CHILD_MAY_IMPORT)]
    assert bad == [], "the child side reaches outside child/ and wire/:\n" + "\n".join(bad)


def test_wire_imports_only_the_wire():
    bad = [hit for path in sorted((SANDBOX / "wire").rglob("*.py")) for hit in
           _graders_imports_outside(path, WIRE_MAY_IMPORT)]
    assert bad == [], "the wire reaches outside wire/:\n" + "\n".join(bad)


def test_framing_is_standard_library_only():
    """The thin `grade` client frames its requests without numpy or msgpack."""
    path = SANDBOX / "wire" / "framing.py"
    names = [name for _line, name in _imports(path.read_text(encoding="utf-8"), _module_name(path))]
    assert all(name.split(".")[0] in sys.stdlib_module_names or name.startswith("__future__") for name in names), names


def test_no_fork_rlimit_unshare_or_landlock_outside_the_sandbox():
    found = []
    for path in sorted(GRADERS.rglob("*.py")):
        if SANDBOX in path.parents:
            continue
        found += [f"{path.relative_to(GRADERS.parent)}:{line}: {what}"
                  for line, what in _sandbox_only_hits(path.read_text(encoding="utf-8"))]
    assert found == [], "sandbox work outside graders/core/sandbox/:\n" + "\n".join(found)


def test_the_fork_server_loads_no_graders_module_outside_the_child_and_the_wire():
    """Importing the fork server (as `python -m` does) pulls in only the packages above it, the child and the wire."""
    code = ("import sys, graders.core.sandbox.child.forkserver; "
            "print('\\n'.join(m for m in sys.modules if m == 'graders' or m.startswith('graders.')))")
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
    packages = {"graders", "graders.core", "graders.core.sandbox"}
    outside = [m for m in loaded if m not in packages and not m.startswith(CHILD_MAY_IMPORT)]
    assert outside == []


def test_the_package_exports_the_parent_side_api_lazily():
    for name in sandbox.__all__:
        assert getattr(sandbox, name) is not None
    from graders.errors import EngineError

    assert issubclass(sandbox.WorkerTimeout, sandbox.WorkerFault) and issubclass(sandbox.WorkerFault, EngineError)
