"""Assignments as data: each `graders/hwNN/assignment.toml` becomes a frozen Spec.

Adding an assignment means adding folders (graders/hwNN, exercises/hwNN,
reference/hwNN, submissions/hwNN), never editing the engine.
"""
from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from graders.core.sandbox import Limits
from graders.errors import SpecError, UnknownAssignment
from graders.i18n import _, add_catalog


@dataclass(frozen=True)
class Rule:
    """A static rule: these functions (and their helpers) may not call these names."""

    name: str
    functions: tuple[str, ...]
    forbid: tuple[str, ...]
    hint: str = ""


@dataclass(frozen=True)
class Part:
    """A graded part: its points, hidden suite, and how points split across its tests."""

    name: str
    points: float
    suite: str
    modules: tuple[str, ...] = ()
    weights: dict[str, float] = field(default_factory=dict)
    rules: tuple[Rule, ...] = ()
    answers: dict[str, float] = field(default_factory=dict)  # answer block name -> weight
    derivations: dict[str, float] = field(default_factory=dict)  # derivation block name -> weight
    keys: str = ""  # TOML file of answer keys, next to the hidden suites
    call_timeout_s: float | None = None  # one call into student code (e.g. training); else the spec's

    def weight(self, test: str) -> float:
        """A test's declared weight; a parametrized test falls back to its base name."""
        return float(self.weights.get(test, self.weights.get(test.split("[")[0], 1.0)))


@dataclass(frozen=True)
class Spec:
    """One assignment of the course, read from its assignment.toml."""

    id: str
    title: str
    files: tuple[str, ...]
    parts: tuple[Part, ...]
    course_root: Path
    notebook: str = ""
    harness: str = ""
    cases: str = ""
    limits: Limits = field(default_factory=Limits)
    time_limit_s: float = 120.0
    call_timeout_s: float = 5.0
    bundle_dir: Path | None = None  # set in a student bundle: public material only
    data: dict[str, Any] = field(default_factory=dict)  # [data]: what the assignment's data module needs
    private: dict[str, Any] = field(default_factory=dict)  # [private]: instructor-only; `grade dist` strips it

    @property
    def max_score(self) -> float:
        return sum(p.points for p in self.parts)

    @property
    def grader_dir(self) -> Path:
        if self.bundle_dir:
            return self.bundle_dir / ".hidden-suites-are-not-in-a-bundle"
        return self.course_root / "graders" / self.id

    @property
    def exercises_dir(self) -> Path:
        return self.bundle_dir or self.course_root / "exercises" / self.id

    @property
    def harness_path(self) -> Path | None:
        """The worker-side harness (public: it drives student objects and holds nothing secret)."""
        return self.exercises_dir / self.harness if self.harness else None

    @property
    def reference_dir(self) -> Path:
        return self.course_root / "reference" / self.id

    @property
    def samples_dir(self) -> Path:
        return self.course_root / "submissions" / self.id

    @property
    def has_hidden_suites(self) -> bool:
        return any((self.grader_dir / p.suite).is_file() or (p.keys and (self.grader_dir / p.keys).is_file())
                   for p in self.parts)

    def part(self, name: str) -> Part:
        for p in self.parts:
            if p.name == name:
                return p
        raise KeyError(name)

    def hidden_paths(self) -> list[str]:
        """Folders a worker must never read: hidden suites, reference solutions, samples."""
        if self.bundle_dir:
            return []
        return [str(self.course_root / d) for d in ("graders", "reference", "submissions")]

    @property
    def data_module(self) -> Path | None:
        """The assignment's data module (trusted, next to the hidden suites), if it declares one."""
        name = self.data.get("module", "")
        return self.grader_dir / name if name else None


def course_root() -> Path:
    """The course folder: $GRADERS_COURSE, else the checkout this package lives in."""
    env = os.environ.get("GRADERS_COURSE")
    if env:
        return Path(env).resolve()
    return Path(__file__).resolve().parents[2]


def _rules(raw: list[dict[str, Any]]) -> tuple[Rule, ...]:
    return tuple(Rule(name=r["name"], functions=tuple(r["functions"]), forbid=tuple(r["forbid"]),
                      hint=r.get("hint", "")) for r in raw)


def _part(name: str, raw: dict[str, Any]) -> Part:
    try:
        return Part(name=name, points=float(raw["points"]), suite=raw.get("suite", f"test_{name}.py"),
                    modules=tuple(raw.get("modules", [name])), weights=dict(raw.get("weights", {})),
                    rules=_rules(raw.get("rules", [])), answers=dict(raw.get("answers", {})),
                    derivations=dict(raw.get("derivations", {})), keys=raw.get("keys", ""),
                    call_timeout_s=float(raw["call_timeout_s"]) if "call_timeout_s" in raw else None)
    except (KeyError, TypeError, ValueError) as exc:
        raise SpecError(_("part {name}: {error}").format(name=repr(name), error=exc)) from exc


def parse_spec(raw: dict[str, Any], root: Path, bundle_dir: Path | None = None) -> Spec:
    """Validate the toml's content and build a Spec (pure)."""
    try:
        limits = raw.get("limits", {})
        return Spec(
            id=raw["id"], title=raw["title"], files=tuple(raw["files"]),
            parts=tuple(_part(n, p) for n, p in raw["parts"].items()), course_root=root,
            notebook=raw.get("notebook", ""), harness=raw.get("harness", ""), cases=raw.get("cases", ""),
            limits=Limits(**{k: v for k, v in limits.items() if k in Limits.__dataclass_fields__}),
            time_limit_s=float(limits.get("time_limit_s", 120)),
            call_timeout_s=float(limits.get("call_timeout_s", 5)), bundle_dir=bundle_dir,
            data=dict(raw.get("data", {})), private=dict(raw.get("private", {})),
        )
    except (KeyError, TypeError) as exc:
        raise SpecError(_("assignment.toml is missing or mistypes {field}").format(field=exc)) from exc


def _spec_files(root: Path) -> dict[str, Path]:
    found = {}
    for base in (root / "graders", root / "exercises"):
        for path in sorted(base.glob("*/assignment.toml")):
            found.setdefault(path.parent.name, path)
    return found


def list_assignments(root: Path | None = None) -> list[Spec]:
    """Every assignment of the course, sorted by id."""
    root = root or course_root()
    return [load_assignment(name, root) for name in sorted(_spec_files(root))]


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise SpecError(_("{path}: {error}").format(path=path, error=exc)) from exc


def find_bundle(name: str, start: Path | None = None) -> Path | None:
    """A student bundle for `name`: a folder (this one or a parent) whose assignment.toml has that id."""
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        candidate = folder / "assignment.toml"
        if candidate.is_file() and _read_toml(candidate).get("id") == name:
            return folder
    return None


def load_assignment(name: str, root: Path | None = None) -> Spec:
    """Load one assignment by id (e.g. "hw03"): from the course, else from a student bundle."""
    root = root or course_root()
    files = _spec_files(root)
    if name in files:
        return _with_catalogs(parse_spec(_read_toml(files[name]), root))
    bundle = find_bundle(name)
    if bundle:
        return _with_catalogs(parse_spec(_read_toml(bundle / "assignment.toml"), bundle, bundle_dir=bundle))
    known = ", ".join(sorted(files)) or _("none")
    raise UnknownAssignment(_("unknown assignment {name} (known: {known})").format(name=repr(name), known=known))


def _with_catalogs(spec: Spec) -> Spec:
    """Register the assignment's message catalogs: hidden suites' (graders/hwNN) and public text's (exercises/hwNN)."""
    add_catalog(spec.id, spec.exercises_dir / "locale")
    add_catalog(spec.id, spec.grader_dir / "locale")
    return spec
