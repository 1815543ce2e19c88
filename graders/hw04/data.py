"""hw04 data: a synthetic phone price table like the course's, and the course's own CSV.

Trusted, instructor-only code (it runs in the grading parent, never in a
worker). `generate(seed)` is a pure function: the same seed gives the same
table. Students get the table of the public training seed; the held-out rows
come from the instructor's seed, so no student ever holds them.
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

from graders.i18n import _

FEATURES = ("battery_power", "blue", "clock_speed", "dual_sim", "fc", "four_g", "int_memory", "m_dep",
            "mobile_wt", "n_cores", "pc", "px_height", "px_width", "ram", "sc_h", "sc_w", "talk_time",
            "three_g", "touch_screen", "wifi")
LABEL = "price_range"
CLASSES = 4
# The price score, in ram units (MB): ram dominates, then battery and resolution,
# weight and memory a little; binary features nearly nothing (fitted on the course table).
WEIGHTS = {"ram": 1.0, "battery_power": 0.63, "px_height": 0.37, "px_width": 0.36, "mobile_wt": -1.4,
           "int_memory": 0.7, "n_cores": 4.0, "pc": 1.5, "wifi": -8.0, "blue": -3.0}
NOISE = 16.0  # scale of the logistic noise on the score: sets how separable the classes are
_CUT_SEED, _CUT_ROWS = 1_000_003, 200_000


def _features(rng: np.random.Generator, n: int) -> pd.DataFrame:
    """Independent draws with the course table's types, ranges and marginal shapes."""
    def ints(lo: int, hi: int) -> np.ndarray:
        return rng.integers(lo, hi + 1, n)

    pc = ints(0, 20)
    px_width = ints(500, 1998)
    sc_h = ints(5, 19)
    px_height = (rng.random(n) * np.minimum(px_width, 1961)).astype(np.int64)  # below the width, <= 1960
    four_g = rng.binomial(1, 0.52, n)
    clock = np.where(rng.random(n) < 0.17, 0.5, np.round(rng.uniform(0.55, 3.02, n), 1))
    cols = {
        "battery_power": ints(501, 1998), "blue": rng.binomial(1, 0.5, n),
        "clock_speed": np.clip(clock, 0.5, 3.0), "dual_sim": rng.binomial(1, 0.5, n),
        "fc": np.minimum(pc, np.minimum(19, np.floor(rng.exponential(5.5, n)))).astype(np.int64),
        "four_g": four_g, "int_memory": ints(2, 64),
        "m_dep": np.clip(np.round(rng.uniform(0.03, 1.03, n), 1), 0.1, 1.0), "mobile_wt": ints(80, 200),
        "n_cores": ints(1, 8), "pc": pc, "px_height": px_height,
        "px_width": px_width, "ram": ints(256, 3998), "sc_h": sc_h,
        "sc_w": (rng.random(n) * sc_h).astype(np.int64), "talk_time": ints(2, 20),
        "three_g": np.maximum(four_g, rng.binomial(1, 0.5, n)), "touch_screen": rng.binomial(1, 0.5, n),
        "wifi": rng.binomial(1, 0.5, n),
    }
    return pd.DataFrame({name: cols[name] for name in FEATURES})


def _score(table: pd.DataFrame, rng: np.random.Generator) -> np.ndarray:
    score = sum(weight * table[name].to_numpy(float) for name, weight in WEIGHTS.items())
    return score + rng.logistic(0.0, NOISE, len(table))


@lru_cache(maxsize=1)
def cut_points() -> tuple[float, ...]:
    """The population quartiles of the score: fixed, so every table shares one label rule."""
    rng = np.random.default_rng(_CUT_SEED)
    score = _score(_features(rng, _CUT_ROWS), rng)
    return tuple(float(q) for q in np.quantile(score, [0.25, 0.5, 0.75]))


def generate(seed: int, per_class: int = 500) -> pd.DataFrame:
    """A table of `per_class` rows of each price range (0..3), shuffled; a pure function of seed."""
    rng = np.random.default_rng(seed)
    kept: list[pd.DataFrame] = []
    counts = np.zeros(CLASSES, dtype=int)
    while counts.min() < per_class:
        batch = _features(rng, 4 * per_class)
        batch[LABEL] = np.searchsorted(cut_points(), _score(batch, rng))
        for label in range(CLASSES):
            rows = batch[batch[LABEL] == label].head(per_class - counts[label])
            counts[label] += len(rows)
            kept.append(rows)
    table = pd.concat(kept, ignore_index=True)
    return table.sample(frac=1.0, random_state=rng.integers(2**31)).reset_index(drop=True)


def read_table(path: Path) -> pd.DataFrame:
    """The course's CSV layout (any file name): the 20 features and price_range; ValueError if not."""
    try:
        table = pd.read_csv(path, encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError, pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        raise ValueError(_("{file}: not a readable CSV ({error})").format(file=path.name, error=exc)) from exc
    missing = [c for c in (*FEATURES, LABEL) if c not in table.columns]
    if missing:
        raise ValueError(_("{file}: missing column(s) {columns}").format(file=path.name, columns=", ".join(missing)))
    table = table[[*FEATURES, LABEL]]
    numeric = table.apply(pd.to_numeric, errors="coerce")
    if numeric.isna().any().any():
        bad = numeric.columns[numeric.isna().any()].tolist()
        raise ValueError(_("{file}: empty or non-numeric values in {columns}").format(file=path.name,
                                                                                     columns=", ".join(bad)))
    if not numeric[LABEL].isin(range(CLASSES)).all():
        raise ValueError(_("{file}: {label} must be 0, 1, 2 or 3").format(file=path.name, label=LABEL))
    if numeric[LABEL].value_counts().min() < 5 or numeric[LABEL].nunique() < CLASSES:
        raise ValueError(_("{file}: need at least 5 rows of each price range to split").format(file=path.name))
    return numeric


def arrays(table: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """(X float32 (N, 20), y int64 (N,)) in the contract's column order."""
    return table[list(FEATURES)].to_numpy(np.float32), table[LABEL].to_numpy(np.int64)


def check(path: Path) -> None:
    """The engine's `--data` check: ValueError with the reason when the file is not the course layout."""
    read_table(path)
