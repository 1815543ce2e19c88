"""hw04 data: the generator is a pure function shaped like the course's table; the CSV reader checks the layout."""
from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from graders.core.spec import load_assignment
from graders.hw04 import data
from graders.hw04.splits import SEED_ENV, course_csv, heldout_seed, load_split

COURSE_CSV = Path(__file__).resolve().parents[3] / "shared" / "data" / "mobile_price_train.csv"
RANGES = {"battery_power": (501, 1998), "clock_speed": (0.5, 3.0), "fc": (0, 19), "int_memory": (2, 64),
          "m_dep": (0.1, 1.0), "mobile_wt": (80, 200), "n_cores": (1, 8), "pc": (0, 20), "px_height": (0, 1960),
          "px_width": (500, 1998), "ram": (256, 3998), "sc_h": (5, 19), "sc_w": (0, 18), "talk_time": (2, 20)}
BINARY = ("blue", "dual_sim", "four_g", "three_g", "touch_screen", "wifi")


@pytest.fixture(scope="module")
def table():
    return data.generate(11)


def test_same_seed_same_table_other_seed_other_rows(table):
    pd.testing.assert_frame_equal(table, data.generate(11))
    other = data.generate(12)
    assert not table.equals(other)
    shared = set(map(tuple, table.to_numpy())) & set(map(tuple, other.to_numpy()))
    assert len(shared) == 0


def test_layout_types_and_ranges_match_the_course_table(table):
    assert list(table.columns) == [*data.FEATURES, data.LABEL]
    assert table[data.LABEL].value_counts().to_dict() == {0: 500, 1: 500, 2: 500, 3: 500}
    for name, (lo, hi) in RANGES.items():
        assert lo <= table[name].min() and table[name].max() <= hi, name
    for name in BINARY:
        assert set(table[name].unique()) == {0, 1}, name
    assert table["clock_speed"].dtype == float and table["ram"].dtype == np.int64
    assert (table.pc >= table.fc).all() and (table.sc_w < table.sc_h).all()
    assert (table.px_height < table.px_width).all() and (table.three_g >= table.four_g).all()


def test_price_follows_ram_then_battery_and_resolution_binary_features_nearly_irrelevant(table):
    corr = table.corr()[data.LABEL]
    assert corr["ram"] > 0.85
    for name in ("battery_power", "px_height", "px_width"):
        assert 0.1 < corr[name] < 0.3, name
    for name in BINARY:
        assert abs(corr[name]) < 0.08, name


def test_public_training_file_is_the_generator_output_for_the_public_seed():
    spec = load_assignment("hw04")
    shipped = pd.read_csv(spec.exercises_dir / spec.data["public_file"])
    pd.testing.assert_frame_equal(shipped, data.generate(int(spec.data["train_seed"])), check_dtype=False)


def test_heldout_rows_come_from_the_private_seed_and_share_nothing_with_training(monkeypatch):
    spec = load_assignment("hw04")
    split = load_split(spec, None)
    assert split.X_train.shape == (2000, 20) and split.X_test.shape == (2000, 20)
    assert split.X_train.dtype == np.float32 and split.y_train.dtype == np.int64
    assert not {r.tobytes() for r in split.X_train} & {r.tobytes() for r in split.X_test}
    assert heldout_seed(spec.private) == spec.private["heldout_seed"]
    monkeypatch.setenv(SEED_ENV, "5")
    assert heldout_seed(spec.private) == 5
    assert not np.array_equal(load_split(spec, None).X_test, split.X_test)


@pytest.mark.parametrize("edit, reason", [
    (lambda t: t.drop(columns="ram"), "missing column(s) ram"),
    (lambda t: t.assign(price_range=t.price_range + 1), "price_range must be 0, 1, 2 or 3"),
    (lambda t: t.assign(ram="lots"), "non-numeric values in ram"),
])
def test_a_csv_of_another_layout_is_refused_with_the_reason(tmp_path, edit, reason):
    path = tmp_path / "phones.csv"
    edit(data.generate(3, per_class=10)).to_csv(path, index=False)
    with pytest.raises(ValueError, match=re.escape(reason)):
        data.check(path)


def test_course_layout_with_bom_and_a_chinese_name_and_extra_columns_is_read(tmp_path):
    path = tmp_path / "手机价格预测.csv"
    table = data.generate(3, per_class=10).assign(id=range(40))
    path.write_bytes(table.to_csv(index=False).encode("utf-8-sig"))
    X, y = data.arrays(data.read_table(path))
    assert X.shape == (40, 20) and list(np.bincount(y)) == [10, 10, 10, 10]


@pytest.mark.skipif(not COURSE_CSV.is_file(), reason="the course's table is not on this machine")
def test_course_csv_is_split_the_course_way():
    split = course_csv(COURSE_CSV, load_assignment("hw04").data)
    assert split.X_train.shape == (1600, 20) and split.X_test.shape == (400, 20)
    assert list(np.bincount(split.y_test)) == [100, 100, 100, 100]
