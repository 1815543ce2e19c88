"""The hidden suites (or the public tests) run by pytest in the parent, calling student code in the worker."""
from __future__ import annotations

from pathlib import Path

from graders.core.course_modules import expose_hidden_package
from graders.core.golden import GoldenStore
from graders.core.runner import GradingPlugin, run_suites
from graders.core.sandbox import Session
from graders.core.scoring import Outcome
from graders.core.spec import Spec


def suite_files(spec: Spec, public_only: bool) -> dict[Path, str]:
    """Test file -> part, for the hidden suites or the public tests."""
    folder = spec.exercises_dir / "tests" if public_only else spec.grader_dir
    return {folder / p.suite: p.name for p in spec.parts if (folder / p.suite).is_file()}


def suite_outcomes(spec: Spec, session: Session, public_only: bool, data: Path | None = None) -> list[Outcome]:
    """Every test of the selected suites, as outcomes (`data`: a checked --data file for the data_path fixture)."""
    expose_hidden_package(spec)
    files = suite_files(spec, public_only)
    if not files:
        return []
    by_path = {p.resolve(): part for p, part in files.items()}
    plugin = GradingPlugin(
        part_of=lambda path: by_path.get(Path(path).resolve(), "unknown"), student=session.student,
        golden=GoldenStore(spec.reference_dir / "golden"), device=session.device,
        weight=lambda part, name: spec.part(part).weight(name),
        visibility="visible" if public_only else "hidden", spec=spec, data_path=data,
        locate=session.submission.locate)
    return run_suites(list(files), plugin, rootdir=next(iter(files)).parent)
