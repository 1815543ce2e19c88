"""Assignments as data: each `graders/hwNN/assignment.toml`, checked against its schema, becomes a frozen Spec.

The schema (keys, types, defaults) is graders/core/assignment_schema.py; where
the files live (course folders, a student bundle) is graders/core/course.py.

Adding an assignment means adding folders (graders/hwNN, exercises/hwNN,
reference/hwNN, submissions/hwNN), never editing the engine.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from graders.core.assignment_schema import LIMITS, PART, RULE, SANDBOX_LIMITS, TOP, check
from graders.core.course import (SPEC_FILE, Layout, course_root, find_bundle, found_bundles, read_toml,
                                 register_catalogs, shown_path, spec_files)
from graders.core.sandbox import Limits
from graders.errors import UnknownAssignment
from graders.i18n import _


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
    late: dict[str, Any] = field(default_factory=dict)  # [late]: the late policy `grade batch` applies

    @property
    def max_score(self) -> float:
        return sum(p.points for p in self.parts)

    @property
    def layout(self) -> Layout:
        """Where this assignment's folders are (course.py): the model itself does not depend on it."""
        return Layout(self.course_root, self.id, self.bundle_dir)

    @property
    def grader_dir(self) -> Path:
        return self.layout.grader_dir

    @property
    def exercises_dir(self) -> Path:
        return self.layout.exercises_dir

    @property
    def harness_path(self) -> Path | None:
        """The worker-side harness (public: it drives student objects and holds nothing secret)."""
        return self.exercises_dir / self.harness if self.harness else None

    @property
    def reference_dir(self) -> Path:
        return self.layout.reference_dir

    @property
    def samples_dir(self) -> Path:
        return self.layout.samples_dir

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
        return self.layout.hidden_paths()

    @property
    def data_module(self) -> Path | None:
        """The assignment's data module (trusted, next to the hidden suites), if it declares one."""
        name = self.data.get("module", "")
        return self.grader_dir / name if name else None


def _rules(raw: list[dict[str, Any]]) -> tuple[Rule, ...]:
    return tuple(Rule(name=r["name"], functions=tuple(r["functions"]), forbid=tuple(r["forbid"]),
                      hint=r.get("hint", RULE.key("hint").default)) for r in raw)


def _part(name: str, raw: dict[str, Any]) -> Part:
    """A [parts.NAME] table (already checked against the schema) as a Part, its defaults filled in."""
    given = {**PART.defaults(), **raw}
    timeout = given.get("call_timeout_s")
    return Part(name=name, points=float(given["points"]), suite=given.get("suite", f"test_{name}.py"),
                modules=tuple(given.get("modules", [name])), weights=dict(given["weights"]),
                rules=_rules(given["rules"]), answers=dict(given["answers"]), derivations=dict(given["derivations"]),
                keys=given["keys"], call_timeout_s=float(timeout) if timeout is not None else None)


def _limits(raw: dict[str, Any]) -> Limits:
    return Limits(**{k: v for k, v in raw.items() if k in SANDBOX_LIMITS})


def parse_spec(raw: dict[str, Any], root: Path, bundle_dir: Path | None = None,
               source: str = SPEC_FILE) -> Spec:
    """Check the toml's content against the schema and build a Spec (pure); SpecError names `source`."""
    check(raw, source)
    given = {**TOP.defaults(), **raw}
    limits = {**LIMITS.defaults(), **given["limits"]}
    return Spec(
        id=given["id"], title=given["title"], files=tuple(given["files"]),
        parts=tuple(_part(n, p) for n, p in given["parts"].items()), course_root=root,
        notebook=given["notebook"], harness=given["harness"], cases=given["cases"], limits=_limits(limits),
        time_limit_s=float(limits["time_limit_s"]), call_timeout_s=float(limits["call_timeout_s"]),
        bundle_dir=bundle_dir, data=dict(given["data"]), private=dict(given["private"]), late=dict(given["late"]),
    )


def list_assignments(root: Path | None = None) -> list[Spec]:
    """Every assignment of the course, sorted by id; without a course, the student bundles found (course.found_bundles)."""
    root = root or course_root()
    files = spec_files(root)
    bundles = {} if files else found_bundles()
    return [load_assignment(name, root) for name in sorted(files or bundles)]


def load_spec_file(path: Path, root: Path, bundle_dir: Path | None = None) -> Spec:
    """Read, check and build one assignment.toml; errors name it relative to the course."""
    return parse_spec(read_toml(path), root, bundle_dir=bundle_dir, source=shown_path(path, root))


def load_assignment(name: str, root: Path | None = None, near: Path | None = None) -> Spec:
    """Load one assignment by id (e.g. "hw03"): from the course, else from a student bundle.

    `near`: the submission being graded; a bundle is looked for there (and in its
    parents) first, then in this folder, then around the running venv."""
    root = root or course_root()
    files = spec_files(root)
    if name in files:
        return _with_catalogs(load_spec_file(files[name], root))
    bundle = find_bundle(name, near=near)
    if bundle:
        return _with_catalogs(load_spec_file(bundle / SPEC_FILE, bundle, bundle_dir=bundle))
    known = ", ".join(sorted(files)) or _("none")
    raise UnknownAssignment(_("unknown assignment {name} (known: {known})").format(name=repr(name), known=known))


def _with_catalogs(spec: Spec) -> Spec:
    register_catalogs(spec.id, spec.layout)
    return spec
