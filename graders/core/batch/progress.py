"""A live progress bar for batches (rich): done/total, failures, rate and ETA, on stderr."""
from __future__ import annotations

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from graders.i18n import Renderer, _


class BatchProgress:
    """Context manager whose `update(done, total, failures)` redraws the bar, its words in `lang`."""

    def __init__(self, lang: str) -> None:
        self._tr = tr = Renderer(lang)
        self._progress = Progress(
            TextColumn(tr(_("grading"))), BarColumn(), MofNCompleteColumn(),
            TextColumn(tr(_("{count} not graded").format(count="{task.fields[failures]}"))),
            TextColumn("{task.fields[rate]}"),
            TimeRemainingColumn(), console=Console(stderr=True), transient=False)
        self._task = None

    def __enter__(self) -> "BatchProgress":
        self._progress.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._progress.stop()

    def update(self, done: int, total: int, failures: int) -> None:
        if self._task is None:
            self._task = self._progress.add_task("grading", total=total, failures=0, rate="")
        task = self._progress.tasks[0]
        speed = task.speed
        rate = self._tr(_("{rate}/min").format(rate=f"{speed * 60:.0f}")) if speed else ""
        self._progress.update(self._task, completed=done, total=total, failures=failures, rate=rate)
