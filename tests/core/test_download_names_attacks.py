"""A student's own file, folder and profile names must not speak for another student (issue 16 red team).

Each test is one attack that worked before the fix: attributing an entry to another user, back-dating or
post-dating a submission, forging batch.log lines, overwriting another student's feedback, aliasing a
student in reviews.csv, and a negative hand-set grade written as text.
"""
from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import replace
from datetime import datetime
from pathlib import Path

from graders.core.batch.collect import Unit, collect
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


# --- issue 16, second red team: ten breaks in reading a download, each an attack that worked before its fix ---

WHEN = (2024, 5, 1, 10, 0, 0)


def _bomb() -> bytes:
    return b"\0" * (2 * 2**20)  # deflates about 1000x: over the ratio limit


def _zip_deflated(path: Path, members: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(zipfile.ZipInfo(name, WHEN), data, zipfile.ZIP_DEFLATED)
    return path


def test_a_bomb_in_a_wrapped_download_rejects_only_its_students_entry(tmp_path: Path) -> None:
    archive = _zip_deflated(tmp_path / "d.zip", {
        "submissions/alice_2023000001/softmax.py": b"x = 1\n",
        "submissions/bob_2023000002/softmax.py": b"y = 2\n",
        "submissions/mallory_2023000003/softmax.py": b"z = 3\n",
        "submissions/mallory_2023000003/weights.bin": _bomb(),
    })
    units, rejected = collect([archive])
    assert [u.entry for u in units] == ["alice_2023000001", "bob_2023000002"]
    assert [r.entry for r in rejected] == ["mallory_2023000003"] and "zip bomb" in rejected[0].reason
    assert "weights.bin" in rejected[0].reason


def test_a_long_chinese_file_name_is_staged_under_255_bytes_and_stays_unique(tmp_path: Path) -> None:
    from graders.core.batch.pool import stage

    long = "张" * 100
    single = Unit(f"{long}.py", "d.zip", {f"{long}.py": b"x = 1\n"},
                  identity=Identity("2023000001", long, False, "0000", "flat", f"{long}.py"))
    path = stage(single, tmp_path)
    assert path.suffix == ".py" and len(path.name.encode()) <= 255 and path.read_bytes() == b"x = 1\n"
    folder = Unit("f", "d.zip", {f"a{long}.py": b"a", f"b{long}.py": b"b", f"{long}/{long}.py": b"c"},
                  is_folder=True)
    staged = stage(folder, tmp_path)
    assert sorted(p.read_bytes() for p in staged.rglob("*") if p.is_file()) == [b"a", b"b", b"c"]


def test_an_entry_the_disk_refuses_is_rejected_alone_naming_it(tmp_path: Path) -> None:
    from types import SimpleNamespace

    from graders.core.batch.pool import LocalPool

    unit = Unit("alice_2023000001", "d.zip", {"a": b"x", "a/b": b"y"}, is_folder=True)  # a file and a folder `a`
    landed: list[tuple[str, dict, bool]] = []
    LocalPool(1, tmp_path).run(SimpleNamespace(id="hw03"), {unit.digest: unit},
                               lambda digest, report, final=False: landed.append((digest, report, final)))
    [(digest, report, final)] = landed
    assert digest == unit.digest and final and report["status"] == "rejected"
    assert report["message"].startswith("alice_2023000001 cannot be written to disk to be graded (")


def test_an_extension_is_found_by_the_students_ids_never_by_a_name(tmp_path: Path) -> None:
    from graders.core.batch.adjust import Policy, _extension
    from graders.core.batch.late import LatePolicy
    from graders.core.batch.lms import read_roster
    from graders.core.batch.outputs import Row

    roster_csv = tmp_path / "roster.csv"
    roster_csv.write_text("id,name\n2023000001,2023000002\n2023000002,Bob\n", encoding="utf-8")
    roster = read_roster(roster_csv)
    policy = Policy(LatePolicy(datetime(2024, 5, 1, 22, 0)), {"2023000002": "+2d"})

    def row(student: str) -> Row:
        return Row(student, "", "graded", 1.0, 1.0, {}, False, 1, 0.0, f"{student}.zip", "")

    assert _extension(row("2023000001"), policy, roster) is None  # Mallory, named like Bob's id
    assert _extension(row("2023000002"), policy, roster) == datetime(2024, 5, 3, 22, 0)


def _flat_impostor(tmp_path: Path) -> Path:
    return _zip(tmp_path / "flat.zip", {"张三_2023000001_hw03.zip": (b"PK mine", WHEN),
                                        "Mallory_2023000001_hw03(1).zip": (b"PK theirs", WHEN),
                                        "李四_2023000002_hw03.zip": (b"PK li", WHEN),
                                        "李四_2023000002_hw03(1).zip": (b"PK li again", WHEN)})


def test_attempts_under_one_id_with_different_names_are_flagged_not_settled(tmp_path: Path) -> None:
    units, rejected = collect([_flat_impostor(tmp_path)])
    plan = make_plan(units, rejected)
    zhang, li = plan.graded
    assert zhang.unit.entry == "Mallory_2023000001_hw03(1).zip" and zhang.names == ("Mallory", "张三")
    assert li.names == () and [u.entry for u in li.superseded] == ["李四_2023000002_hw03.zip"]


def test_canvas_files_of_one_submission_are_graded_together(tmp_path: Path) -> None:
    from graders.core.batch.outputs import reconciliation

    archive = _zip(tmp_path / "canvas.zip", {"zhang_12345_67890_softmax.py": (b"def softmax(): ...\n", WHEN),
                                             "zhang_12345_67890_optimizers.py": (b"class SGD: ...\n", WHEN),
                                             "zhang_12345_55555_softmax.py": (b"old\n", (2024, 4, 1, 0, 0, 0)),
                                             "li_12346_67891_softmax.py": (b"li\n", WHEN)})
    units, rejected = collect([archive])
    plan = make_plan(units, rejected)
    zhang, li = plan.graded
    assert zhang.unit.entry == "zhang_12345_67890" and zhang.unit.is_folder
    assert zhang.unit.files == {"softmax.py": b"def softmax(): ...\n", "optimizers.py": b"class SGD: ...\n"}
    assert [u.entry for u in zhang.superseded] == ["zhang_12345_55555_softmax.py"] and len(zhang.merged) == 2
    assert li.unit.entry == "li_12346_67891_softmax.py" and not li.merged and plan.merged_count == 1
    ok, line = reconciliation(plan, len(units))
    assert ok and "= 2 graded + 1 more files of multi-file submissions + 0 not graded + 1 superseded" in line


def test_a_moodle_file_submission_counts_before_the_online_text(tmp_path: Path) -> None:
    archive = _zip(tmp_path / "moodle.zip", {
        "Bob Smith_10002_assignsubmission_file_/softmax.py": (b"x = 1\n", WHEN),
        "Bob Smith_10002_assignsubmission_onlinetext_/onlinetext.html": (b"<p>see file</p>", WHEN)})
    units, rejected = collect([archive])
    [bob] = make_plan(units, rejected).graded
    assert bob.unit.entry == "Bob Smith_10002_assignsubmission_file_"
    assert [u.entry for u in bob.superseded] == ["Bob Smith_10002_assignsubmission_onlinetext_"]


def test_a_huge_file_in_a_folder_input_is_rejected_alone_without_reading_it(tmp_path: Path, monkeypatch) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "alice_2023000001_hw03.py").write_bytes(b"x = 1\n")
    with open(folder / "bob_2023000002_hw03.zip", "wb") as handle:
        handle.truncate(60 * 2**20)  # sparse: 60 MB on paper
    monkeypatch.setattr(Path, "read_bytes", lambda self: pytest.fail(f"read {self.name} whole"))
    units, rejected = collect([folder])
    assert [u.entry for u in units] == ["alice_2023000001_hw03.py"]
    assert [r.entry for r in rejected] == ["bob_2023000002_hw03.zip"]
    assert rejected[0].reason == f"'bob_2023000002_hw03.zip' is over {50 * 2**20} bytes; refused (hand in the " \
                                 "code, not data or models)"


def test_a_formula_behind_a_leading_quote_or_space_is_defused_in_every_csv() -> None:
    from graders.core.batch.lms import blackboard_csv, moodle_csv
    from graders.core.batch.outputs import Row, gradebook_csv
    from graders.core.formats.safe import csv_cell

    for text in ('"=1+1', ' "=1+1', "'=1+1", "\u3000=1+1", "“=1+1", '"@SUM(A1)'):
        assert csv_cell(text).startswith("'"), text
    assert csv_cell('"bob') == '"bob' and csv_cell("-2") == "'-2"
    grade = Grade("7", '"=HYPERLINK("http://x")', 1.0, 1.0, "graded", "")
    for writer in (canvas_csv, moodle_csv, blackboard_csv):
        rows = list(csv.reader(io.StringIO(writer([grade], Column("hw03", "1")).decode())))
        assert '\'"=HYPERLINK("http://x")' in rows[1], writer.__name__
    row = Row("1", '"=1+1', "graded", 1.0, 1.0, {}, False, 1, 0.0, '"=2+2.zip', "")
    table = list(csv.DictReader(io.StringIO(gradebook_csv([row], [], Renderer("en")).decode("utf-8-sig"))))
    assert (table[0]["name"], table[0]["file"]) == ('\'"=1+1', '\'"=2+2.zip')


def test_zip_members_that_name_no_file_or_the_same_file_are_rejected_by_name(tmp_path: Path) -> None:
    archive = _zip(tmp_path / "d.zip", {".": (b"x", WHEN),
                                        "./张三_2023000001_hw03.zip": (b"PK one", WHEN),
                                        "张三_2023000001_hw03.zip": (b"PK two", WHEN),
                                        "bob_2023000002/./softmax.py": (b"x = 1\n", WHEN),
                                        "李四_2023000003_hw03.zip": (b"PK li", WHEN)})
    units, rejected = collect([archive])
    assert [u.entry for u in units] == ["bob_2023000002", "李四_2023000003_hw03.zip"]
    assert units[0].files == {"softmax.py": b"x = 1\n"}
    reasons = {r.entry: r.reason for r in rejected}
    zhang = "张三_2023000001_hw03.zip"
    assert reasons == {".": "zip member '.' names no file; it was refused",
                       zhang: f"zip members './{zhang}' and '{zhang}' name the same file; the entry was refused, as "
                              "it is unclear which one is the student's"}


def test_superscript_ports_and_the_console_devices_are_reserved_names() -> None:
    from graders.core.batch.layouts import student_key

    for device in ("COM¹", "com²", "LPT³", "CONIN$", "conout$", "CON .txt"):
        key = student_key(Identity(device, "", False, "", "flat", ""))
        assert key == f"_{device}", device


class _Stamp:
    """An executor that grades nothing: each unit scores its number of files (no sandbox, no pool, no timing)."""

    def run(self, spec, todo, land) -> None:
        for digest, unit in todo.items():
            land(digest, Report(spec.id, unit.entry, "graded", float(len(unit.files)), 10.0, 0.0).to_dict())


def test_a_batch_holds_an_impostors_grade_and_grades_multi_file_submissions_once(tmp_path: Path, monkeypatch) -> None:
    from graders.core.batch import pipeline
    from graders.core.batch.adjust import Policy
    from graders.core.batch.finish import BatchOptions

    monkeypatch.setattr(pipeline, "_executor", lambda *args: _Stamp())
    canvas = _zip(tmp_path / "canvas.zip", {"zhang_12345_67890_softmax.py": (b"a\n", WHEN),
                                            "zhang_12345_67890_optimizers.py": (b"b\n", WHEN),
                                            "li_12346_67891_softmax.py": (b"c\n", WHEN)})
    options = BatchOptions(policy=Policy(exports=("canvas",), column=Column("hw03", "1")))
    for download in (_flat_impostor(tmp_path), canvas):
        result = pipeline.grade_batch("hw03", [download], tmp_path / download.stem, options=options)
        assert result.reconciled, result.reconciliation
    flat = tmp_path / "flat"
    rows = {r.student_id: r for r in result.rows}
    assert (rows["12345"].status, rows["12345"].score, rows["12345"].file) == ("graded", 2.0, "zhang_12345_67890")
    assert "= 2 graded + 1 more files of multi-file submissions +" in result.reconciliation
    rows = {r["student_id"]: r for r in csv.DictReader(io.StringIO((flat / "gradebook.csv").read_text("utf-8-sig")))}
    assert rows["2023000001"]["status"] == "needs_review" and rows["2023000002"]["status"] == "graded"
    assert "different names ('Mallory', '张三')" in rows["2023000001"]["message"]
    review = read_reviews(flat / "reviews.csv")[0]
    assert (review.student, review.part, review.points) == ("2023000001", "*", None)
    lms = {r[1]: r[-1] for r in csv.reader(io.StringIO((flat / "canvas_import.csv").read_text()))}
    assert lms["2023000001"] == "" and lms["2023000002"] == "1"
    assert "WARNING Mallory_2023000001_hw03(1).zip: attempts under this student id carry different names" in \
        (flat / "batch.log").read_text(encoding="utf-8")


# The second red team (after the fixes above): each attack below worked against them.

def test_a_pipe_or_symlink_in_a_folder_input_is_rejected_by_name_not_dropped(tmp_path: Path) -> None:
    import os

    folder = tmp_path / "download"
    (folder / "alice_2023000001").mkdir(parents=True)
    (folder / "alice_2023000001" / "softmax.py").write_text("x = 1\n")
    os.mkfifo(folder / "bob_2023000002_hw03.zip")
    (folder / "carol_2023000003_hw03.zip").symlink_to("/etc/passwd")
    units, rejected = collect([folder])  # never opens the pipe (that would block) nor follows the link
    assert [u.entry for u in units] == ["alice_2023000001"]
    reasons = {r.entry: r.reason for r in rejected}
    assert "pipe" in reasons["bob_2023000002_hw03.zip"]
    assert "symbolic link" in reasons["carol_2023000003_hw03.zip"]
    plan = make_plan(units, rejected, "flat")
    assert {r.identity.student_id for r in plan.rejected if r.identity} == {"2023000002", "2023000003"}


def test_an_entry_holding_only_system_files_is_rejected_not_lost(tmp_path: Path) -> None:
    archive = _zip(tmp_path / "moodle.zip", {
        "Alice_123_assignsubmission_file_/hw03.zip": (b"PK alice", WHEN),
        "Bob_124_assignsubmission_file_/._hw03.zip": (b"\0\5\26\7", WHEN),
        "Carol_125_assignsubmission_file_/__MACOSX/._hw03.zip": (b"\0", WHEN),
        "__MACOSX/Alice_123_assignsubmission_file_/._hw03.zip": (b"\0", WHEN),  # the download's own: ignored
    })
    units, rejected = collect([archive])
    assert [u.entry for u in units] == ["Alice_123_assignsubmission_file_"]
    assert sorted(r.entry for r in rejected) == ["Bob_124_assignsubmission_file_", "Carol_125_assignsubmission_file_"]
    assert all("only system files" in r.reason for r in rejected)
    plan = make_plan(units, rejected)
    assert sorted(r.identity.student_id for r in plan.rejected if r.identity) == ["124", "125"]


def test_a_refused_entry_stays_its_students_row_and_a_graded_student_keeps_one_row(tmp_path: Path) -> None:
    archive = _zip_deflated(tmp_path / "d.zip", {
        "Alice_123_assignsubmission_file_/softmax.py": b"x = 1\n",
        "Bob_124_assignsubmission_file_/softmax.py": b"y = 2\n",
        "Bob_124_assignsubmission_file_/weights.bin": _bomb(),
    })
    units, rejected = collect([archive])
    plan = make_plan(units, rejected)
    assert [(r.entry, r.identity and r.identity.student_id) for r in plan.rejected] == [
        ("Bob_124_assignsubmission_file_", "124")]
    # Two refused entries of one student: the first is the student's row, the other stays an unowned entry.
    again = make_plan(units, [*rejected, replace(rejected[0], entry="Bob_124_assignsubmission_onlinetext_")])
    assert [bool(r.identity) for r in again.rejected] == [True, False]
    # A student with a graded attempt keeps one row: the refused one is not theirs too.
    alice = make_plan(units, [replace(rejected[0], entry="Alice_123_assignsubmission_onlinetext_")])
    assert [r.identity for r in alice.rejected] == [None]


def test_a_roster_id_that_equals_another_students_sis_id_matches_the_lms_id_column(tmp_path: Path) -> None:
    from graders.core.batch.lms import ambiguous_ids, read_roster

    roster_csv = tmp_path / "canvas.csv"
    roster_csv.write_text("Student,ID,SIS User ID,SIS Login ID,Section\nAlice,5000,5001,alice,A\n"
                          "Bob,5001,9001,bob,A\n", encoding="utf-8")
    roster = read_roster(roster_csv)
    assert roster.name(roster.find("5001") or {}) == "Bob"  # Canvas's own ID before Alice's SIS User ID
    assert roster.name(roster.find("5000") or {}) == "Alice"
    assert ambiguous_ids(roster) == ["5001"]


def test_an_extension_too_long_for_any_date_is_a_clear_error() -> None:
    import pytest

    from graders.core.batch.late import LatePolicy, extended_due
    from graders.errors import GradersError

    with pytest.raises(GradersError, match="99999999999d"):
        extended_due(LatePolicy(datetime(2024, 5, 1, 22, 0)), "+99999999999d")
    with pytest.raises(GradersError, match="9999999d"):
        extended_due(LatePolicy(datetime(2024, 5, 1, 22, 0)), "+9999999d")  # a day count past year 9999


def test_a_formula_behind_zero_width_characters_is_defused() -> None:
    from graders.core.formats.safe import csv_cell

    for text in ("\u200b=1+1", "\ufeff@SUM(A1)", "\u2060-3", "\u200d\u200c+1", " \u200b\"=1"):
        assert csv_cell(text).startswith("'"), repr(text)
