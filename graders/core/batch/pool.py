"""Grade planned units on a pool of worker processes, with a content-addressed cache.

Grading one submission is a pure task (a submission in, a report dict out) run by an
Executor: LocalPool (the default) is a local process pool, each process holding its
own warm template; DaskExecutor (dask_executor.py) runs the same task on a Dask cluster.
An executor hands each report to `land` as it finishes; grade_all writes it to the
cache at once, so a killed batch resumes where it stopped, whichever executor ran it.
"""
from __future__ import annotations

import errno
import hashlib
import os
import json
import re
import shutil
import sys
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from multiprocessing import get_context
from pathlib import Path
from typing import Any, Callable, Iterable, Protocol

from graders.core.batch.atomic import atomic_write
from graders.core.batch.collect import Unit
from graders.core.spec import Spec
from graders.i18n import _

_GRADER = None  # one Grader (one warm template) per pool process

Land = Callable[..., None]  # land(digest, report, final=False): one finished unit, exactly once per unit
Done = Callable[[str, dict[str, Any]], None]  # on_done(digest, report): after the report is cached


class Executor(Protocol):
    """Where the batch's pure task runs: grades every unit of `todo`, handing each report to `land`.

    `final=True` marks a report that must be cached even though it is an error (a unit that
    crashed its graders every time: --resume must not loop on it)."""

    def run(self, spec: Spec, todo: dict[str, Unit], land: Land) -> None: ...


def grader_version(spec: Spec) -> str:
    """Hash of the engine's code and the assignment's suites, keys, harness and golden outputs."""
    h = hashlib.sha256()
    roots = [Path(__file__).resolve().parents[2], spec.grader_dir, spec.exercises_dir / "tests",
             spec.reference_dir / "golden"]
    for root in roots:
        for path in sorted(root.rglob("*")) if root.is_dir() else []:
            if path.is_file() and path.suffix in (".py", ".toml", ".lark", ".msgpack", ".json", ".mo") \
                    and "__pycache__" not in path.parts:
                h.update(path.name.encode() + hashlib.sha256(path.read_bytes()).digest())
    return h.hexdigest()[:16]


_DISK_FAULTS = {errno.ENOSPC, errno.EROFS, errno.EIO, getattr(errno, "EDQUOT", errno.ENOSPC)}
_NAME_BYTES = 255  # the longest file name (in bytes, UTF-8) ext4, XFS, APFS and NTFS all take


def _safe_name(name: str) -> str:
    """A file name the disk takes: no separators or controls, at most 255 bytes of UTF-8.

    A longer name keeps its tail (the extension decides how it is graded) behind a hash of the whole name,
    so two long names that end alike stay two files."""
    cleaned = re.sub(r'[<>:"/\\|?*\x00-\x1f\ud800-\udfff]', "_", name).strip(" .") or "submission"
    raw = cleaned.encode("utf-8")
    if len(raw) <= _NAME_BYTES:
        return cleaned
    tag = hashlib.sha256(raw).hexdigest()[:12]
    tail = raw[-(_NAME_BYTES - len(tag) - 1):].decode("utf-8", "ignore")
    return f"{tag}_{tail}"


def stage(unit: Unit, work: Path) -> Path:
    """Write a unit to disk for grading; returns the path to hand to the grader."""
    folder = work / unit.digest[:20]
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    if not unit.is_folder:
        filename = unit.identity.filename if unit.identity and unit.identity.filename else unit.entry
        target = folder / _safe_name(filename)
        target.write_bytes(next(iter(unit.files.values())))
        return target
    for name, data in unit.files.items():
        target = folder.joinpath(*[_safe_name(p) for p in name.split("/")])
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    return folder


def staged_or_rejected(unit: Unit, work: Path, assignment: str) -> Path | dict[str, Any]:
    """The staged path, or a `rejected` report naming the entry when the disk refuses its files.

    A name the file system cannot hold, a file where the entry also has a folder (`a` and `a/b`), a path past
    the system's length: the student's entry, not the batch. A full or read-only disk is the grader's fault
    and still raises."""
    from graders.core.grade import rejected

    try:
        return stage(unit, work)
    except OSError as exc:
        if exc.errno in _DISK_FAULTS:
            raise
        message = _("{entry} cannot be written to disk to be graded ({error}); rename its files (shorter names, "
                    "no file and folder of the same name) and hand it in again").format(
            entry=unit.entry, error=exc.strerror or type(exc).__name__)
        return rejected(assignment, unit.entry, message).to_dict()


def _init_worker() -> None:
    global _GRADER
    from graders.core.grader import Grader

    _GRADER = Grader().start()


def grade_path(assignment: str, path: str, course: str, options: dict[str, Any] | None = None) -> dict[str, Any]:
    """The pure task: grade one staged submission, return its report (messages as data) as plain data.

    `options`: Grader.grade's public_only, device, time_limit_s and data (default: hidden suites, CPU)."""
    from graders.core.grader import using
    from graders.core.spec import load_assignment

    spec = load_assignment(assignment, Path(course))
    options = {"public_only": False, "device": "cpu", **(options or {})}
    with using(_GRADER) as grader:
        report = grader.grade(spec, path, **options).to_dict()
    report["environment"].update(process_memory())
    return report


def process_memory() -> dict[str, Any]:
    """This grading process's peak resident set so far (MB) and its pid, so a summary can give each pool
    process's peak; empty where the platform has no `resource` module (Windows)."""
    try:
        import resource
    except ImportError:
        return {}
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux, bytes on macOS
    return {"process_peak_mb": round(peak / (1 << 20 if sys.platform == "darwin" else 1 << 10), 1),
            "process_pid": os.getpid()}


class Cache:
    """Reports by (content digest, grader version); each write is atomic."""

    def __init__(self, folder: Path, version: str) -> None:
        self.folder, self.version = folder, version
        folder.mkdir(parents=True, exist_ok=True)

    def _path(self, digest: str) -> Path:
        return self.folder / f"{digest}-{self.version}.json"

    def get(self, digest: str) -> dict[str, Any] | None:
        path = self._path(digest)
        return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else None

    def put(self, digest: str, report: dict[str, Any]) -> None:
        """Store one report (ASCII JSON: a name that is not valid UTF-8 round-trips as \\udcXX)."""
        atomic_write(self._path(digest), json.dumps(report))


def grade_all(spec: Spec, units: Iterable[Unit], cache: Cache, work: Path, workers: int,
              on_done: Done, executor: Executor | None = None) -> dict[str, dict[str, Any]]:
    """Grade every unit not in the cache on `executor` (default: a LocalPool of `workers` processes).

    Each report is cached as it lands, then passed to on_done with its unit's digest (the
    progress bar, the batch log). Returns the reports that are not cached (grader faults:
    errors a rerun should retry). An exception from on_done (KeyboardInterrupt: Ctrl-C)
    stops the executor: what has landed stays cached, --resume grades the rest."""
    todo = {u.digest: u for u in units if cache.get(u.digest) is None}
    uncached: dict[str, dict[str, Any]] = {}

    def land(digest: str, report: dict[str, Any], final: bool = False) -> None:
        if final or report["status"] != "error" or report["tests"]:
            cache.put(digest, report)
        else:
            uncached[digest] = report  # a grader fault: shown now, retried by --resume
        on_done(digest, report)

    if todo:
        (executor or LocalPool(workers, work)).run(spec, todo, land)
    return uncached


class LocalPool:
    """The embedded executor: `workers` spawned processes on this machine, one warm Grader each.

    A pool process that dies (a crash of the grader's own process) breaks the whole pool:
    the units it took down are graded again in a fresh pool, then each alone, so the one
    that crashes its own pool ends as `error` and the batch completes."""

    def __init__(self, workers: int, work: Path, options: dict[str, Any] | None = None) -> None:
        self.workers, self.work, self.options = workers, work, options  # options: Grader.grade's (grade_path)

    def run(self, spec: Spec, todo: dict[str, Unit], land: Land) -> None:
        """Grade `todo`, retrying the units a broken pool took down (see the class)."""
        lost = self._round(spec, todo, land, self.workers)
        if lost:
            lost = self._round(spec, lost, land, self.workers)
        for digest, unit in lost.items():
            if self._round(spec, {digest: unit}, land, 1):
                land(digest, _crashed(spec.id, unit), final=True)

    def _round(self, spec: Spec, todo: dict[str, Unit], land: Land, workers: int) -> dict[str, Unit]:
        """One pool over `todo`; returns the units lost to a broken pool (not reported yet)."""
        if not todo:
            return {}
        staged = {d: staged_or_rejected(u, self.work, spec.id) for d, u in todo.items()}
        for digest, path in staged.items():
            if isinstance(path, dict):
                land(digest, path, final=True)
        paths = {d: p for d, p in staged.items() if isinstance(p, Path)}
        if not paths:
            return {}
        context = get_context("spawn")  # fresh interpreters: no threads or torch state inherited
        with ProcessPoolExecutor(max_workers=min(workers, len(paths)), mp_context=context,
                                 initializer=_init_worker) as pool:
            futures: dict[Future, str] = {
                pool.submit(grade_path, spec.id, str(p), str(spec.course_root), self.options): d
                for d, p in paths.items()}
            try:
                return _collect(futures, todo, land, spec.id)
            except BaseException:
                pool.shutdown(wait=False, cancel_futures=True)  # e.g. a full disk: stop grading what cannot be kept
                raise


def _crashed(assignment: str, unit: Unit) -> dict[str, Any]:
    from graders.core.grade import rejected

    message = _("the grading process crashed on this submission every time it was tried; grade it alone "
                "with `grade` to see why, or review it by hand")
    return rejected(assignment, unit.entry, message, status="error").to_dict()


def _collect(futures: dict[Future, str], todo: dict[str, Unit], land: Land, assignment: str) -> dict[str, Unit]:
    """Land each report as its future finishes; return the units a broken pool took down."""
    pending, lost = set(futures), {}
    while pending:
        done, pending = wait(pending, return_when=FIRST_COMPLETED)
        for future in done:
            digest = futures[future]
            if isinstance(future.exception(), BrokenProcessPool):
                lost[digest] = todo[digest]
                continue
            land(digest, _result(future, todo[digest], assignment))
    return lost


def _result(future: Future, unit: Unit, assignment: str) -> dict[str, Any]:
    try:
        return future.result()
    except Exception as exc:  # noqa: BLE001 - a crashed pool process costs one row, not the batch
        from graders.core.grade import rejected

        message = _("grading failed: {error}").format(error=f"{type(exc).__name__}: {exc}")
        return rejected(assignment, unit.entry, message, status="error").to_dict()
