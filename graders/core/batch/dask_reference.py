"""`grade reference HW --scheduler tcp://HOST:8786`: the reference run as one Dask task, on a GPU worker for cuda.

Why: the golden outputs of a cuda assignment must come from a GPU, and the course's GPU is
often a Dask worker started with `--resources GPU=1`, not the TA's laptop. The task asks for
that resource (only such workers take it; a cluster without one is refused before anything is
submitted, never left waiting). It runs the reference's cases in the worker's sandbox, on the
worker's warm Grader, and sends back msgpack bytes (Dask ships bytes raw, no pickle). The parent
decodes them with the sandbox's wire protocol, checks every case is there with the types and
shapes of the golden output it replaces, then writes golden files and manifest exactly like a
local `grade reference` (reference.write_record).
"""
from __future__ import annotations

import hashlib
import math
import platform
import re
import uuid
from pathlib import Path
from typing import Any

from graders.core.batch.dask_executor import PLUGIN_NAME, cancelled_on_exit, connect, prepare_workers
from graders.core.formats.safe import plain
from graders.core.batch.pool import grader_version
from graders.core.golden import Case, GoldenStore
from graders.core.reference import Recorded, load_cases, run_cases, write_record
from graders.core.sandbox.wire import protocol
from graders.core.spec import Spec
from graders.errors import GradersError
from graders.i18n import _

MAX_RESULT_BYTES = 1 << 30  # the wire's own bound on one reply, for a whole reference run
_FIELDS = {"outputs", "seconds", "device", "torch", "python", "worker"}
_VERSION = re.compile(r"[\w.+-]{1,64}")


def solution_digest(spec: Spec) -> str:
    """Hash of the reference solution's own files (reference/hwNN without golden/ and the manifest)."""
    h = hashlib.sha256()
    for path in sorted(spec.reference_dir.rglob("*")):
        relative = path.relative_to(spec.reference_dir)
        if path.is_file() and relative.parts[0] not in ("golden", "manifest.json", "__pycache__"):
            h.update(str(relative).encode() + b"\0" + hashlib.sha256(path.read_bytes()).digest())
    return h.hexdigest()[:16]


def record_on_dask(spec: Spec, address: str, device: str = "cpu", gpu: bool | None = None) -> tuple[dict, str]:
    """Record `spec`'s golden outputs on the Dask cluster at `address`; (the manifest written, the worker's address).

    `device`: what the reference runs on ("cpu" or "cuda"). `gpu`: ask for the resource GPU=1
    (default: when device is "cuda"); a cluster where no worker offers it is refused at once."""
    gpu = device == "cuda" if gpu is None else gpu
    version, cases = grader_version(spec), load_cases(spec)
    with connect(address) as client:
        prepare_workers(client, spec.id, version, gpu=gpu)
        future = client.submit(reference_task, spec.id, version, solution_digest(spec), device, pure=False,
                               key=f"graders-reference-{spec.id}-{uuid.uuid4().hex[:12]}",
                               resources={"GPU": 1} if gpu else None)
        with cancelled_on_exit(client, [future]):
            raw = _result(future)
    run, worker = checked_run(raw, cases, spec.reference_dir / "golden")
    return write_record(spec, cases, run), worker


def _result(future: Any) -> Any:
    from distributed.scheduler import KilledWorker

    try:
        return future.result()
    except KilledWorker:
        raise GradersError(_("the reference run killed every Dask worker that tried it; run `grade reference` on "
                             "that machine to see why")) from None


def reference_task(assignment: str, version: str, solution: str, device: str) -> bytes:
    """The task a Dask worker runs: the reference's cases on its warm Grader, as msgpack bytes (never raises)."""
    from distributed import get_worker

    worker = get_worker()
    try:
        return protocol.pack({**_run_here(worker, assignment, version, solution, device), "worker": worker.address})
    except Exception as exc:  # noqa: BLE001 - the parent says what failed; a worker traceback helps no one there
        return protocol.pack({"error": f"{type(exc).__name__}: {exc}", "worker": str(worker.address)})


def _run_here(worker: Any, assignment: str, version: str, solution: str, device: str) -> dict[str, Any]:
    import torch

    plugin = worker.plugins[PLUGIN_NAME]
    spec = plugin.spec(assignment, version)
    if isinstance(spec, Spec) and solution_digest(spec) != solution:
        spec = _("Dask worker {worker} has another reference solution of {assignment}; install the same "
                 "course on every worker").format(worker=worker.address, assignment=assignment)
    if not isinstance(spec, Spec):
        return {"error": str.__str__(spec)}
    with plugin.lock:
        outputs, seconds = run_cases(spec, load_cases(spec), device, plugin.grader, None)
    return {"outputs": outputs, "seconds": seconds, "device": device, "torch": str(torch.__version__),
            "python": platform.python_version()}


def checked_run(raw: Any, cases: list[Case], golden: Path) -> tuple[Recorded, str]:
    """The worker's reply as a Recorded run, after checking every field; else a GradersError saying what is wrong."""
    data = _decoded(raw)
    worker = plain(data["worker"][:200]) if isinstance(data.get("worker"), str) else "?"
    if "error" in data:
        raise GradersError(_("the reference run failed on Dask worker {worker}: {error}").format(
            worker=worker, error=plain(str(data["error"])[:2000])))
    problem = _problem(data, [c.name for c in cases], golden)
    if problem:
        raise GradersError(_("Dask worker {worker} sent back an unusable reference run ({problem}); nothing was "
                             "written").format(worker=worker, problem=problem))
    return Recorded(data["outputs"], data["seconds"], data["device"], data["torch"], data["python"]), worker


def _decoded(raw: Any) -> dict[str, Any]:
    if not isinstance(raw, bytes) or len(raw) > MAX_RESULT_BYTES:
        raise GradersError(_("the Dask worker's reference run did not come back as plain data; nothing was written"))
    try:
        data = protocol.unpack(raw)
    except protocol.ProtocolError as exc:
        raise GradersError(_("the Dask worker's reference run could not be decoded ({error}); nothing was "
                             "written").format(error=str(exc))) from None
    if not isinstance(data, dict):
        raise GradersError(_("the Dask worker's reference run did not come back as plain data; nothing was written"))
    return data


def _problem(data: dict[str, Any], names: list[str], golden: Path) -> str:
    """What is wrong with a reply (empty when nothing): fields, case names, seconds, versions, output shapes."""
    if set(data) != _FIELDS:
        return f"fields {sorted(map(str, data))}"
    outputs, seconds = data["outputs"], data["seconds"]
    if not isinstance(outputs, dict) or set(outputs) != set(names):
        return "not the assignment's cases"
    if not isinstance(seconds, dict) or set(seconds) != set(names) or not all(_duration(s) for s in seconds.values()):
        return "durations"
    if data["device"] not in ("cpu", "cuda") or not all(
            isinstance(data[k], str) and _VERSION.fullmatch(data[k]) for k in ("torch", "python")):
        return "device or versions"
    store = GoldenStore(golden)
    for name in names:
        if (golden / f"{name}.msgpack").is_file() and signature(outputs[name]) != signature(store[name].output):
            return f"{name}: {signature(outputs[name])} where the recorded golden output is " \
                   f"{signature(store[name].output)}; delete {golden / (name + '.msgpack')} to accept a new shape"
    return ""


def _duration(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value) and value >= 0


def signature(value: Any) -> Any:
    """The type and shape of a decoded output, recursively (tensors and arrays: dtype and shape)."""
    if hasattr(value, "dtype") and hasattr(value, "shape"):
        return f"{type(value).__name__}[{value.dtype}]{tuple(value.shape)}"
    if isinstance(value, (list, tuple)):
        return [type(value).__name__, [signature(v) for v in value]]
    if isinstance(value, dict):
        return {str(k): signature(v) for k, v in value.items()}
    return type(value).__name__
