"""DaskExecutor: the batch's pure task on a Dask distributed cluster (`grade batch --scheduler`).

Why Dask: grading a unit is a plain Python function over bytes, which is exactly what
`Client.submit` runs, and dask-jobqueue starts workers on the Slurm/PBS clusters
departments already have. Each task carries the submission's bytes (a Unit), the
assignment id, the grader version and the options, never a path: workers may be other
machines. Each worker process keeps one warm Grader (GraderPlugin: started at setup,
closed at teardown) and grades with its own installed course; a worker that lacks
the assignment, or has another version of it, is refused with a clear message.
A worker that dies mid-task is replaced by the scheduler and the task retried on
another (bounded by `distributed.scheduler.allowed-failures`); a submission that kills
workers every time ends as `error` (cached: --resume does not loop on it).
"""
from __future__ import annotations

import tempfile
import threading
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Iterator

from graders.core.batch.collect import Unit
from graders.core.batch.pool import Land, grader_version, staged_or_rejected
from graders.core.spec import Spec
from graders.errors import GradersError
from graders.i18n import _

PLUGIN_NAME = "graders-warm-grader"
CONNECT_TIMEOUT_S = 10
WORKERS_TIMEOUT_S = 120  # how long a batch waits for a first worker to join the scheduler

try:  # the extra: pip install 'graders[dask]'
    from distributed import Client, WorkerPlugin, as_completed, get_worker
    from distributed.scheduler import KilledWorker
except ImportError:  # pragma: no cover - exercised only without the extra
    Client = None  # type: ignore[assignment,misc]
    WorkerPlugin = object  # type: ignore[assignment,misc]


def _require_dask() -> None:
    if Client is None:
        raise GradersError(_("--scheduler needs Dask: pip install 'graders[dask]'"))


class GraderPlugin(WorkerPlugin):  # type: ignore[misc,valid-type]
    """One warm Grader per Dask worker process: started once at setup, closed at teardown."""

    name = PLUGIN_NAME

    def setup(self, worker: Any) -> None:
        """Start the template now: torch imports while the scheduler hands out the first tasks."""
        from graders.core.grader import Grader

        self.grader = Grader().start()
        self.lock = threading.Lock()  # one grade at a time, even on a worker started with --nthreads > 1
        self.specs: dict[tuple[str, str], Spec | str] = {}

    def teardown(self, worker: Any) -> None:
        """Stop the template (and with it every sandboxed child)."""
        self.grader.close()

    def spec(self, assignment: str, version: str) -> Spec | str:
        """This worker's Spec of `assignment` when it matches the client's version, else why not (a message)."""
        key = (assignment, version)
        if key not in self.specs:
            self.specs[key] = check_assignment(assignment, version)
        return self.specs[key]

    def grade(self, unit: Unit, assignment: str, version: str, options: dict[str, Any]) -> dict[str, Any]:
        """Grade one unit's bytes, staged in a scratch folder of this worker; the report as plain data."""
        from graders.core.grade import rejected

        spec = self.spec(assignment, version)
        if not isinstance(spec, Spec):
            return rejected(assignment, unit.entry, spec, status="error").to_dict()
        with self.lock, tempfile.TemporaryDirectory(prefix="graders-dask-") as tmp:
            path = staged_or_rejected(unit, Path(tmp), assignment)
            if isinstance(path, dict):
                return path
            return self.grader.grade(spec, path, **{"public_only": False, "device": "cpu", **options}).to_dict()


def check_assignment(assignment: str, version: str) -> Spec | str:
    """The Spec of `assignment` in this process's course when its version is `version`, else a message why not."""
    from graders.core.spec import load_assignment

    where = _worker_address()
    try:
        spec = load_assignment(assignment)
    except GradersError as exc:
        return _("Dask worker {worker} cannot grade {assignment}: {error}. Install the course on every worker "
                 "(the same checkout, or GRADERS_COURSE pointing to it).").format(
            worker=where, assignment=assignment, error=exc.message)
    found = grader_version(spec)
    if found != version:
        return _("Dask worker {worker} has another version of {assignment} or of the engine ({found}, the batch "
                 "expects {version}). Install the same course and graders on every worker.").format(
            worker=where, assignment=assignment, found=found, version=version)
    return spec


def _worker_address() -> str:
    try:
        return str(get_worker().address)
    except ValueError:  # not inside a worker (a test calling it directly)
        return "?"


def _check_worker(assignment: str, version: str, dask_worker: Any = None) -> tuple[str, float, str]:
    """Run on every worker before the batch: ("" when it can grade, else why not; its GPU resource; its plugin)."""
    found = check_assignment(assignment, version)
    gpus = float(dask_worker.state.total_resources.get("GPU", 0)) if dask_worker is not None else 0.0
    plugin = dask_worker.plugins.get(PLUGIN_NAME) if dask_worker is not None else None
    return ("" if isinstance(found, Spec) else found), gpus, _kind(plugin)  # a Message: rendered in the batch's lang


def _kind(plugin: Any) -> str:
    return "" if plugin is None else f"{type(plugin).__module__}.{type(plugin).__qualname__}"


def grade_unit(unit: Unit, assignment: str, version: str, options: dict[str, Any]) -> dict[str, Any]:
    """The task a Dask worker runs: grade one unit on the worker's warm Grader."""
    plugin = get_worker().plugins.get(PLUGIN_NAME)
    if plugin is None:
        raise RuntimeError(f"the {PLUGIN_NAME} worker plugin is not registered on this worker")
    return plugin.grade(unit, assignment, version, options)


class DaskExecutor:
    """The batch's Executor on the Dask cluster whose scheduler is at `address` (tcp://HOST:8786).

    `device="cuda"` tasks ask for the resource GPU=1 (workers started with --resources GPU=1).
    `options`: more of Grader.grade's options for every task (public_only, time_limit_s; a `data`
    file on this machine cannot reach the workers and is refused).
    `plugin`: the worker plugin to register (a GraderPlugin; tests pass a subclass)."""

    def __init__(self, address: str, device: str = "cpu", plugin: GraderPlugin | None = None,
                 options: dict[str, Any] | None = None) -> None:
        _require_dask()
        options = {k: v for k, v in (options or {}).items() if v is not None}
        if options.pop("data", None):
            raise GradersError(_("--data cannot be used with --scheduler: the file is on this machine, not on the "
                                 "Dask workers"))
        self.address, self.device, self.plugin = address, device, plugin
        self.options = {**options, "device": device}

    def run(self, spec: Spec, todo: dict[str, Unit], land: Land) -> None:
        """Grade every unit on the cluster, landing each report as its future finishes; Ctrl-C cancels."""
        version = grader_version(spec)
        with connect(self.address) as client:
            prepare_workers(client, spec.id, version, gpu=self.device == "cuda", plugin=self.plugin)
            resources = {"GPU": 1} if self.device == "cuda" else None
            futures = {client.submit(grade_unit, unit, spec.id, version, self.options,
                                     key=f"graders-{spec.id}-{version}-{digest}", pure=False, retries=1,
                                     resources=resources): digest for digest, unit in todo.items()}
            with cancelled_on_exit(client, list(futures)):
                _collect(client, futures, todo, land, spec.id)


def connect(address: str) -> Any:
    """A Client of the scheduler at `address` once a worker has joined it (else a clear GradersError)."""
    _require_dask()
    try:
        client = Client(address, timeout=CONNECT_TIMEOUT_S, set_as_default=False)
    except (OSError, ValueError, TypeError) as exc:
        raise GradersError(_("cannot reach the Dask scheduler at {address}: {error}").format(
            address=address, error=str(exc))) from None
    try:
        client.wait_for_workers(1, timeout=WORKERS_TIMEOUT_S)
    except (TimeoutError, OSError):
        client.close()
        raise GradersError(_("no Dask worker joined the scheduler at {address} within {seconds} s").format(
            address=address, seconds=WORKERS_TIMEOUT_S)) from None
    return client


def prepare_workers(client: Any, assignment: str, version: str, gpu: bool = False,
                    plugin: GraderPlugin | None = None) -> None:
    """Refuse, naming them, when some worker cannot grade `assignment` (or, for `gpu`, none offers GPU=1);
    then give every worker its warm Grader (`plugin`, default GraderPlugin) unless all already hold one.

    Checked before anything is submitted: a task asking for a resource no worker has would wait forever.
    Workers keep their Grader between batches: a second batch does not pay torch's import again."""
    answers = list(client.run(_check_worker, assignment, version).values())
    problems = [problem for problem, _gpus, _plugin in answers if problem]
    if problems:
        raise GradersError(problems[0] if len(problems) == 1 else _("{count} Dask workers cannot grade "
                           "this batch; the first: {problem}").format(count=len(problems), problem=problems[0]))
    if gpu and not any(gpus for _problem, gpus, _plugin in answers):
        raise GradersError(_("--device cuda: no Dask worker offers a GPU; start workers on GPU machines "
                             "with --resources GPU=1"))
    plugin = plugin or GraderPlugin()
    if any(kind != _kind(plugin) for _problem, _gpus, kind in answers):
        client.register_plugin(plugin, name=PLUGIN_NAME)


@contextmanager
def cancelled_on_exit(client: Any, futures: list[Any]) -> Iterator[None]:
    """Cancel `futures` when the block raises (Ctrl-C, a full disk): the cluster stops grading what cannot be kept."""
    try:
        yield
    except BaseException:
        try:
            client.cancel(futures, force=True)
        except Exception:  # noqa: BLE001 - a lost scheduler: nothing left to cancel; the first error is the story
            pass
        raise


def _collect(client: Any, futures: dict[Any, str], todo: dict[str, Unit], land: Land, assignment: str) -> None:
    """Land each report as its future finishes, then release the future (its result leaves the cluster)."""
    from graders.core.grade import rejected

    for future in as_completed(list(futures), loop=client.loop):
        digest, unit = futures[future], todo[futures[future]]
        error = future.exception() if future.status == "error" else None
        if future.status == "finished":
            land(digest, future.result())
        elif isinstance(error, KilledWorker):
            land(digest, rejected(assignment, unit.entry, _(
                "this submission killed every Dask worker that graded it; grade it alone with `grade` to see "
                "why, or review it by hand"), status="error").to_dict(), final=True)
        else:  # the task raised, or was cancelled (a restarted scheduler): not cached, --resume retries it
            reason = f"{type(error).__name__}: {error}" if error is not None else f"the task was {future.status}"
            land(digest, rejected(assignment, unit.entry, _("grading failed on the Dask cluster: {error}").format(
                error=reason), status="error").to_dict())
        future.release()
