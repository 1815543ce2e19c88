"""OUTDIR/batch.log: what a batch found, each entry's fate, timings and warnings (stdlib logging).

Lines are rendered in the batch's language when written; `verbose` also shows them on stderr. Each line
is inert text (`plain`): an entry named with a line break or a terminal escape cannot forge a line.
Each run appends to the log, so a resumed batch keeps the history of the one it resumes.
"""
from __future__ import annotations

import logging
import sys
from pathlib import Path

from graders.core.formats.safe import plain
from graders.i18n import Renderer

_NAME = "graders.batch"


class BatchLog:
    """A logger writing OUTDIR/batch.log (and stderr when verbose); close() detaches its handlers."""

    def __init__(self, outdir: Path, tr: Renderer, verbose: bool = False) -> None:
        self._tr = tr
        self._logger = logging.getLogger(f"{_NAME}.{id(self)}")
        self._logger.setLevel(logging.INFO)
        self._logger.propagate = False
        self._handlers: list[logging.Handler] = [logging.FileHandler(outdir / "batch.log", encoding="utf-8", errors="backslashreplace")]
        if verbose:
            self._handlers.append(logging.StreamHandler(sys.stderr))
        for handler in self._handlers:
            handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(message)s"))
            self._logger.addHandler(handler)

    def info(self, message: str) -> None:
        self._logger.info(plain(self._tr(message)))

    def warning(self, message: str) -> None:
        self._logger.warning(plain(self._tr(message)))

    def close(self) -> None:
        for handler in self._handlers:
            self._logger.removeHandler(handler)
            handler.close()

    def __enter__(self) -> "BatchLog":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
