"""`grade reference HW`: run the reference solution on the assignment's cases and record golden outputs.

A cases module may also define `summary(spec, data_path, outputs, seconds) -> dict`
(figures such as the reference's accuracy per seed); it is then kept in the
manifest under `summary[<device>]` (other devices' figures stay) and no golden
files are written. Its `cases()` may take `(spec, data_path)`.
"""
from __future__ import annotations

import datetime as dt
import inspect
import json
import platform
import time
from pathlib import Path
from types import ModuleType
from dataclasses import dataclass, replace
from typing import Any

from graders.core.course_modules import expose_hidden_package, load_course_module
from graders.core.golden import Case, save_case
from graders.core.grader import Grader, using
from graders.i18n import _
from graders.core.spec import Spec
from graders.core.submission import load_submission
from graders.errors import SpecError


def cases_module(spec: Spec) -> ModuleType | None:
    """The assignment's declared cases module (trusted code in graders/hwNN)."""
    if not spec.cases:
        return None
    path = spec.grader_dir / spec.cases
    if not path.is_file():
        raise SpecError(_("{assignment}: cases file {path} is missing").format(assignment=spec.id, path=path))
    expose_hidden_package(spec)  # the cases may import their assignment's helpers
    return load_course_module(path, f"graders.{spec.id}.cases")  # instructor code, never student code


def load_cases(spec: Spec, data: Path | None = None) -> list[Case]:
    """The assignment's declared cases; `cases(spec, data_path)` when the module asks for them."""
    module = cases_module(spec)
    if module is None:
        return []
    wants = inspect.signature(module.cases).parameters
    return list(module.cases(spec, data) if wants else module.cases())


def _previous(path: Path) -> dict[str, Any]:
    try:
        return json.loads(path.read_text()) if path.is_file() else {}
    except json.JSONDecodeError:
        return {}


def _dtypes(cases: list[Case]) -> list[str]:
    """Floating dtypes of the cases' tensor and numpy array inputs."""
    import numpy as np
    import torch

    seen = set()
    for case in cases:
        for value in case.args:
            if isinstance(value, torch.Tensor) and value.is_floating_point():
                seen.add(str(value.dtype).removeprefix("torch."))
            elif isinstance(value, np.ndarray) and value.dtype.kind == "f":
                seen.add(str(value.dtype))
    return sorted(seen)


def run_cases(spec: Spec, cases: list[Case], device: str, grader: Grader | None,
               data: Path | None) -> tuple[dict[str, Any], dict[str, float]]:
    """Each case's output and wall time, from the reference run in the sandbox."""
    submission = load_submission(spec.reference_dir, spec)
    outputs, seconds = {}, {}
    with using(grader) as grader:
        session = grader.session(spec, submission, device=device, time_limit_s=600,
                                 hidden=(str(data),) if data else ())
        try:
            for case in cases:
                start = time.monotonic()
                outputs[case.name] = session.request(case.part, case.request(), case.target, timeout=300)
                seconds[case.name] = time.monotonic() - start
        finally:
            session.close()
    return outputs, seconds


def record(spec: Spec, device: str = "cpu", grader: Grader | None = None,
           data: Path | None = None) -> dict[str, Any]:
    """Run every case against reference/hwNN in the sandbox; write golden/*.msgpack (or a summary) and manifest.json."""
    import torch

    cases = load_cases(spec, data)
    outputs, seconds = run_cases(spec, cases, device, grader, data)
    return write_record(spec, cases, Recorded(outputs, seconds, device, torch.__version__,
                                              platform.python_version()), data)


@dataclass(frozen=True)
class Recorded:
    """What a reference run gave: each case's output and seconds, and where it ran (device, torch, python)."""

    outputs: dict[str, Any]
    seconds: dict[str, float]
    device: str
    torch: str
    python: str


def write_record(spec: Spec, cases: list[Case], run: Recorded, data: Path | None = None) -> dict[str, Any]:
    """Write golden/*.msgpack (or the cases module's summary) and manifest.json from a reference run; the manifest.

    Shared by `grade reference` here and on a Dask GPU worker (graders.core.batch.dask_reference)."""
    module = cases_module(spec)
    path = spec.reference_dir / "manifest.json"
    manifest = _previous(path)
    manifest.update({"assignment": spec.id, "device": run.device, "dtypes": _dtypes(cases),
                     "torch": run.torch, "python": run.python,
                     "recorded": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")})
    if module is not None and hasattr(module, "summary"):
        key = run.device if data is None else f"{run.device} --data {data.name}"
        manifest.setdefault("summary", {})[key] = module.summary(spec, data, run.outputs, run.seconds)
        manifest["cases"] = {case.name: "summarized, not stored" for case in cases}
    else:
        folder = spec.reference_dir / "golden"
        manifest["cases"] = {c.name: save_case(folder, replace(c, output=run.outputs[c.name])) for c in cases}
    path.write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n")
    return manifest
