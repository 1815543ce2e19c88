"""LMS download names -> student identity (graders/core/batch/layouts.py)."""
from __future__ import annotations

import pytest

from graders.core.batch.layouts import (
    LAYOUTS, Identity, detect_layout, identify, is_receipt, student_key)

CANVAS = [
    ("lastnamefirstname_12345_678901_hw03.zip",
     Identity("12345", "lastnamefirstname", False, "000000678901", "canvas", "hw03.zip")),
    ("doejane_LATE_12345_678901_hw03.zip",
     Identity("12345", "doejane", True, "000000678901", "canvas", "hw03.zip")),
    ("doejane_12345_678950_hw03-1.zip",
     Identity("12345", "doejane", False, "000000678950", "canvas", "hw03-1.zip")),
    ("zhangsan_20931_1044021_hw03-2.ipynb",
     Identity("20931", "zhangsan", False, "000001044021", "canvas", "hw03-2.ipynb")),
    ("张三_20931_1044021_作业3.zip",
     Identity("20931", "张三", False, "000001044021", "canvas", "作业3.zip")),
    ("o'brien-smith_LATE_7_99_my report v2.pdf",
     Identity("7", "o'brien-smith", True, "000000000099", "canvas", "my report v2.pdf")),
    ("smithjohn_55_123456_hw03_final.py",
     Identity("55", "smithjohn", False, "000000123456", "canvas", "hw03_final.py")),
]

MOODLE = [
    ("Full Name_12345_assignsubmission_file_",
     Identity("12345", "Full Name", False, "", "moodle", "")),
    ("Full Name_12345_assignsubmission_file_/",
     Identity("12345", "Full Name", False, "", "moodle", "")),
    ("Full Name_12345_assignsubmission_onlinetext_",
     Identity("12345", "Full Name", False, "", "moodle", "")),
    ("张三_802_assignsubmission_file_/",
     Identity("802", "张三", False, "", "moodle", "")),
    ("Jean-Luc O.Picard_4711_assignsubmission_file",
     Identity("4711", "Jean-Luc O.Picard", False, "", "moodle", "")),
    ("Anne Marie_Li_99_assignsubmission_file_hw03.zip",
     Identity("99", "Anne Marie_Li", False, "", "moodle", "hw03.zip")),
    ("王 小明_100234_assignsubmission_onlinetext_onlinetext.html",
     Identity("100234", "王 小明", False, "", "moodle", "onlinetext.html")),
]

BLACKBOARD = [
    ("HW03_username_attempt_2024-03-01-12-30-45_hw03.zip",
     Identity("username", "", False, "2024-03-01T12:30:45", "blackboard", "hw03.zip")),
    ("HW03_username_attempt_2024-03-01-12-30-45.txt",
     Identity("username", "", False, "2024-03-01T12:30:45", "blackboard", "")),
    ("Homework 3_jdoe_attempt_2024-03-02-08-00-01_hw03-1.zip",
     Identity("jdoe", "", False, "2024-03-02T08:00:01", "blackboard", "hw03-1.zip")),
    ("HW_03 Neural Nets_s2023001234_attempt_2024-03-01-23-59-59_张三.ipynb",
     Identity("s2023001234", "", False, "2024-03-01T23:59:59", "blackboard", "张三.ipynb")),
    ("作业三_zhangsan_attempt_2024-03-10-09-05-00_作业 3.zip",
     Identity("zhangsan", "", False, "2024-03-10T09:05:00", "blackboard", "作业 3.zip")),
    ("作业三_zhangsan_attempt_2024-03-10-09-05-00.txt",
     Identity("zhangsan", "", False, "2024-03-10T09:05:00", "blackboard", "")),
    ("HW03_j.doe_attempt_2024-03-01-12-30-45_notes.txt",
     Identity("j.doe", "", False, "2024-03-01T12:30:45", "blackboard", "notes.txt")),
]

FLAT = [
    ("张三_2023001234_hw03.zip", ("2023001234", "张三", False, "0000")),
    ("2023001234_张三_hw03.zip", ("2023001234", "张三", False, "0000")),
    ("张三-2023001234-hw03.zip", ("2023001234", "张三", False, "0000")),
    ("2023001234张三.zip", ("2023001234", "张三", False, "0000")),
    ("张三_2023001234.ipynb", ("2023001234", "张三", False, "0000")),
    ("hw03_张三_2023001234.zip", ("2023001234", "张三", False, "0000")),
    ("李四_2023001235_hw03(1).zip", ("2023001235", "李四", False, "0001")),
    ("李四_2023001235_hw03 (2).zip", ("2023001235", "李四", False, "0002")),
    ("李四_2023001235_作业3（3）.zip", ("2023001235", "李四", False, "0003")),
    ("wang_wei_2023001236_hw03.py", ("2023001236", "wang wei", False, "0000")),
    ("张三_2023001234_hw03_迟交.zip", ("2023001234", "张三", True, "0000")),
    ("补交-王五-2023001237-作业3.zip", ("2023001237", "王五", True, "0000")),
    ("LATE Zhao Liu 2023001238 HW3.tar.gz", ("2023001238", "Zhao Liu", True, "0000")),
    ("Homework3_2023001239_孙七", ("2023001239", "孙七", False, "0000")),
    ("20240301_张三_2023001234_hw03.zip", ("2023001234", "20240301 张三", False, "0000")),
]


@pytest.mark.parametrize(("entry", "expected"), CANVAS)
def test_canvas(entry: str, expected: Identity) -> None:
    assert identify(entry, "canvas") == expected
    assert identify(entry) == expected


@pytest.mark.parametrize(("entry", "expected"), MOODLE)
def test_moodle(entry: str, expected: Identity) -> None:
    assert identify(entry, "moodle") == expected
    assert identify(entry) == expected


@pytest.mark.parametrize(("entry", "expected"), BLACKBOARD)
def test_blackboard(entry: str, expected: Identity) -> None:
    assert identify(entry, "blackboard") == expected
    assert identify(entry) == expected


@pytest.mark.parametrize(("entry", "expected"), FLAT)
def test_flat(entry: str, expected: tuple[str, str, bool, str]) -> None:
    found = identify(entry)
    assert found is not None and found == identify(entry, "flat")
    assert (found.student_id, found.name, found.late, found.attempt) == expected
    assert found.layout == "flat" and found.filename == entry


def test_flat_folder_has_no_filename() -> None:
    found = identify("张三_2023001234/")
    assert found == Identity("2023001234", "张三", False, "0000", "flat", "")


def test_attempts_sort_newest_last() -> None:
    canvas = [identify(e).attempt for e in ("a_1_99_x.zip", "a_1_100_x.zip")]  # type: ignore[union-attr]
    flat = [identify(e).attempt for e in ("张三_2023001234.zip", "张三_2023001234(10).zip")]  # type: ignore[union-attr]
    assert canvas == sorted(canvas) and flat == sorted(flat)


def test_receipts() -> None:
    assert is_receipt("HW03_username_attempt_2024-03-01-12-30-45.txt")
    assert not is_receipt("HW03_username_attempt_2024-03-01-12-30-45_hw03.zip")
    assert not is_receipt("HW03_username_attempt_2024-03-01-12-30-45_notes.txt")
    assert not is_receipt("README.txt")


@pytest.mark.parametrize("entry", [
    "README.txt", "__MACOSX", "__MACOSX/", ".DS_Store", "hw03.zip", "作业3(1).zip", ""])
def test_names_without_ids(entry: str) -> None:
    assert identify(entry) is None
    assert all(identify(entry, layout) is None for layout in LAYOUTS)


def test_specific_layout_rejects_other_styles() -> None:
    assert identify("张三_2023001234_hw03.zip", "canvas") is None
    assert identify("doejane_12345_678901_hw03.zip", "moodle") is None
    assert identify("Full Name_12345_assignsubmission_file_", "blackboard") is None
    with pytest.raises(ValueError):
        identify("x", "gradescope")


@pytest.mark.parametrize(("entries", "layout"), [
    ([e for e, _ in CANVAS] + ["README.txt", "__MACOSX/"], "canvas"),
    ([e for e, _ in MOODLE] + [".DS_Store"], "moodle"),
    ([e for e, _ in BLACKBOARD], "blackboard"),
    ([e for e, _ in FLAT] + ["doejane_12345_678901_hw03.zip"], "flat"),
    (["README.txt", "__MACOSX"], "flat"),
    ([], "flat"),
])
def test_detect_layout(entries: list[str], layout: str) -> None:
    assert detect_layout(entries) == layout


def test_student_key_sanitises() -> None:
    key = student_key(Identity("12345", "a/b:c*?", False, "", "canvas", ""))
    assert key == "12345_a_b_c__"
    assert student_key(Identity("2023001234", "张三", False, "", "flat", "")) == "2023001234_张三"


def test_student_key_edges() -> None:
    assert student_key(Identity("jdoe", "", False, "", "blackboard", "")) == "jdoe"
    assert student_key(Identity("..", "", False, "", "blackboard", "")) == "_"
    assert student_key(Identity("con", "", False, "", "blackboard", "")) == "_con"
    assert student_key(Identity("1", "x\x00y\\z|w<>\"", False, "", "flat", "")) == "1_x_y_z_w___"
    assert student_key(Identity("1", "name. ", False, "", "flat", "")) == "1_name"
    long = student_key(Identity("1", "张" * 300, False, "", "flat", ""))
    assert len(long) <= 100 and len(long.encode()) <= 200 and long.startswith("1_张")
