"""`grade reference --scheduler`: the reference run as one Dask task, on a worker offering GPU=1, no mocks.

The task asks for the resource GPU=1 (here with cpu semantics: the resource request is what is
tested, on a cluster of one plain and one GPU=1 worker); a cluster without it is refused at once.
The worker's reply is msgpack bytes the parent checks (cases, types, shapes) before it writes
golden files and a manifest exactly like a local `grade reference`.
"""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

distributed = pytest.importorskip("distributed", reason="the dask extra is not installed: pip install -e '.[dask]'")

from graders.core.batch.dask_reference import checked_run, record_on_dask  # noqa: E402
from graders.core.golden import Case  # noqa: E402
from graders.core.sandbox.wire import protocol  # noqa: E402
from graders.core.spec import load_assignment  # noqa: E402
from graders.errors import GradersError  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]


def course_copy(tmp_path: Path, hw: str = "hw02") -> Path:
    """A temporary course with one assignment: the reference run writes its golden files there, not in the repo."""
    course = tmp_path / "course"
    for folder in ("graders", "exercises", "reference"):
        shutil.copytree(ROOT / folder / hw, course / folder / hw, ignore=shutil.ignore_patterns("__pycache__"))
    return course


@pytest.fixture(scope="module")
def course(tmp_path_factory) -> Path:
    return course_copy(tmp_path_factory.mktemp("reference"))


@pytest.fixture(scope="module")
def gpu_cluster(course):
    """One plain worker and one started with resources GPU=1, both with the course installed."""
    options = {"nthreads": 1, "env": {"GRADERS_COURSE": str(course)}}
    workers = {"plain": {"cls": distributed.Nanny, "options": options},
               "gpu": {"cls": distributed.Nanny, "options": {**options, "resources": {"GPU": 1}}}}
    with distributed.SpecCluster(workers=workers, scheduler={"cls": distributed.Scheduler,
                                                             "options": {"dashboard_address": None}}) as cluster:
        yield cluster


def test_the_reference_runs_on_the_gpu_worker_and_writes_what_a_local_run_writes(gpu_cluster, course):
    golden = course / "reference" / "hw02" / "golden"
    for path in golden.iterdir():
        path.unlink()
    manifest, worker = record_on_dask(load_assignment("hw02", course), gpu_cluster.scheduler_address,
                                      device="cpu", gpu=True)
    with distributed.Client(gpu_cluster.scheduler_address, set_as_default=False) as client:
        gpus = [a for a, w in client.scheduler_info()["workers"].items() if w["resources"].get("GPU")]
    assert [worker] == gpus  # only the worker offering GPU=1 took the task
    local = json.loads((ROOT / "reference" / "hw02" / "manifest.json").read_text())
    assert manifest["cases"] == local["cases"]  # the same golden bytes as the repository's local recording
    assert {k: manifest[k] for k in local if k != "recorded"} == {k: local[k] for k in local if k != "recorded"}
    names = sorted(p.name for p in (ROOT / "reference" / "hw02" / "golden").iterdir())
    assert sorted(p.name for p in golden.iterdir()) == names
    written = json.loads((course / "reference" / "hw02" / "manifest.json").read_text())
    assert written == manifest


def test_a_cluster_without_a_gpu_worker_is_refused_at_once(course, tmp_path):
    from click.testing import CliRunner

    from graders.cli import main

    with distributed.LocalCluster(n_workers=1, threads_per_worker=1, processes=True, dashboard_address=None,
                                  env={"GRADERS_COURSE": str(course)}) as plain:
        result = CliRunner(env={"GRADERS_COURSE": str(course), "GRADERS_SCHEDULER": plain.scheduler_address}).invoke(
            main, ["reference", "hw02", "--device", "cuda"], standalone_mode=False)
    assert isinstance(result.exception, GradersError)
    assert result.exception.message == ("--device cuda: no Dask worker offers a GPU; start workers on GPU machines "
                                        "with --resources GPU=1")


CASES = [Case("a", "p", "call", "m.f", [], {}), Case("b", "p", "call", "m.g", [], {})]


def reply(**changes) -> bytes:
    import torch

    data = {"outputs": {"a": torch.zeros(2, 3), "b": [1.0, 2.0]}, "seconds": {"a": 0.1, "b": 0.2}, "device": "cuda",
            "torch": "2.13.0+cu126", "python": "3.11.7", "worker": "tcp://10.0.0.7:4000"}
    return protocol.pack({**data, **changes})


def test_a_well_formed_reply_becomes_a_recorded_run(tmp_path):
    run, worker = checked_run(reply(), CASES, tmp_path)
    assert worker == "tcp://10.0.0.7:4000" and run.device == "cuda" and tuple(run.outputs["a"].shape) == (2, 3)


@pytest.mark.parametrize("raw, problem", [
    (b"\xc1", "could not be decoded"),
    ({"not": "bytes"}, "did not come back as plain data"),
    (reply(outputs={"a": 1.0}), "not the assignment's cases"),
    (reply(seconds={"a": -1.0, "b": 0.0}), "durations"),
    (reply(torch="2.13; rm -rf /"), "device or versions"),
    (reply(extra=1), "fields"),
    (protocol.pack({"error": "RuntimeError: CUDA out of memory", "worker": "tcp://w:1"}),
     "failed on Dask worker tcp://w:1: RuntimeError: CUDA out of memory"),
])
def test_a_bad_reply_is_refused_and_nothing_is_written(raw, problem, tmp_path):
    with pytest.raises(GradersError, match=problem):
        checked_run(raw, CASES, tmp_path)
    assert list(tmp_path.iterdir()) == []


def test_an_output_shaped_unlike_the_recorded_golden_is_refused(tmp_path):
    from dataclasses import replace

    import torch

    from graders.core.golden import save_case

    save_case(tmp_path, replace(CASES[0], output=torch.zeros(3, 2)))
    with pytest.raises(GradersError, match=r"a: Tensor\[torch.float32\]\(2, 3\) where the recorded golden output is "
                                           r"Tensor\[torch.float32\]\(3, 2\)"):
        checked_run(reply(), CASES, tmp_path)
