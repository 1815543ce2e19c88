"""`grade new`: a minimal assignment and a renamed copy, each passing `grade check` in a temporary course."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from graders.core.authoring import new_assignment
from graders.core.authoring.clone import rename_text, retitle
from graders.core.authoring.layout import folders_of
from graders.core.authoring.scaffold import destination, fill, template_files
from graders.errors import GradersError

ROOT = Path(__file__).resolve().parents[1]
COURSE_FOLDERS = ("graders", "exercises", "reference", "submissions")


def grade(course: Path, *args: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, GRADERS_COURSE=str(course), LC_ALL="C", LANG="C")
    return subprocess.run([sys.executable, "-c", "from graders.cli import run; run()", *args],
                          capture_output=True, text=True, timeout=600, env=env, cwd=course)


def course_with(tmp_path: Path, *assignments: str) -> Path:
    """A temporary course holding copies of these assignments of the repository (and nothing else)."""
    course = tmp_path / "course"
    (course / "graders").mkdir(parents=True)
    for hw in assignments:
        for folder in COURSE_FOLDERS:
            shutil.copytree(ROOT / folder / hw, course / folder / hw,
                            ignore=shutil.ignore_patterns("__pycache__"))
    return course


def test_rename_text_renames_whole_ids_in_their_case():
    text = "from graders.hw03 import wrong  # HW03, hw03.ipynb, hw03_submission/, hw031, xhw03"
    assert rename_text(text, "hw03", "hw07") == \
        "from graders.hw07 import wrong  # HW07, hw07.ipynb, hw07_submission/, hw031, xhw03"


def test_retitle_replaces_only_the_top_level_title():
    text = 'id = "hw07"\ntitle = "Old"\n[parts.a]\nhint = "title = kept"\n'
    assert retitle(text, 'Batch "norm"') == 'id = "hw07"\ntitle = "Batch \\"norm\\""\n[parts.a]\nhint = "title = kept"\n'


def test_template_files_map_to_the_four_course_folders(tmp_path):
    targets = {destination(tmp_path, f, "hw06").relative_to(tmp_path).parts[:2] for f in template_files()}
    assert targets == {(folder, "hw06") for folder in COURSE_FOLDERS}
    assert "__ID__" not in fill("__ID__ __TITLE__ __TITLE_TOML__", "hw06", "T")
    assert fill("title = __TITLE_TOML__", "hw06", "归一化") == 'title = "归一化"'


@pytest.mark.parametrize("bad", ["hw6", "homework", "hw06/../x", "HW06", "hw0612"])
def test_a_bad_id_is_refused_before_anything_is_written(tmp_path, bad):
    with pytest.raises(GradersError, match="is not an assignment id: use hw and two or three digits"):
        new_assignment(bad, root=tmp_path)
    assert list(tmp_path.iterdir()) == []


def test_an_existing_assignment_is_never_overwritten(tmp_path):
    (tmp_path / "exercises" / "hw06").mkdir(parents=True)
    with pytest.raises(GradersError, match="hw06 already exists in this course"):
        new_assignment("hw06", root=tmp_path)
    assert not (tmp_path / "graders" / "hw06").exists()


def test_from_a_path_is_not_an_assignment(tmp_path):
    (tmp_path / "graders" / "hw03").mkdir(parents=True)
    (tmp_path / "graders" / "hw03" / "assignment.toml").write_text('id = "hw03"')
    with pytest.raises(GradersError, match="unknown assignment '../graders/hw03'"):
        new_assignment("hw07", source="../graders/hw03", root=tmp_path)
    assert not (tmp_path / "graders" / "hw07").exists()


def test_from_an_unknown_assignment_is_a_usage_error_and_leaves_nothing(tmp_path):
    course = course_with(tmp_path)
    proc = grade(course, "new", "hw07", "--from", "hw99")
    assert proc.returncode == 2 and "unknown assignment 'hw99'" in proc.stderr and "Traceback" not in proc.stderr
    assert not any(p.exists() for p in folders_of(course, "hw07"))


def test_grade_new_minimal_passes_grade_check_at_once(tmp_path):
    course = course_with(tmp_path)
    made = grade(course, "new", "hw06", "--title", "Batch normalisation")
    assert made.returncode == 0, made.stdout + made.stderr
    assert "created hw06" in made.stdout and "(1 golden cases)" in made.stdout
    assert "no translation for 'Batch normalisation'" in made.stdout  # a new title is the one thing to translate
    checked = grade(course, "check", "hw06")
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert checked.stdout.splitlines()[-1] == "4/4 checks passed"
    assert 'title = "Batch normalisation"' in (course / "graders" / "hw06" / "assignment.toml").read_text()


def test_grade_new_from_hw03_renames_every_id_and_passes_grade_check(tmp_path):
    course = course_with(tmp_path, "hw03")
    made = grade(course, "new", "hw07", "--from", "hw03")
    assert made.returncode == 0, made.stdout + made.stderr
    assert "to translate" not in made.stdout  # same title, same translations
    for folder in folders_of(course, "hw07"):
        for path in folder.rglob("*"):
            assert "hw03" not in path.name
            if path.is_file() and path.suffix in (".py", ".toml", ".md", ".po", ".pot", ".json", ".ipynb"):
                assert "hw03" not in path.read_text(encoding="utf-8").lower(), path
    assert (course / "graders" / "hw07" / "locale" / "zh_CN" / "LC_MESSAGES" / "hw07.mo").is_file()
    checked = grade(course, "check", "hw07")
    assert checked.returncode == 0, checked.stdout + checked.stderr
    passed, total = checked.stdout.splitlines()[-1].removesuffix(" checks passed").split("/")
    assert passed == total and int(total) > 20


def test_grade_new_has_help_with_an_example():
    from click.testing import CliRunner

    from graders.cli import main

    result = CliRunner().invoke(main, ["new", "--help"])
    assert result.exit_code == 0 and "Example: grade new hw06" in result.output and "--from HW" in result.output
