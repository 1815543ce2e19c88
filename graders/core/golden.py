"""Golden outputs: the reference solution's answers to fixed cases, recorded by `grade reference`.

Stored as msgpack (the sandbox's safe wire format) under reference/hwNN/golden/,
with a manifest naming the device, dtype and torch version they came from.
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from graders.core.sandbox.wire import protocol
from graders.errors import SpecError
from graders.i18n import _


@dataclass(frozen=True)
class Case:
    """A fixed input and, once recorded, the reference's output."""

    name: str
    part: str
    op: str  # "call" (module.func) or "harness"
    target: str  # "softmax.softmax" or a harness function name
    args: list[Any]
    kwargs: dict[str, Any]
    output: Any = None

    def request(self) -> dict[str, Any]:
        if self.op == "call":
            module, func = self.target.split(".", 1)
            return {"op": "call", "module": module, "func": func, "args": self.args, "kwargs": self.kwargs}
        return {"op": "harness", "func": self.target, "args": self.args, "kwargs": self.kwargs}


def _path(folder: Path, name: str) -> Path:
    return folder / f"{name}.msgpack"


def save_case(folder: Path, case: Case) -> str:
    """Write one recorded case; returns its sha256 for the manifest."""
    folder.mkdir(parents=True, exist_ok=True)
    data = protocol.pack({"name": case.name, "part": case.part, "op": case.op, "target": case.target,
                          "args": case.args, "kwargs": case.kwargs, "output": case.output})
    _path(folder, case.name).write_bytes(data)
    return hashlib.sha256(data).hexdigest()


class GoldenStore:
    """Lazy, read-only access to recorded cases by name (the `golden` fixture)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._cache: dict[str, Case] = {}

    def __getitem__(self, name: str) -> Case:
        if name not in self._cache:
            path = _path(self.folder, name)
            if not path.is_file():
                raise SpecError(_("golden case {name} is missing; run `grade reference` for this assignment").format(
                    name=repr(name)))
            self._cache[name] = Case(**protocol.unpack(path.read_bytes()))
        return self._cache[name]

    def manifest(self) -> dict[str, Any]:
        path = self.folder.parent / "manifest.json"
        return json.loads(path.read_text()) if path.is_file() else {}
