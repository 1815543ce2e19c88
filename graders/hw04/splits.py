"""hw04 splits: the training rows a worker may see and the held-out rows only the parent holds.

Without --data: training = generate(train_seed) (the public table students
have), held-out = generate(private seed). With --data (the course's CSV): the
course's split, train_test_split(train_size=0.8, random_state=88, stratify=y).
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.model_selection import train_test_split

from graders.hw04 import data
from graders.i18n import N_, _

SEED_ENV = "GRADERS_HW04_HELDOUT_SEED"
SYNTHETIC = N_("held-out rows of the synthetic phone table")
COURSE = N_("the course split of {file}")


@dataclass(frozen=True)
class Split:
    """Features and labels; y_test stays in the trusted parent."""

    X_train: np.ndarray
    y_train: np.ndarray
    X_test: np.ndarray
    y_test: np.ndarray
    origin: str  # a catalog message (SYNTHETIC or COURSE) naming where the held-out rows come from
    file: str = ""  # the --data file's name, COURSE's {file}

    @property
    def source(self) -> str:
        """Where the held-out rows come from, in English: what manifests record."""
        return self.origin.format(file=self.file)

    def describe(self) -> str:
        """Where the held-out rows come from (a message): what a student reads."""
        return _(self.origin).format(file=self.file)


def heldout_seed(private: dict[str, Any]) -> int:
    """The instructor's seed: $GRADERS_HW04_HELDOUT_SEED, else assignment.toml's [private] table."""
    value = os.environ.get(SEED_ENV) or private.get("heldout_seed")
    if value is None:
        raise ValueError(_("no held-out seed: set [private] heldout_seed in graders/hw04/assignment.toml"))
    return int(value)


def synthetic(settings: dict[str, Any], private: dict[str, Any]) -> Split:
    """The public training table and the private held-out table."""
    X_train, y_train = data.arrays(data.generate(int(settings["train_seed"])))
    X_test, y_test = data.arrays(data.generate(heldout_seed(private), int(settings["heldout_per_class"])))
    return Split(X_train, y_train, X_test, y_test, SYNTHETIC)


def course_csv(path: Path, settings: dict[str, Any]) -> Split:
    """The course's own table, split the course's way."""
    X, y = data.arrays(data.read_table(path))
    split = settings.get("course_split", {})
    X_train, X_test, y_train, y_test = train_test_split(
        X, y, train_size=float(split.get("train_size", 0.8)), random_state=int(split.get("random_state", 88)),
        stratify=y)
    return Split(X_train, y_train, X_test, y_test, COURSE, path.name)


def load_split(spec: Any, data_path: Path | None) -> Split:
    """The split a grading run uses: --data when given, else the synthetic tables."""
    return course_csv(data_path, spec.data) if data_path else synthetic(spec.data, spec.private)
