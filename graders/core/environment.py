"""Where a submission is graded: the device asked for, and the environment a report records."""
from __future__ import annotations

import platform
from typing import Any

from graders.core.sandbox import Session, WorkerFault
from graders.errors import SubmissionError
from graders.i18n import _


def resolve_device(device: str) -> str:
    """auto -> cuda when available, else cpu; cuda without a GPU is a usage error."""
    import torch

    if device == "auto":
        return "cuda" if torch.cuda.is_available() else "cpu"
    if device == "cuda" and not torch.cuda.is_available():
        raise SubmissionError(_("--device cuda was asked for, but no CUDA GPU is available here"))
    return device


def confinement(session: Session) -> dict[str, list[str]]:
    """The sandbox measures applied to (and missing from) this session's worker, as its probe reports them."""
    try:
        return session.student("_probe").confinement()
    except WorkerFault as exc:
        return {"applied": [], "missing": [_("sandbox probe failed: {error}").format(error=exc)]}


def sandbox_notes(confined: dict[str, list[str]]) -> list[str]:
    """One report note per sandbox measure this host could not apply."""
    return [_("sandbox: {measure} unavailable on this host").format(measure=_(m)) for m in confined["missing"]]


def environment(device: str, confined: dict[str, list[str]], peak_mb: float | None, workers: int) -> dict[str, Any]:
    """Where it ran; `workers`: the fresh children this submission needed (1 unless its code crashed or hung)."""
    import torch

    return {"device": device, "torch": torch.__version__.split("+")[0], "python": platform.python_version(),
            "sandbox": confined.get("applied", []), "sandbox_missing": confined.get("missing", []),
            "worker_peak_mb": peak_mb, "workers": workers}
