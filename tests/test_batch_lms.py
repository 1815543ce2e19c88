"""From a Canvas download to LMS import files: roster ids and names, late policy, review queue, overrides.

A 30-student Canvas download (most students hand in the same bytes, so only three submissions are
really graded), a roster, a due date, two late entries, one extension, a photo derivation and one
override -> Canvas, Moodle and Blackboard files with the documented headers; a rerun changes nothing.
"""
from __future__ import annotations

import csv
import io
import zipfile
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from graders.core.batch.adjust import Policy
from graders.core.batch.finish import BatchOptions
from graders.core.batch.late import LatePolicy, assess, parse_penalty, parse_when, penalised
from graders.core.batch.lms import Column
from graders.core.batch.pipeline import grade_batch

SAMPLES = Path(__file__).resolve().parents[1] / "submissions" / "hw03"
DUE = datetime(2026, 12, 26, 22, 0)
N = 30


def _zip_folder(folder: Path, drop: tuple[str, ...] = (), add: dict[str, bytes] | None = None) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        for path in sorted(folder.iterdir()):
            if path.suffix in (".py", ".md") and path.name not in drop:
                zf.writestr(zipfile.ZipInfo(f"hw03/{path.name}", (2026, 12, 20, 12, 0, 0)), path.read_bytes())
        for name, data in (add or {}).items():
            zf.writestr(zipfile.ZipInfo(f"hw03/{name}", (2026, 12, 20, 12, 0, 0)), data)
    return buffer.getvalue()


def _student(i: int) -> tuple[str, str, str]:
    """(canvas user id, canvas login name, roster name)."""
    return str(5000 + i), f"student{i:02d}", f"学生{i:02d}"


def _download(tmp: Path) -> tuple[Path, Path, Path]:
    correct = _zip_folder(SAMPLES / "correct")
    photo = _zip_folder(SAMPLES / "correct", drop=("derivation.md",), add={"IMG_0001.jpg": b"\xff\xd8\xff\xe0 photo"})
    mistake = _zip_folder(SAMPLES / "mistake_softmax_no_max_shift")
    archive = tmp / "canvas.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        for i in range(N - 1):  # the last roster student hands in nothing
            canvas_id, login, _name = _student(i)
            data = {3: photo, 4: mistake, 5: b"Rar!\x1a\x07\x00 not a zip"}.get(i, correct)
            suffix = "hw03.rar" if i == 5 else "hw03.zip"
            when = DUE - timedelta(hours=2)
            late = ""
            if i in (1, 2):  # 1: 1 day and 90 min late -> 2 days; 2: late but has an extension
                when, late = DUE + timedelta(days=1, minutes=90), "_LATE"
            zf.writestr(zipfile.ZipInfo(f"{login}{late}_{canvas_id}_{90000 + i}_{suffix}", when.timetuple()[:6]), data)
    roster = tmp / "roster.csv"
    lines = ["Student,ID,SIS User ID,SIS Login ID,Section"]
    lines += [f"{_student(i)[2]},{_student(i)[0]},2023{i:04d},{_student(i)[1]},Section A" for i in range(N)]
    roster.write_text("\n".join(lines) + "\n", encoding="utf-8")
    extensions = tmp / "extensions.csv"
    extensions.write_text(f"student,due\n{_student(2)[0]},+2d\n", encoding="utf-8")
    return archive, roster, extensions


def _options(extensions: Path) -> BatchOptions:
    from graders.core.batch.late import parse_percent
    from graders.core.batch.times import read_extensions

    fraction, unit = parse_penalty("10%/day")
    policy = Policy(LatePolicy(DUE, fraction, unit, timedelta(minutes=15), parse_percent("50%")),
                    read_extensions(extensions), ("canvas", "moodle", "blackboard"), Column("homework_03", "4711"))
    return BatchOptions(policy=policy)


def _csv(path: Path) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(path.read_bytes().decode("utf-8-sig"))))


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("lms")
    archive, roster, extensions = _download(tmp)
    outdir = tmp / "out"
    first = grade_batch("hw03", [archive], outdir, workers=2, roster=roster, options=_options(extensions))
    reviews = (outdir / "reviews.csv").read_text(encoding="utf-8-sig")
    override = f"{_student(4)[0]},softmax::stable_for_large_logits,5,stable after all: checked by hand,TA Li\n"
    (outdir / "reviews.csv").write_text(reviews + override, encoding="utf-8-sig")
    second = grade_batch("hw03", [archive], outdir, workers=2, roster=roster, options=_options(extensions))
    files = {p.name: p.read_bytes() for p in outdir.glob("*.csv")}
    third = grade_batch("hw03", [archive], outdir, workers=2, roster=roster, options=_options(extensions))
    return first, second, third, outdir, files


def test_only_distinct_submissions_are_graded(graded):
    first, second, third, outdir, _files = graded
    assert len(list((outdir / ".cache").glob("*.json"))) == 4  # correct, photo, mistake, .rar: 29 entries, 4 gradings
    assert first.from_cache == 0 and second.graded_now == 0 and third.graded_now == 0


def test_canvas_import_matches_the_documented_format(graded):
    *_, outdir, _files = graded
    rows = _csv(outdir / "canvas_import.csv")
    assert list(rows[0]) == ["Student", "ID", "SIS User ID", "SIS Login ID", "Section", "homework_03 (4711)"]
    by_id = {r["ID"]: r for r in rows}
    assert len(rows) == N
    on_time = by_id[_student(0)[0]]
    assert on_time == {"Student": "学生00", "ID": "5000", "SIS User ID": "20230000", "SIS Login ID": "student00",
                       "Section": "Section A", "homework_03 (4711)": "100"}
    assert by_id[_student(1)[0]]["homework_03 (4711)"] == "80"  # 1 day 90 min late: 2 started days at 10 %
    assert by_id[_student(2)[0]]["homework_03 (4711)"] == "100"  # the extension covers it
    assert by_id[_student(3)[0]]["homework_03 (4711)"] == ""  # photo derivation: waits for a person
    assert by_id[_student(5)[0]]["homework_03 (4711)"] == ""  # rejected (.rar): blank, not 0
    assert by_id[_student(N - 1)[0]]["homework_03 (4711)"] == ""  # missing: blank, not 0


def test_moodle_and_blackboard_files_match_their_formats(graded):
    *_, outdir, _files = graded
    moodle = _csv(outdir / "moodle_import.csv")
    assert list(moodle[0])[:5] == ["Identifier", "Full name", "Email address", "Status", "Grade"]
    assert "Feedback comments" in moodle[0]
    late = next(r for r in moodle if r["Identifier"] == f"Participant {_student(1)[0]}")
    assert late["Grade"] == "80" and "100 before the penalty, -20, 80 after" in late["Feedback comments"]
    raw = (outdir / "blackboard_import.csv").read_text(encoding="utf-8")
    assert raw.splitlines()[0] == ('"Last Name","First Name","Username","Student ID",'
                                   '"homework_03 [Total Pts: 100 Score] |4711","Grading Notes","Notes Format",'
                                   '"Feedback to Learner","Feedback Format"')
    board = _csv(outdir / "blackboard_import.csv")
    assert {r["Username"] for r in board} == {_student(i)[0] for i in range(N)}


def test_photo_goes_to_review_and_override_is_marked(graded):
    first, second, *_ = graded
    rows = {r.student_id: r for r in second.rows}
    photo = rows[_student(3)[0]]
    assert photo.status == "needs_review" and photo.parts["derivation"] is None
    assert "derivation: needs review" in photo.review
    mistake_before = {r.student_id: r for r in first.rows}[_student(4)[0]]
    mistake = rows[_student(4)[0]]
    assert "set by hand to 5 (TA Li: stable after all: checked by hand)" in mistake.review
    assert mistake.score > mistake_before.score
    assert rows[_student(1)[0]].raw_score == 100 and rows[_student(1)[0]].penalty == 20


def test_roster_names_win_and_counts_agree(graded):
    _first, second, *_ = graded
    rows = {r.student_id: r for r in second.rows}
    assert rows[_student(0)[0]].name == "学生00"
    statuses = [r.status for r in second.rows]
    assert statuses.count("missing") == 1 and statuses.count("rejected") == 1
    assert "= 29 graded" not in second.reconciliation
    assert "30 input entries" not in second.reconciliation
    assert "29 input entries = 28 graded + 1 not graded + 0 superseded attempts + 0 receipts" in second.reconciliation


def test_rerun_changes_nothing(graded):
    *_, outdir, files = graded
    assert {p.name: p.read_bytes() for p in outdir.glob("*.csv")} == files
    assert (outdir / "batch.log").read_text(encoding="utf-8").count("reconciliation:") == 3


def test_late_policy_is_pure_arithmetic():
    policy = LatePolicy(parse_when("2026-12-26T22:00+08:00"), *parse_penalty("2%/hour"), timedelta(minutes=15), 0.5)
    assert assess(policy, datetime(2026, 12, 26, 22, 10)).periods == 0  # inside the grace period
    lateness = assess(policy, datetime(2026, 12, 26, 23, 30))
    assert lateness.periods == 2 and penalised(90, 100, lateness) == (4.0, 86.0)
    assert assess(policy, datetime(2027, 1, 9)).fraction == 0.5  # capped
    assert assess(policy, None, marked_late=True).periods == 1


def test_a_whole_score_set_by_hand_grades_a_missing_student():
    from graders.core.batch.outputs import missing_row
    from graders.core.batch.reviews import Review, apply_reviews

    row = apply_reviews(missing_row("5029", "学生29", 100), None, [Review("5029", "*", 70, "paper copy", "TA Li")])
    assert (row.status, row.score, row.review) == ("graded", 70, "* set by hand to 70 (TA Li: paper copy)")


def test_dashboard_shows_the_photo_to_review(graded):
    *_, outdir, _files = graded
    page, = (outdir / "students").glob(f"{_student(3)[0]}_*.html")
    html = page.read_text(encoding="utf-8")
    assert 'id="photos"' in html and 'src="data:image/jpeg;base64,' in html and "IMG_0001.jpg" in html
    assert 'class="st-needs_review"' in html
    index = (outdir / "index.html").read_text(encoding="utf-8")
    assert 'tr class="st-needs_review"' in index


def test_photos_embed_only_proven_images_and_link_the_rest():
    from graders.core.batch.review_photos import Photo, photo_entries

    photos = [Photo("a.png", b"\x89PNG\r\n\x1a\n..."), Photo("b.png", b"<script>alert(1)</script>"),
              Photo("我的 推导#1.PDF", b"%PDF-1.4"), Photo("c.jpg", b"\xff\xd8\xff" + b"0" * (9 * 2**20))]
    entries, files = photo_entries(photos, "files/5003_x")
    assert entries[0]["src"].startswith("data:image/png;base64,") and not entries[0]["href"]
    assert [e["href"] for e in entries[1:]] == ["files/5003_x/2.png", "files/5003_x/3.pdf", "files/5003_x/4.jpg"]
    assert files["files/5003_x/2.png"] == b"<script>alert(1)</script>" and len(files) == 3


def test_late_policy_declared_in_assignment_toml_and_overridden_per_option():
    import tomllib

    from graders.core.batch.late import policy_from
    from graders.core.spec import parse_spec
    from graders.errors import SpecError

    raw = tomllib.loads((Path(__file__).parents[1] / "graders" / "hw03" / "assignment.toml").read_text("utf-8"))
    late = tomllib.loads('due = 2026-12-26T22:00:00+08:00\npenalty = "10%/day"\ngrace = "15min"\ncap = "50%"\n')
    spec = parse_spec({**raw, "late": late}, Path("."))
    policy = policy_from(spec.late)
    assert policy is not None and policy.due == parse_when("2026-12-26T22:00+08:00")
    assert policy.fraction == 0.1 and policy.cap == 0.5
    assert policy.grace == timedelta(minutes=15)
    overridden = policy_from(spec.late, due="2027-01-05T08:00+08:00", penalty="2%/hour")
    assert overridden.due == parse_when("2027-01-05T08:00+08:00") and overridden.fraction == 0.02
    assert overridden.unit == timedelta(hours=1) and overridden.cap == 0.5
    assert policy_from({}) is None
    with pytest.raises(SpecError, match="late.penalty"):
        parse_spec({**raw, "late": {"penalty": "10%/week"}}, Path("."))
