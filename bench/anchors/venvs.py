"""One virtual environment per anchor tool, installed from PyPI with pinned versions and reused.

torch==2.13.0 is installed first (the CPU wheel), so no dependency range of the tool pulls a CUDA
build; the pins below were verified to install and run on Python 3.11 with that torch.
"""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
VENVS = ROOT / "bench" / ".anchors-venvs"
TORCH = "torch==2.13.0"
PINS: dict[str, tuple[str, ...]] = {
    # otter's notebook execution goes through nbconvert and a Jupyter kernel; it does not depend on ipykernel
    "otter": ("otter-grader==7.0.0", "ipykernel==7.4.0"),
    "nbgrader": ("nbgrader==0.9.6",),
}
_MARKER = "bench-pins.txt"


def ensure(tool: str, root: Path = VENVS) -> Path:
    """The venv folder for `tool`, created and installed unless one with the same pins exists."""
    venv = root / tool
    pins = "\n".join((TORCH, *PINS[tool])) + "\n"
    marker = venv / _MARKER
    if marker.is_file() and marker.read_text() == pins and (venv / "bin" / "python").is_file():
        return venv
    print(f"[anchors] creating {venv} with {', '.join(PINS[tool])} (one-time, a few minutes)", flush=True)
    subprocess.run([sys.executable, "-m", "venv", "--clear", str(venv)], check=True)
    pip = [str(venv / "bin" / "python"), "-m", "pip", "install", "-q", "--disable-pip-version-check"]
    subprocess.run([*pip, TORCH], check=True)
    subprocess.run([*pip, *PINS[tool]], check=True)
    marker.write_text(pins)
    return venv


def tool_env(venv: Path) -> dict[str, str]:
    """The environment for running a tool's commands: its venv first on PATH, one thread per kernel
    (the tools run one kernel per notebook; more threads only compete on a small machine)."""
    env = dict(os.environ, VIRTUAL_ENV=str(venv), OMP_NUM_THREADS="1", MKL_NUM_THREADS="1")
    env["PATH"] = f"{venv / 'bin'}{os.pathsep}{env.get('PATH', '')}"
    env.pop("PYTHONPATH", None)
    return env
