"""hw04's student bundle: the public training rows, never the held-out rows or the private seed."""
from __future__ import annotations

import tomllib

import pandas as pd
import pytest

from graders.core.dist import build_bundle, public_toml
from graders.core.spec import load_assignment
from graders.hw04 import data
from graders.hw04.splits import heldout_seed


@pytest.fixture(scope="module")
def spec():
    return load_assignment("hw04")


@pytest.fixture(scope="module")
def bundle(spec, tmp_path_factory):
    return build_bundle(spec, tmp_path_factory.mktemp("hw04") / "bundle")


def test_public_toml_drops_the_private_table():
    text = 'id = "x"\n[private]\nseed = 1\n[parts.a]\npoints = 1\n[private.more]\nkey = 2\n[[parts.a.rules]]\nname = "r"\n'
    assert tomllib.loads(public_toml(text)) == {"id": "x", "parts": {"a": {"points": 1, "rules": [{"name": "r"}]}}}


def test_bundle_ships_the_training_rows_and_no_private_seed(spec, bundle):
    shipped = pd.read_csv(bundle / "data" / "phone_price.csv")
    pd.testing.assert_frame_equal(shipped, data.generate(int(spec.data["train_seed"])), check_dtype=False)
    toml = (bundle / "assignment.toml").read_text(encoding="utf-8")
    assert "private" not in tomllib.loads(toml)
    assert str(heldout_seed(spec.private)) not in toml
    assert not (bundle / "data.py").exists() and not list(bundle.rglob("splits.py"))


def _rows(table):
    return {",".join(map(str, r)) for r in table[list(data.FEATURES)].itertuples(index=False)}


def test_no_heldout_row_is_anywhere_in_the_bundle(spec, bundle):
    text = "\n".join(p.read_text(errors="replace") for p in bundle.rglob("*") if p.is_file() and p.suffix != ".whl")
    lines = {",".join(line.split(",")[:20]) for line in text.splitlines()}
    assert len(_rows(data.generate(int(spec.data["train_seed"]))) & lines) == 2000  # the matcher does find rows
    assert not _rows(data.generate(heldout_seed(spec.private), int(spec.data["heldout_per_class"]))) & lines


def test_bundle_ships_the_chinese_text_and_public_catalog_but_no_hidden_one(spec, bundle):
    assert (bundle / "README.zh.md").read_text(encoding="utf-8").startswith("# hw04 — 手机价格分类")
    assert "中文说明：[README.zh.md](README.zh.md)" in (bundle / "README.md").read_text(encoding="utf-8")
    public = bundle / "locale" / "zh_CN" / "LC_MESSAGES"
    assert (public / "hw04.mo").is_file()
    hidden = (spec.grader_dir / "locale" / "zh_CN" / "LC_MESSAGES" / "hw04.po").read_text(encoding="utf-8")
    assert "synthetic phone table" in hidden and "synthetic phone table" not in (public / "hw04.po").read_text(
        encoding="utf-8")
    assert not [p for p in bundle.rglob("*") if p.is_file() and p.read_bytes() == (
        spec.grader_dir / "locale" / "zh_CN" / "LC_MESSAGES" / "hw04.mo").read_bytes()]
