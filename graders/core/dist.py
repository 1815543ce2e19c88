"""`grade dist` (the student bundle) and `grade gradescope` (the autograder zip).

The bundle holds public material only — stubs, public tests, assignment text,
a wheel of the engine, CI files — and is scanned for hidden material before it
is handed out. The autograder zip is for the instructor's Gradescope account and
carries the course with its hidden suites.
"""
from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from string import Template

from graders.core.leaks import fingerprints, scan
from graders.core.notebook_template import template_notebook
from graders.core.public_spec import public_toml
from graders.core.spec import Spec
from graders.errors import GradersError, LeakError
from graders.i18n import _

TEMPLATES = Path(__file__).parent / "templates"
SKIP = shutil.ignore_patterns("__pycache__", "*.pyc", ".pytest_cache", "*.egg-info")


def _render(name: str, **values: str) -> str:
    return Template((TEMPLATES / name).read_text(encoding="utf-8")).safe_substitute(values)


def build_wheel(course_root: Path, out: Path) -> Path:
    """The engine's wheel (hidden suites excluded by pyproject), built with pip."""
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "src"
        shutil.copytree(course_root, source, ignore=shutil.ignore_patterns(
            ".venv", ".git", "__pycache__", "*.egg-info", "build", "dist", "submissions", "reference"))
        proc = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation",
                               "-q", "-w", str(out), str(source)], capture_output=True, text=True)
        if proc.returncode != 0:
            raise GradersError(_("building the grader's wheel failed:\n{error}").format(error=proc.stderr[-2000:]))
    return next(out.glob("graders-*.whl"))


def _write(path: Path, text: str, executable: bool = False) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    if executable:
        path.chmod(0o755)


def build_bundle(spec: Spec, out: Path, make_zip: bool = False, force: bool = False) -> Path:
    """Write the student bundle: the folder `out`, or with `make_zip` only the zip `out` (".zip" added when
    missing) holding one top folder. `force` replaces an earlier bundle in `out`. LeakError if a scan finds
    hidden material (nothing is kept then)."""
    if make_zip:
        target = out if out.suffix == ".zip" else out.with_name(out.name + ".zip")
        if target.exists() and not force:
            raise GradersError(_("{path} exists; use --force to replace it").format(path=target))
        with tempfile.TemporaryDirectory() as tmp:
            folder = _write_bundle(spec, Path(tmp) / target.stem)
            return zip_bundle(spec, folder, target)
    _make_room(out, force)
    return _write_bundle(spec, out)


def _make_room(out: Path, force: bool) -> None:
    """An empty or new folder for the bundle; with `force`, an earlier bundle there is removed first."""
    if not out.exists() or not any(out.iterdir()):
        return
    if not force:
        raise GradersError(_("{path} is not empty; choose a new folder, or use --force to replace the bundle "
                             "there").format(path=out))
    if not (out / "assignment.toml").is_file() or not (out / "wheels").is_dir():
        raise GradersError(_("{path} does not hold a bundle; --force replaces only an earlier bundle").format(
            path=out))
    shutil.rmtree(out)


def zip_bundle(spec: Spec, folder: Path, target: Path) -> Path:
    """`target`, a zip of the bundle `folder` under one top folder (its name), scanned before it is kept."""
    with tempfile.TemporaryDirectory() as tmp:
        archive = Path(shutil.make_archive(str(Path(tmp) / folder.name), "zip", folder.parent, folder.name))
        _refuse_leaks(spec, [archive])
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.move(str(archive), target)
    return target


def _write_bundle(spec: Spec, out: Path) -> Path:
    """The bundle's files in the folder `out`, scanned."""
    shutil.copytree(spec.exercises_dir, out, ignore=SKIP, dirs_exist_ok=True)
    _write(out / "assignment.toml", public_toml((spec.grader_dir / "assignment.toml").read_text(encoding="utf-8")))
    wheel = build_wheel(spec.course_root, out / "wheels")
    text = (spec.exercises_dir / "README.md").read_text(encoding="utf-8") if (spec.exercises_dir / "README.md").is_file() else ""
    zh = "中文说明：[README.zh.md](README.zh.md)\n\n" if (spec.exercises_dir / "README.zh.md").is_file() else ""
    first = spec.parts[0].name if spec.parts else ""
    values = {"assignment": spec.id, "title": spec.title, "assignment_text": text, "readme_zh": zh,
              "first_part": first}
    _write(out / "README.md", _render("bundle_README.md", **values))
    if zh:  # the Chinese text with the same setup, notebook and CI sections
        _write(out / "README.zh.md", _readme_zh(spec, values))
    _write(out / "requirements.txt", f"./wheels/{wheel.name}\n")
    _write(out / ".github" / "workflows" / "grade.yml", _render("grade.yml", **values))
    _write(out / ".gitlab-ci.yml", _render("gitlab-ci.yml", **values))
    if spec.notebook and not (out / spec.notebook).exists():
        _write(out / spec.notebook, template_notebook(spec))
    _write(out / ".gitignore", ".venv/\n__pycache__/\nreport.xml\n")
    _refuse_leaks(spec, [out])
    return out


def _readme_zh(spec: Spec, values: dict[str, str]) -> str:
    """README.zh.md: the exercise's Chinese text under the setup, notebook and CI sections."""
    text_zh = (spec.exercises_dir / "README.zh.md").read_text(encoding="utf-8")
    first_line, _sep, rest = text_zh.partition("\n")
    heading, body = (first_line, rest.lstrip("\n")) if first_line.startswith("# ") else (
        f"# {spec.id} — {spec.title}", text_zh)
    return _render("bundle_README.zh.md", **values, heading_zh=heading, assignment_text_zh=body)


def _refuse_leaks(spec: Spec, artefacts: list[Path]) -> None:
    prints = fingerprints(spec.course_root, spec.id)
    leaks = [leak for a in artefacts for leak in scan(a, prints)]
    if leaks:
        for artefact in artefacts:
            shutil.rmtree(artefact, ignore_errors=True) if artefact.is_dir() else artefact.unlink(missing_ok=True)
        raise LeakError(_("hidden material found, nothing was written:\n  {leaks}").format(leaks="\n  ".join(leaks[:10])))


def build_autograder(spec: Spec, out: Path, lang: str = "en") -> Path:
    """A Gradescope autograder zip: setup.sh, run_autograder and the course with its hidden suites.

    `lang`: the language of the feedback students read (zh or en)."""
    root = spec.course_root
    with tempfile.TemporaryDirectory() as tmp:
        stage = Path(tmp)
        course = stage / "course"
        course.mkdir()
        for name in ("pyproject.toml", "README.md", "MANIFEST.in"):
            if (root / name).is_file():
                shutil.copy2(root / name, course / name)
        shutil.copytree(root / "graders", course / "graders", ignore=SKIP)
        shutil.copytree(spec.exercises_dir, course / "exercises" / spec.id, ignore=SKIP)
        (course / "reference" / spec.id).mkdir(parents=True)
        if (spec.reference_dir / "golden").is_dir():
            shutil.copytree(spec.reference_dir / "golden", course / "reference" / spec.id / "golden")
            shutil.copy2(spec.reference_dir / "manifest.json", course / "reference" / spec.id / "manifest.json")
        _write(stage / "setup.sh", _render("setup.sh", assignment=spec.id), executable=True)
        _write(stage / "run_autograder", _render("run_autograder", assignment=spec.id, lang=lang), executable=True)
        archive = shutil.make_archive(str(out.with_suffix("")), "zip", stage)
    return Path(archive)
