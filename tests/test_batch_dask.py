"""`grade batch --scheduler` on a real Dask LocalCluster (processes, 2 workers, 1 thread each), no mocks.

The same gradebook as the local pool; a submission that SIGKILLs its Dask worker every
time is retried on another worker, then ends as `error` (cached) while the others are
graded; a worker without the assignment is refused with a clear message.
"""
from __future__ import annotations

import os
import shutil
import signal
from pathlib import Path

import pandas as pd
import pytest

distributed = pytest.importorskip("distributed", reason="the dask extra is not installed: pip install -e '.[dask]'")
import dask  # noqa: E402

from graders.core.batch.collect import Unit  # noqa: E402
from graders.core.batch.dask_executor import DaskExecutor, GraderPlugin  # noqa: E402
from graders.core.batch.pipeline import grade_batch  # noqa: E402
from graders.core.batch.pool import Cache, grade_all  # noqa: E402
from graders.core.spec import load_assignment  # noqa: E402
from graders.errors import GradersError  # noqa: E402

SAMPLES = Path(__file__).resolve().parents[1] / "submissions" / "hw03"
PICKS = ("correct", "mistake_adam_no_bias_correction", "mistake_softmax_no_max_shift")
KILL_MARKER = b"# test: this submission kills its Dask worker"
COLUMNS = ["student_id", "name", "score", "max", "softmax", "ema", "optimizers", "dropout", "derivation", "status",
           "file", "message"]


class KillingPlugin(GraderPlugin):
    """Test-only worker plugin: grading a unit that holds KILL_MARKER SIGKILLs the Dask worker process."""

    def grade(self, unit: Unit, assignment: str, version: str, options: dict) -> dict:
        if any(KILL_MARKER in data for data in unit.files.values()):
            os.kill(os.getpid(), signal.SIGKILL)
        return super().grade(unit, assignment, version, options)


def local_cluster(**worker_kwargs) -> distributed.LocalCluster:
    # one task per worker at a time, and one retry after a worker dies (default 3: slower, same logic)
    with dask.config.set({"distributed.scheduler.allowed-failures": 1,
                          "distributed.scheduler.worker-saturation": 1.0}):
        return distributed.LocalCluster(n_workers=worker_kwargs.pop("n_workers", 2), threads_per_worker=1,
                                        processes=True, dashboard_address=None, **worker_kwargs)


@pytest.fixture(scope="module")
def cluster():
    with local_cluster() as running:
        yield running


@pytest.fixture(scope="module")
def inputs(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("flat")
    for number, name in enumerate(PICKS):
        shutil.copytree(SAMPLES / name, folder / f"{name}_202300{number}")  # flat layout: the 6+ digits are the id
    return folder


def gradebook(outdir: Path) -> pd.DataFrame:
    return pd.read_csv(outdir / "gradebook.csv", dtype={"student_id": str}, encoding="utf-8-sig")[COLUMNS]


def test_the_dask_cluster_gives_the_local_pools_gradebook(cluster, inputs, tmp_path):
    local = grade_batch("hw03", [inputs], tmp_path / "local", workers=1, layout="flat")
    on_dask = grade_batch("hw03", [inputs], tmp_path / "dask", layout="flat", scheduler=cluster.scheduler_address)
    assert on_dask.reconciled and on_dask.graded_now == len(PICKS)
    assert gradebook(tmp_path / "dask").equals(gradebook(tmp_path / "local"))
    assert set(gradebook(tmp_path / "dask").status) == {"graded"}
    again = grade_batch("hw03", [inputs], tmp_path / "dask", layout="flat", scheduler=cluster.scheduler_address)
    assert again.from_cache == len(PICKS) and again.graded_now == 0  # the same cache: resumable


def test_a_submission_that_kills_its_worker_is_retried_then_ends_as_error(cluster, tmp_path):
    spec = load_assignment("hw03")
    good = [Unit(entry=f"{name}.zip", source="in", is_folder=True,
                 files={p.name: p.read_bytes() for p in (SAMPLES / name).iterdir() if p.is_file()})
            for name in PICKS[:2]]
    killer = Unit(entry="killer.py", source="in", files={"softmax.py": KILL_MARKER + b"\n"})
    cache, reported = Cache(tmp_path / "cache", "v"), []
    executor = DaskExecutor(cluster.scheduler_address, plugin=KillingPlugin())
    uncached = grade_all(spec, [good[0], killer, good[1]], cache, tmp_path / "work", 1, reported.append, executor)
    assert uncached == {} and len(reported) == 3
    crashed = cache.get(killer.digest)
    assert crashed["status"] == "error" and "killed every Dask worker" in crashed["message"]
    assert [cache.get(u.digest)["status"] for u in good] == ["graded", "graded"]
    assert cache.get(good[0].digest)["score"] == 100.0


def test_a_worker_without_the_assignment_is_refused_clearly(tmp_path):
    empty = tmp_path / "no-course"
    empty.mkdir()
    unit = Unit(entry="a.py", source="in", files={"softmax.py": b"x = 1\n"})
    with local_cluster(n_workers=1, env={"GRADERS_COURSE": str(empty)}) as other:
        executor = DaskExecutor(other.scheduler_address)
        with pytest.raises(GradersError, match="cannot grade hw03.*Install the course on every worker"):
            grade_all(load_assignment("hw03"), [unit], Cache(tmp_path / "c", "v"), tmp_path / "w", 1,
                      lambda report: None, executor)


def test_cuda_batches_need_a_worker_with_a_gpu_resource(cluster, tmp_path):
    unit = Unit(entry="a.py", source="in", files={"softmax.py": b"x = 1\n"})
    executor = DaskExecutor(cluster.scheduler_address, device="cuda")
    with pytest.raises(GradersError, match="no Dask worker offers a GPU; .* --resources GPU=1"):
        grade_all(load_assignment("hw03"), [unit], Cache(tmp_path / "c", "v"), tmp_path / "w", 1,
                  lambda report: None, executor)


def test_an_unreachable_scheduler_from_the_environment_is_a_clear_error(inputs, tmp_path, monkeypatch):
    from click.testing import CliRunner

    from graders.cli import main
    from graders.core.batch import dask_executor

    monkeypatch.setattr(dask_executor, "CONNECT_TIMEOUT_S", 1)
    result = CliRunner(env={"GRADERS_SCHEDULER": "tcp://127.0.0.1:9"}).invoke(
        main, ["batch", "hw03", str(inputs), "-o", str(tmp_path / "out")], standalone_mode=False)
    assert isinstance(result.exception, GradersError)
    assert "cannot reach the Dask scheduler at tcp://127.0.0.1:9" in result.exception.message
