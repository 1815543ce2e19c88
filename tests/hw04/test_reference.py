"""`grade reference hw04`: the reference's accuracy and time per seed go into the manifest, next to older figures."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

from graders.core.reference import record
from graders.core.spec import load_assignment, parse_spec

ROOT = Path(__file__).resolve().parents[2]


def test_record_summarizes_five_seeds_and_keeps_other_entries(tmp_path):
    for folder in ("graders/hw04", "exercises/hw04", "reference/hw04"):
        shutil.copytree(ROOT / folder, tmp_path / folder, ignore=shutil.ignore_patterns("__pycache__"))
    manifest = tmp_path / "reference" / "hw04" / "manifest.json"
    manifest.write_text(json.dumps({"calibration": {"kept": True}, "summary": {"cuda": "older figures"}}))
    spec = load_assignment("hw04", root=tmp_path)
    written = record(spec, device="cpu")
    figures = written["summary"]["cpu"]
    assert figures["rows"] == {"train": 2000, "heldout": 2000}
    assert sorted(figures["runs"]) == [f"reference_seed{s}" for s in range(5)]
    assert figures["accuracy_min"] >= 0.97
    assert all(run["wall_s"] > 0 and run["fit_s"] > 0 for run in figures["runs"].values())
    saved = json.loads(manifest.read_text())
    assert saved["calibration"] == {"kept": True} and saved["summary"]["cuda"] == "older figures"
    assert not (tmp_path / "reference" / "hw04" / "golden").exists()


def test_committed_manifest_has_the_reference_at_097_or_more_on_every_seed():
    saved = json.loads((ROOT / "reference" / "hw04" / "manifest.json").read_text(encoding="utf-8"))
    for key, figures in saved["summary"].items():
        if isinstance(figures, dict):
            assert figures["accuracy_min"] >= 0.97, key
            assert len(figures["runs"]) == 5, key


def test_part_timeout_data_and_private_tables_are_read_from_the_toml():
    raw = {"id": "x", "title": "t", "files": ["a.py"], "limits": {"threads": 2},
           "data": {"module": "data.py"}, "private": {"heldout_seed": 3},
           "parts": {"model": {"points": 10, "call_timeout_s": 180}, "other": {"points": 5}}}
    spec = parse_spec(raw, tmp := Path("/course"))
    assert spec.part("model").call_timeout_s == 180 and spec.part("other").call_timeout_s is None
    assert spec.limits.threads == 2 and spec.private == {"heldout_seed": 3}
    assert spec.data_module == tmp / "graders" / "x" / "data.py"
