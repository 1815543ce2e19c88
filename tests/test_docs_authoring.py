"""docs/authoring.md is true: every `$ ` command of its console blocks runs, in order, in a fresh course copy.

A line under a command is text its output must contain. A command marked
`# needs a GPU` runs only where CUDA is available.
"""
from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DOC = ROOT / "docs" / "authoring.md"
BLOCK = re.compile(r"^```console\n(.*?)^```", re.MULTILINE | re.DOTALL)
GPU_MARK = "# needs a GPU"
NOT_COURSE = shutil.ignore_patterns(".git", ".venv", "__pycache__", "*.egg-info", "build", "dist", "out")


def commands(markdown: str) -> list[tuple[str, list[str]]]:
    """(command, expected output lines) for every `$ ` line of every console block, in order (pure)."""
    found: list[tuple[str, list[str]]] = []
    for block in BLOCK.findall(markdown):
        for line in block.splitlines():
            if line.startswith("$ "):
                found.append((line[2:].strip(), []))
            elif line.strip() and found:
                found[-1][1].append(line.strip())
    return found


def argv(command: str) -> list[str]:
    words = shlex.split(command.split(" #")[0])
    if words[0] == "grade":
        return [sys.executable, "-c", "from graders.cli import run; run()", *words[1:]]
    assert words[0] == "python", command
    return [sys.executable, *words[1:]]


def test_the_guide_has_commands_for_every_step():
    run = [c for c, _ in commands(DOC.read_text(encoding="utf-8"))]
    for needed in ("grade new hw06", "grade new hw07 --from hw03", "grade check hw06", "grade reference hw06",
                   "grade dist hw06", "grade gradescope hw06", "python -m graders.catalogs check ."):
        assert any(c.startswith(needed) for c in run), needed
    assert "(assignment-keys.md)" in DOC.read_text(encoding="utf-8")


def test_every_command_of_the_guide_runs_in_a_fresh_course(tmp_path):
    import torch

    course = tmp_path / "course"
    shutil.copytree(ROOT, course, ignore=NOT_COURSE, symlinks=True)
    env = dict(os.environ, GRADERS_COURSE=str(course), LC_ALL="C", LANG="C", LANGUAGE="")
    for command, expected in commands(DOC.read_text(encoding="utf-8")):
        if GPU_MARK in command and not torch.cuda.is_available():
            continue
        proc = subprocess.run(argv(command), cwd=course, env=env, capture_output=True, text=True, timeout=600)
        output = proc.stdout + proc.stderr
        assert proc.returncode == 0, f"$ {command}\n{output}"
        for line in expected:
            assert line in output, f"$ {command}: {line!r} not in\n{output}"


@pytest.mark.parametrize("command", ["grade new hw06 --title 'A b'", "python -m graders.catalogs check ."])
def test_commands_become_argv_without_a_shell(command):
    assert argv(command)[0] == sys.executable and "'" not in " ".join(argv(command))
