"""`grade reference HW`: run the reference solution on the assignment's cases and record golden outputs."""
from __future__ import annotations

import datetime as dt
import importlib.util
import json
import platform
from dataclasses import replace
from typing import Any

from graders.core.golden import Case, save_case
from graders.core.sandbox import Template
from graders.core.session import Session
from graders.i18n import _
from graders.core.spec import Spec
from graders.core.submission import load_submission
from graders.errors import SpecError


def load_cases(spec: Spec) -> list[Case]:
    """The assignment's declared cases (trusted code in graders/hwNN)."""
    if not spec.cases:
        return []
    path = spec.grader_dir / spec.cases
    if not path.is_file():
        raise SpecError(_("{assignment}: cases file {path} is missing").format(assignment=spec.id, path=path))
    module_spec = importlib.util.spec_from_file_location(f"graders.{spec.id}.cases", path)
    module = importlib.util.module_from_spec(module_spec)
    module_spec.loader.exec_module(module)  # instructor code, never student code
    return list(module.cases())


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


def record(spec: Spec, device: str = "cpu", template: Template | None = None) -> dict[str, Any]:
    """Run every case against reference/hwNN in the sandbox; write golden/*.msgpack and manifest.json."""
    import torch

    cases = load_cases(spec)
    submission = load_submission(spec.reference_dir, spec)
    folder = spec.reference_dir / "golden"
    own = template is None
    template = template or Template()
    session = Session(spec, submission, template, device=device, time_limit_s=600)
    hashes = {}
    try:
        for case in cases:
            output = session.request(case.part, case.request(), case.target, timeout=60)
            hashes[case.name] = save_case(folder, replace(case, output=output))
    finally:
        session.close()
        if own:
            template.close()
    manifest = {"assignment": spec.id, "device": device, "dtypes": _dtypes(cases),
                "torch": torch.__version__, "python": platform.python_version(),
                "recorded": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"), "cases": hashes}
    (spec.reference_dir / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n")
    return manifest
