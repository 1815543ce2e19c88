"""`grade batch --scheduler` on a real Dask LocalCluster (processes, 2 workers, 1 thread each), no mocks.

A 24-entry batch gives the local pool's gradebook, also when a worker is SIGKILLed from
outside mid-batch; the bar and OUTDIR/batch.log move as each future lands; Ctrl-C (a
KeyboardInterrupt from the progress callback: no timing) cancels, keeps what landed, and
--resume grades only the rest. A submission that SIGKILLs its Dask worker every time is
retried on another worker, then ends as `error` (cached) while the others are graded; a
worker without the assignment is refused with a clear message.
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
HW02 = Path(__file__).resolve().parents[1] / "submissions" / "hw02"
KILL_MARKER = b"# test: this submission kills its Dask worker"
ENTRIES = 24


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


def hw02_entries(folder: Path, count: int) -> Path:
    """`count` flat-layout entries cycling over hw02's correct and mistake samples, each with its own bytes."""
    samples = sorted(p for p in HW02.iterdir() if p.is_dir() and p.name.startswith(("correct", "mistake_")))
    folder.mkdir(parents=True)
    for number in range(count):
        entry = folder / f"{samples[number % len(samples)].name}_{2023000 + number}"  # 6+ digits: the student id
        shutil.copytree(samples[number % len(samples)], entry)
        with open(entry / "backprop.py", "a", encoding="utf-8") as file:
            file.write(f"\n# handed in by student {number}\n")  # no two entries share a grading
    return folder


@pytest.fixture(scope="module")
def inputs(tmp_path_factory) -> Path:
    return hw02_entries(tmp_path_factory.mktemp("flat") / "in", ENTRIES)


@pytest.fixture(scope="module")
def local(inputs, tmp_path_factory):
    """The local pool's batch of the same entries: the gradebook every Dask run must give."""
    outdir = tmp_path_factory.mktemp("local")
    return grade_batch("hw02", [inputs], outdir, workers=2, layout="flat"), outdir


def gradebook(outdir: Path) -> pd.DataFrame:
    """The gradebook without its one timing column (duration_s)."""
    book = pd.read_csv(outdir / "gradebook.csv", dtype={"student_id": str}, encoding="utf-8-sig")
    return book.drop(columns=["duration_s"])


def landed_lines(outdir: Path) -> int:
    return (outdir / "batch.log").read_text(encoding="utf-8").count(" graded now: ")


def test_a_24_entry_batch_on_dask_gives_the_local_pools_gradebook(cluster, inputs, local, tmp_path):
    seen: list[tuple[int, int]] = []
    progress = lambda done, total, failed: seen.append((done, landed_lines(tmp_path / "dask")))  # noqa: E731
    on_dask = grade_batch("hw02", [inputs], tmp_path / "dask", layout="flat", scheduler=cluster.scheduler_address,
                          progress=progress)
    assert on_dask.reconciled and on_dask.graded_now == ENTRIES
    assert on_dask.reconciliation == local[0].reconciliation
    book = gradebook(tmp_path / "dask")
    assert book.equals(gradebook(local[1])) and len(book) == ENTRIES
    assert set(book.status) == {"graded"} and book.score.nunique() > 1  # correct and mistaken samples
    assert seen == [(done, done) for done in range(ENTRIES + 1)]  # a log line per entry, as its report lands
    again = grade_batch("hw02", [inputs], tmp_path / "dask", layout="flat", scheduler=cluster.scheduler_address)
    assert again.from_cache == ENTRIES and again.graded_now == 0  # the same cache: resumable


def busy_worker_pid(client: distributed.Client) -> int:
    """The pid of a Dask worker process that is grading a task right now."""
    busy = client.run_on_scheduler(lambda dask_scheduler: sorted(
        dask_scheduler.workers, key=lambda address: -len(dask_scheduler.workers[address].processing)))
    return client.run(os.getpid, workers=busy[:1])[busy[0]]


def test_a_worker_sigkilled_mid_batch_loses_nothing(cluster, inputs, local, tmp_path):
    killed: list[int] = []
    with distributed.Client(cluster.scheduler_address, set_as_default=False) as client:
        def kill_once(done: int, total: int, failed: int) -> None:
            if done >= 1 and not killed:  # the first report has landed: the batch is under way
                killed.append(busy_worker_pid(client))
                os.kill(killed[0], signal.SIGKILL)

        on_dask = grade_batch("hw02", [inputs], tmp_path / "out", layout="flat",
                              scheduler=cluster.scheduler_address, progress=kill_once)
        client.wait_for_workers(2)
        assert killed and killed[0] not in client.run(os.getpid).values()  # the nanny started a new worker
    assert on_dask.reconciled and on_dask.graded_now == ENTRIES
    assert on_dask.reconciliation == local[0].reconciliation
    assert gradebook(tmp_path / "out").equals(gradebook(local[1]))
    assert landed_lines(tmp_path / "out") == ENTRIES  # each entry landed once: none lost, none twice


def interrupt_after(count: int):
    def progress(done: int, total: int, failed: int) -> None:
        if done >= count:
            raise KeyboardInterrupt

    return progress


def test_ctrl_c_cancels_the_dask_batch_and_resume_grades_only_the_rest(cluster, local, tmp_path):
    inputs = hw02_entries(tmp_path / "in", 6)
    outdir = tmp_path / "out"
    with pytest.raises(KeyboardInterrupt):
        grade_batch("hw02", [inputs], outdir, layout="flat", scheduler=cluster.scheduler_address,
                    progress=interrupt_after(2))
    assert len(list((outdir / ".cache").glob("*.json"))) == 2 and not (outdir / "gradebook.csv").exists()
    assert "interrupted" in (outdir / "batch.log").read_text(encoding="utf-8")
    with distributed.Client(cluster.scheduler_address, set_as_default=False) as client:
        left = client.run_on_scheduler(lambda dask_scheduler: [
            key for key in dask_scheduler.tasks if str(key).startswith("graders-")])
    assert left == []  # cancelled: nothing of the batch is still queued on the cluster
    resumed = grade_batch("hw02", [inputs], outdir, layout="flat", scheduler=cluster.scheduler_address)
    assert (resumed.from_cache, resumed.graded_now) == (2, 4) and resumed.reconciled
    expected = gradebook(local[1]).head(6)  # the same students, entries and bytes as the first six of the 24
    assert gradebook(outdir).equals(expected.reset_index(drop=True))


def test_a_submission_that_kills_its_worker_is_retried_then_ends_as_error(cluster, tmp_path):
    spec = load_assignment("hw03")
    good = [Unit(entry=f"{name}.zip", source="in", is_folder=True,
                 files={p.name: p.read_bytes() for p in (SAMPLES / name).iterdir() if p.is_file()})
            for name in PICKS[:2]]
    killer = Unit(entry="killer.py", source="in", files={"softmax.py": KILL_MARKER + b"\n"})
    cache, reported = Cache(tmp_path / "cache", "v"), []
    executor = DaskExecutor(cluster.scheduler_address, plugin=KillingPlugin())
    uncached = grade_all(spec, [good[0], killer, good[1]], cache, tmp_path / "work", 1,
                         lambda _digest, report: reported.append(report), executor)
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
                      lambda _digest, report: None, executor)


def test_cuda_batches_need_a_worker_with_a_gpu_resource(cluster, tmp_path):
    unit = Unit(entry="a.py", source="in", files={"softmax.py": b"x = 1\n"})
    executor = DaskExecutor(cluster.scheduler_address, device="cuda")
    with pytest.raises(GradersError, match="no Dask worker offers a GPU; .* --resources GPU=1"):
        grade_all(load_assignment("hw03"), [unit], Cache(tmp_path / "c", "v"), tmp_path / "w", 1,
                  lambda _digest, report: None, executor)


def test_an_unreachable_scheduler_from_the_environment_is_a_clear_error(inputs, tmp_path, monkeypatch):
    from click.testing import CliRunner

    from graders.cli import main
    from graders.core.batch import dask_executor

    monkeypatch.setattr(dask_executor, "CONNECT_TIMEOUT_S", 1)
    result = CliRunner(env={"GRADERS_SCHEDULER": "tcp://127.0.0.1:9"}).invoke(
        main, ["batch", "hw03", str(inputs), "-o", str(tmp_path / "out")], standalone_mode=False)
    assert isinstance(result.exception, GradersError)
    assert "cannot reach the Dask scheduler at tcp://127.0.0.1:9" in result.exception.message
