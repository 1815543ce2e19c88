"""Student bundle, built artefacts and the Gradescope autograder: public material out, hidden material in.

The leak scan reads the artefacts' contents (wheel, sdist, bundle, zip), not only names.
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import jsonschema
import pytest
import yaml

from graders.core.dist import build_autograder, build_bundle, zip_bundle
from graders.core.leaks import fingerprints, scan
from graders.core.spec import load_assignment
from graders.errors import GradersError

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "submissions" / "hw03"
SCHEMA = json.loads((ROOT / "tests" / "core" / "formats" / "gradescope_schema.json").read_text())
GRADE = [sys.executable, "-c", "from graders.cli import run; run()"]


@pytest.fixture(scope="module")
def spec():
    return load_assignment("hw03")


@pytest.fixture(scope="module")
def prints(spec):
    return fingerprints(spec.course_root, spec.id)


@pytest.fixture(scope="module")
def bundle(spec, tmp_path_factory):
    out = tmp_path_factory.mktemp("bundle") / "hw03"
    build_bundle(spec, out)
    zip_bundle(spec, out, out.with_suffix(".zip"))
    return out


def bundle_env() -> dict[str, str]:
    """As on a student's machine: no course checkout to find, only the bundle."""
    return dict(os.environ, GRADERS_COURSE="/nonexistent-course")


def test_wheel_and_sdist_carry_no_hidden_material(tmp_path, prints):
    subprocess.run([sys.executable, "-m", "build", "--no-isolation", "-o", str(tmp_path), str(ROOT)],
                   check=True, capture_output=True)
    artefacts = sorted(tmp_path.glob("graders-*"))
    assert {a.suffix for a in artefacts} == {".whl", ".gz"}
    for artefact in artefacts:
        assert scan(artefact, prints) == [], artefact.name


def test_scan_finds_hidden_material_by_content_not_only_by_name(tmp_path, prints):
    (tmp_path / "notes.txt").write_text((ROOT / "graders" / "hw03" / "test_softmax.py").read_text())
    shutil.copy(ROOT / "reference" / "hw03" / "golden" / "adam_trajectory.msgpack", tmp_path / "data.bin")
    (tmp_path / "ok.py").write_text((ROOT / "exercises" / "hw03" / "softmax.py").read_text())
    leaks = scan(tmp_path, prints)
    assert any(l.startswith("notes.txt: identical to graders/hw03/test_softmax.py") for l in leaks)
    (tmp_path / "notes.txt").write_text("my notes\n" + (ROOT / "graders" / "hw03" / "test_softmax.py").read_text()[:1500])
    assert any(l.startswith("notes.txt: contains") and "graders/hw03/test_softmax.py" in l for l in scan(tmp_path, prints))
    assert any(l.startswith("data.bin: identical to reference/hw03/golden/adam_trajectory.msgpack") for l in leaks)
    assert not any(l.startswith("ok.py") for l in leaks)


def test_bundle_holds_the_public_material_and_passes_the_scan(bundle, prints):
    names = {p.relative_to(bundle).as_posix() for p in bundle.rglob("*") if p.is_file()}
    assert {"softmax.py", "ema.py", "optimizers.py", "dropout.py", "derivation.md", "README.md",
            "assignment.toml", "requirements.txt", ".github/workflows/grade.yml", ".gitlab-ci.yml",
            "tests/test_softmax.py", "tests/harness.py", "hw03.ipynb"} <= names
    assert any(n.startswith("wheels/graders-") and n.endswith(".whl") for n in names)
    assert scan(bundle, prints) == [] and scan(bundle.with_suffix(".zip"), prints) == []
    assert "public checks" in (bundle / "README.md").read_text()
    toml = (bundle / "assignment.toml").read_text()
    assert ".weights]" not in toml and "keys.toml" not in toml and "stable_for_large_logits" not in toml


def test_dist_writes_exactly_what_output_and_zip_say(spec, tmp_path, bundle):
    archive = build_bundle(spec, tmp_path / "b.zip", make_zip=True)
    assert archive == tmp_path / "b.zip" and sorted(p.name for p in tmp_path.iterdir()) == ["b.zip"]
    with zipfile.ZipFile(archive) as zf:
        assert {n.split("/")[0] for n in zf.namelist()} == {"b"} and "b/assignment.toml" in zf.namelist()
    with pytest.raises(GradersError, match="use --force"):
        build_bundle(spec, tmp_path / "b.zip", make_zip=True)
    with pytest.raises(GradersError, match="use --force to replace the bundle"):
        build_bundle(spec, bundle)
    other = tmp_path / "mine"
    other.mkdir()
    (other / "notes.txt").write_text("mine")
    with pytest.raises(GradersError, match="does not hold a bundle"):
        build_bundle(spec, other, force=True)
    assert (other / "notes.txt").read_text() == "mine"


def test_hw02_bundle_ships_the_chinese_text_and_public_catalog_but_no_hidden_one(tmp_path):
    spec = load_assignment("hw02")
    out = build_bundle(spec, tmp_path / "hw02")
    assert (out / "README.zh.md").read_text(encoding="utf-8").startswith("# hw02 — 手推反向传播")
    assert "中文说明：[README.zh.md](README.zh.md)" in (out / "README.md").read_text(encoding="utf-8")
    zh = (out / "README.zh.md").read_text(encoding="utf-8")
    assert "## 安装一次，之后随时检查" in zh and "## 持续集成（CI）" in zh and "## Notebook" in zh
    assert "grade hw02 --fail-under 60" in zh and "$" + "assignment" not in zh
    assert (out / "locale" / "zh_CN" / "LC_MESSAGES" / "hw02.mo").is_file()
    hidden = (ROOT / "graders/hw02/locale/zh_CN/LC_MESSAGES/hw02.po").read_text(encoding="utf-8")
    assert "delta1 = (delta2 @ W2)" in hidden and "delta1 = (delta2 @ W2)" not in (
        out / "locale" / "zh_CN" / "LC_MESSAGES" / "hw02.po").read_text(encoding="utf-8")
    assert scan(out, fingerprints(spec.course_root, spec.id)) == []


def test_grade_in_the_bundle_runs_public_checks_only_and_says_so(bundle):
    proc = subprocess.run(GRADE + ["hw03"], cwd=bundle, env=bundle_env(), capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert "public checks: 0/25 passed — the hidden suite is run at submission" in proc.stdout
    assert "20 points (derivation) checked only at submission" in " ".join(proc.stdout.split())


def test_workflow_is_valid_yaml_and_its_grade_step_fails_below_the_threshold(bundle):
    workflow = yaml.safe_load((bundle / ".github" / "workflows" / "grade.yml").read_text())
    steps = workflow["jobs"]["grade"]["steps"]
    grade_step = next(s for s in steps if s.get("name") == "Grade")
    assert grade_step["run"].startswith("grade hw03 --format json --output report.json")
    assert workflow["jobs"]["grade"]["strategy"]["matrix"]["os"] == ["ubuntu-latest", "windows-latest", "macos-latest"]
    assert next(s for s in steps if s.get("uses", "").startswith("actions/setup-python"))["with"]["cache"] == "pip"
    env = dict(bundle_env(), FAIL_UNDER=workflow["env"]["FAIL_UNDER"],
               PATH=f"{Path(sys.executable).parent}:{os.environ['PATH']}")
    proc = subprocess.run(["bash", "-c", grade_step["run"]], cwd=bundle, env=env, capture_output=True, text=True,
                          timeout=120)
    assert proc.returncode == 1, proc.stderr  # the stubs score 0 < 60
    reports = next(s for s in steps if s.get("name") == "Reports")["run"].splitlines()[0]
    assert subprocess.run(["bash", "-c", reports], cwd=bundle, env=env, capture_output=True).returncode == 0
    root = ET.parse(bundle / "report.xml").getroot()
    assert root.tag == "testsuites" and int(root.get("tests")) == 25
    gitlab = yaml.safe_load((bundle / ".gitlab-ci.yml").read_text())
    assert grade_step["run"] in gitlab["grade"]["script"]


def test_classroom_command_gives_points_through_exit_codes(bundle, tmp_path):
    command = "grade hw03 --fail-under 60"
    assert command in (bundle / "README.md").read_text()
    solved = tmp_path / "solved"
    shutil.copytree(bundle, solved)
    for name in ("softmax.py", "ema.py", "optimizers.py", "dropout.py"):
        shutil.copy(ROOT / "reference" / "hw03" / name, solved / name)
    env = dict(bundle_env(), PATH=f"{Path(sys.executable).parent}:{os.environ['PATH']}")
    assert subprocess.run(["bash", "-c", command], cwd=solved, env=env, capture_output=True).returncode == 0
    assert subprocess.run(["bash", "-c", command], cwd=bundle, env=env, capture_output=True).returncode == 1


def test_bundle_installs_in_a_fresh_venv_and_grades(bundle, tmp_path):
    """The bundle README's own install command, in a fresh virtual environment (~1 min)."""
    readme = (bundle / "README.md").read_text()
    install = next(l for l in readme.splitlines() if l.startswith("python3 -m venv .venv"))
    work = tmp_path / "student"
    shutil.copytree(bundle, work)
    path = ":".join(p for p in os.environ["PATH"].split(":") if not p.startswith(str(Path(sys.executable).parent)))
    env = {k: v for k, v in bundle_env().items() if k != "VIRTUAL_ENV"} | {"PATH": path}
    proc = subprocess.run(["bash", "-c", install], cwd=work, env=env, capture_output=True, text=True, timeout=900)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert "public checks: 0/25 passed" in proc.stdout


def _run_autograder(tmp_path: Path, spec, submission: Path) -> dict:
    archive = build_autograder(spec, tmp_path / "autograder.zip")
    root = tmp_path / "autograder"
    with zipfile.ZipFile(archive) as zf:
        zf.extractall(root / "source")
    assert {"setup.sh", "run_autograder"} <= {p.name for p in (root / "source").iterdir()}
    shutil.copytree(submission, root / "submission")
    env = dict(os.environ, AUTOGRADER_ROOT=str(root), PATH=f"{Path(sys.executable).parent}:{os.environ['PATH']}")
    subprocess.run(["bash", str(root / "source" / "run_autograder")], env=env, capture_output=True, timeout=300)
    results = json.loads((root / "results" / "results.json").read_text())
    jsonschema.validate(results, SCHEMA)
    return results


def test_autograder_grades_the_reference_with_the_hidden_suite(tmp_path, spec):
    results = _run_autograder(tmp_path, spec, ROOT / "reference" / "hw03")
    assert results["score"] == 100.0
    hidden = [t for t in results["tests"] if not t["name"].startswith("public check: ")]
    public = [t for t in results["tests"] if t["name"].startswith("public check: ")]
    assert {t["visibility"] for t in hidden} == {"after_published"}
    assert public and {t["visibility"] for t in public} == {"visible"} and all(t["max_score"] == 0 for t in public)
    assert all(t["status"] == "passed" for t in public)
    assert any(t["name"].startswith("derivation::") for t in results["tests"])


def test_autograder_scores_a_buggy_sample(tmp_path, spec):
    results = _run_autograder(tmp_path, spec, SAMPLES / "mistake_momentum_pytorch_style")
    failed = [t for t in results["tests"] if t["status"] == "failed" and not t["name"].startswith("public check")]
    assert "public check: optimizers::three_steps[Momentum]" in [t["name"] for t in results["tests"]
                                                                if t["status"] == "failed"]
    assert [t["name"] for t in failed] == ["optimizers::trajectory[momentum]", "optimizers::none_grads_leave_parameter_alone[momentum]",
                                          "optimizers::param_groups[momentum]"]
    assert "PyTorch-style momentum" in failed[0]["output"]
    assert results["score"] == pytest.approx(100 - 30 * 4 / 21, abs=0.01)


def test_autograder_setup_uses_a_venv_and_feedback_speaks_the_chosen_language(tmp_path, spec):
    archive = build_autograder(spec, tmp_path / "autograder.zip", lang="zh")
    with zipfile.ZipFile(archive) as zf:
        setup, run = zf.read("setup.sh").decode(), zf.read("run_autograder").decode()
    assert 'python3 -m venv "$VENV"' in setup and "python3 -m pip" not in setup
    assert 'LANG_OPT="--lang zh"' in run and "--public-only" in run


def test_submission_cannot_forge_results_json(tmp_path, spec):
    forged = tmp_path / "forger"
    shutil.copytree(SAMPLES / "mistake_ema_no_first_step", forged)
    target = tmp_path / "autograder" / "results" / "results.json"
    (forged / "dropout.py").write_text((forged / "dropout.py").read_text() + textwrap_forgery(target))
    results = _run_autograder(tmp_path, spec, forged)
    assert results["score"] < 100 and "forged" not in json.dumps(results)
    assert any(t["name"] == "ema::ema_matches_reference" and t["status"] == "failed" for t in results["tests"])


def textwrap_forgery(target: Path) -> str:
    return (f"\nimport json as _j, os as _o\n"
            f"try:\n    _o.makedirs({str(target.parent)!r}, exist_ok=True)\n"
            f"    open({str(target)!r}, 'w').write(_j.dumps({{'score': 100, 'output': 'forged'}}))\n"
            f"except OSError:\n    pass\n")
