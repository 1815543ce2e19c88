"""A student's own file, folder and profile names must not speak for another student (issue 16 red team).

Each test is one attack that worked before the fix: attributing an entry to another user, back-dating or
post-dating a submission, forging batch.log lines, overwriting another student's feedback, aliasing a
student in reviews.csv, and a negative hand-set grade written as text.
"""
from __future__ import annotations

import csv
import io
import zipfile
from datetime import datetime
from pathlib import Path

from graders.core.batch.collect import collect
from graders.core.batch.layouts import Identity, identify
from graders.core.batch.lms import Column, Grade, canvas_csv
from graders.core.batch.log import BatchLog
from graders.core.batch.outputs import feedback_files
from graders.core.batch.plan import make_plan
from graders.core.batch.reviews import Review, read_reviews, reviews_csv
from graders.core.batch.times import submitted_at
from graders.core.report import Report
from graders.i18n import Renderer, _


def _zip(path: Path, members: dict[str, tuple[bytes, tuple[int, ...]]]) -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        for name, (data, when) in members.items():
            archive.writestr(zipfile.ZipInfo(name, when), data)
    return path


def test_a_blackboard_file_name_cannot_name_another_user_or_time() -> None:
    entry = "HW3_alice_attempt_2024-05-02-10-00-00_x_bob_attempt_2099-01-01-00-00-00_hw03.zip"
    found = identify(entry)
    assert found == Identity("alice", "", False, "2024-05-02T10:00:00", "blackboard",
                             "x_bob_attempt_2099-01-01-00-00-00_hw03.zip")
    late = identify("HW3_carol_attempt_2024-06-30-23-00-00_y_carol_attempt_2020-01-01-00-00-00_hw03.zip")
    assert late is not None and late.attempt == "2024-06-30T23:00:00"


def test_a_moodle_full_name_cannot_take_over_another_participant() -> None:
    folder = identify("Eve_10002_assignsubmission_file_x_10004_assignsubmission_file_/")
    assert folder is not None and folder.student_id == "10004"
    assert folder.name == "Eve_10002_assignsubmission_file_x"
    # A loose file: the name or the file part may hold the look-alike; neither student is credited.
    assert identify("Eve_10002_assignsubmission_file_x_10004_assignsubmission_file_hw03.zip") is None
    assert identify("Eve_10004_assignsubmission_file_x_10002_assignsubmission_file_hw03.zip") is None


def test_moodle_folders_from_a_download_keep_their_real_ids(tmp_path: Path) -> None:
    when = (2024, 5, 1, 10, 0, 0)
    archive = _zip(tmp_path / "moodle.zip", {
        "Bob Smith_10002_assignsubmission_file_/softmax.py": (b"x = 1\n", when),
        "Eve_10002_assignsubmission_file_x_10004_assignsubmission_file_/softmax.py": (b"y = 2\n", when),
        "Dr: Who_10005_assignsubmission_file_/softmax.py": (b"z = 3\n", when),
    })
    units, rejected = collect([archive])
    plan = make_plan(units, rejected)
    assert {p.identity.student_id for p in plan.graded} == {"10002", "10004", "10005"}
    bob = next(p for p in plan.graded if p.identity.student_id == "10002")
    assert bob.unit.entry == "Bob Smith_10002_assignsubmission_file_" and not bob.superseded
    assert not plan.rejected


def test_a_planted_member_cannot_date_another_students_entry(tmp_path: Path) -> None:
    early, late = (2024, 5, 1, 10, 0, 0), (2024, 5, 9, 10, 0, 0)
    archive = _zip(tmp_path / "moodle.zip", {
        "Bob Smith_10002_assignsubmission_file_/softmax.py": (b"x = 1\n", early),
        "Mallory_10003_assignsubmission_file_/softmax.py": (b"y = 2\n", late),
        "Mallory_10003_assignsubmission_file_/Bob Smith_10002_assignsubmission_file_": (b"x", late),
    })
    units, rejected = collect([archive])
    plan = make_plan(units, rejected)
    times = {p.identity.student_id: submitted_at(p.identity, p.unit) for p in plan.graded}
    assert times == {"10002": datetime(2024, 5, 1, 10), "10003": datetime(2024, 5, 9, 10)}


def test_one_refused_member_rejects_its_entry_once_and_whole(tmp_path: Path) -> None:
    when = (2024, 5, 1, 10, 0, 0)
    archive = _zip(tmp_path / "d.zip", {
        "alice_2023000001/softmax.py": (b"x = 1\n", when),
        "mallory_2023000002/softmax.py": (b"x = 1\n", when),
        "mallory_2023000002/../../etc/passwd": (b"x", when),
        "mallory_2023000002/../evil.py": (b"x", when),
    })
    units, rejected = collect([archive])
    assert [u.entry for u in units] == ["alice_2023000001"]
    assert [r.entry for r in rejected] == ["mallory_2023000002"] and "../" in rejected[0].reason


def test_batch_log_lines_cannot_be_forged(tmp_path: Path) -> None:
    entry = "Eve\n2024-05-01 10:00:00,000 INFO Bob.zip graded 100\x1b]0;pwned\x07\x1b[2J_10004"
    with BatchLog(tmp_path, Renderer("en")) as log:
        log.info(_("graded {entry}").format(entry=entry))
    text = (tmp_path / "batch.log").read_text(encoding="utf-8")
    assert text.count("\n") == 1 and "\x1b" not in text and "\x07" not in text
    assert "INFO graded Eve 2024-05-01" in text


def test_feedback_files_never_overwrite_each_other(tmp_path: Path) -> None:
    from graders.core.batch.outputs import Row

    def row(student: str) -> Row:
        return Row(student, "Ann", "graded", 1.0, 1.0, {}, False, 1, 0.0, f"{student}.zip", "")

    def report(score: float) -> Report:
        return Report("hw03", "s.zip", "graded", score, 1.0, 0.0)

    identities = {s: Identity(s, "Ann", False, "", "flat", "") for s in ("a/b", "a_b", "A_B")}
    files = feedback_files([(row(s), report(i / 10)) for i, s in enumerate(identities)], identities,
                           tmp_path, Renderer("en"))
    assert [p.name for p in files] == ["a_b_Ann.md", "a_b_Ann~2.md", "A_B_Ann~3.md"]


def test_reviews_csv_keeps_a_leading_quote_that_is_part_of_a_name(tmp_path: Path) -> None:
    reviews = [Review("'bob", "softmax", 0.0, "=HYPERLINK(\"x\")", "ta"), Review("bob", "softmax", 10.0),
               Review("=cmd", "*", None, "'quoted'")]
    path = tmp_path / "reviews.csv"
    path.write_bytes(reviews_csv(reviews))
    assert read_reviews(path) == reviews
    cells = list(csv.reader(io.StringIO(path.read_bytes().decode("utf-8-sig"))))
    assert all(not c.startswith(("=", "+", "-", "@")) for line in cells for c in line)


def test_a_negative_hand_set_grade_is_a_number_in_lms_files() -> None:
    grade = Grade("7", "=evil()", -2.0, 100.0, "graded", "")
    rows = list(csv.reader(io.StringIO(canvas_csv([grade], Column("hw03", "1")).decode())))
    assert rows[1][-1] == "-2" and rows[1][0] == "'=evil()"


def test_measured_metrics_become_gradebook_columns_and_only_numbers_count() -> None:
    from graders.core.batch.outputs import Row, gradebook_csv
    from graders.core.runner import _metrics

    assert _metrics({"metric:accuracy": 0.9812, "metric:x": float("nan"), "metric:y": "0.5", "message": "m",
                     "metric:flag": True}) == {"accuracy": 0.9812}
    rows = [Row("1", "a", "graded", 100.0, 100.0, {"model": 100.0}, False, 1, 1.0, "a.zip", "",
                metrics={"accuracy": 0.9812}),
            Row("2", "b", "rejected", 0.0, 100.0, {}, False, 1, 0.0, "b.rar", "not a zip")]
    table = list(csv.DictReader(io.StringIO(gradebook_csv(rows, ["model"], Renderer("en")).decode("utf-8-sig"))))
    assert [r["accuracy"] for r in table] == ["0.9812", ""]
