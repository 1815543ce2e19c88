"""Red team (red2): hostile LMS downloads against the real `grade batch` CLI.

Run (from the repository root, in its venv): python redteam/attacks.py [NAME...]   (about 3.5 min on 2 cores)
Each attack builds a small download in a temp folder, runs `grade batch hw03 ... --workers 1`, checks one
promise and prints HELD or BROKEN with evidence. A baseline run's .cache is copied into every OUT, so the
correct submission (same bytes, same graded file name `hw03.zip`) is never graded twice.
"""
from __future__ import annotations

import csv
import io
import os
import re
import shutil
import subprocess
import sys
import tempfile
import unicodedata
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "submissions" / "hw03" / "correct"
T = (2026, 12, 20, 12, 0, 0)
WORK = Path(tempfile.mkdtemp(prefix="red2-"))
RESULTS: list[tuple[str, str, str]] = []
FORMULA = re.compile(r"^[\s\"＂“”‘’]*[=+\-@＝＋－＠]")  # what a spreadsheet may run (a leading ' is text)
INVISIBLE = re.compile(r"^[\u200b\ufeff\u2060\u180e\u061c\u200c\u200d]+[\s\"]*[=+\-@]")  # weaker: zero-width first


def inner_zip(extra: dict[str, bytes] | None = None, drop: tuple[str, ...] = ()) -> bytes:
    """A student's hw03.zip: the correct sample plus `extra` members (names as given, may be hostile)."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for p in sorted(SAMPLE.iterdir()):
            if p.suffix in (".py", ".md") and p.name not in drop:
                zf.writestr(zipfile.ZipInfo(f"hw03/{p.name}", T), p.read_bytes())
        for name, data in (extra or {}).items():
            zf.writestr(zipfile.ZipInfo(name, T), data)
    return buf.getvalue()


CORRECT = inner_zip()


def outer(path: Path, members: list[tuple[str, bytes]], when=T, utf8: bool = True) -> Path:
    with zipfile.ZipFile(path, "w") as zf:
        for name, data in members:
            info = zipfile.ZipInfo(name, when)
            zf.writestr(info, data)
    return path


def grade(name: str, inputs: list[Path], *extra: str, seed: bool = True) -> tuple[subprocess.CompletedProcess, Path]:
    out = WORK / name / "out"
    if seed and (WORK / "base" / "out" / ".cache").is_dir():
        shutil.copytree(WORK / "base" / "out" / ".cache", out / ".cache", dirs_exist_ok=True)
    cmd = [sys.executable, "-c", "from graders.cli import run; run()", "batch", "hw03", *map(str, inputs),
           "-o", str(out), "--workers", "1", "--lang", "en", *extra]
    env = dict(os.environ, PYTHONPATH=str(ROOT), COLUMNS="200")
    proc = subprocess.run(cmd, capture_output=True, env=env, cwd=WORK / name, timeout=600)
    return proc, out


def text(proc: subprocess.CompletedProcess) -> str:
    return (proc.stdout + proc.stderr).decode("utf-8", "replace")


def rows(out: Path, file: str = "gradebook.csv") -> list[dict[str, str]]:
    p = out / file
    return list(csv.DictReader(io.StringIO(p.read_bytes().decode("utf-8-sig")))) if p.exists() else []


def score(r: dict | None) -> float | None:
    try:
        return float((r or {}).get("score", ""))
    except ValueError:
        return None


def record(name: str, ok: bool, evidence: str) -> None:
    RESULTS.append((name, "HELD" if ok else "BROKEN", evidence))
    print(f"{'HELD  ' if ok else 'BROKEN'} {name}: {evidence}", flush=True)


def basic(proc, out) -> list[str]:
    """Promises every run keeps: no traceback, reconciliation all accounted for."""
    problems = []
    t = text(proc)
    if "Traceback" in t:
        problems.append("traceback: " + t[-400:].replace("\n", " | "))
    if "all accounted for" not in t:
        problems.append("no 'all accounted for': " + (re.findall(r"reconciliation:.*", t) or [t[-300:]])[0])
    return problems


def formula_cells(out: Path) -> list[str]:
    bad = []
    for f in sorted(out.glob("*.csv")):
        for row in csv.reader(io.StringIO(f.read_bytes().decode("utf-8-sig"))):
            for cell in row:
                if re.fullmatch(r"-?\d+(\.\d+)?", cell.strip()):
                    continue
                if FORMULA.match(cell):
                    bad.append(f"{f.name}: {cell!r}")
                elif INVISIBLE.match(cell):
                    bad.append(f"(zero-width first) {f.name}: {cell!r}")
    return bad


def outside(before: set[Path]) -> set[Path]:
    return {p for p in WORK.rglob("*") if "out" not in p.relative_to(WORK).parts[1:2]} - before


# ---------------------------------------------------------------- attacks

def a_baseline():
    d = WORK / "base"; d.mkdir()
    proc, out = grade("base", [outer(d / "dl.zip", [("alice_5000_90000_hw03.zip", CORRECT)])], seed=False)
    r = rows(out)
    record("baseline", not basic(proc, out) and r and score(r[0]) == 100, f"{[(x['student_id'], x['score']) for x in r]}")


def a_outer_zipslip():
    d = WORK / "zipslip"; d.mkdir()
    before = set(WORK.rglob("*"))
    dl = outer(d / "dl.zip", [("alice_5000_90000_hw03.zip", CORRECT), ("../bob_5001_90001_hw03.zip", CORRECT),
                              ("/tmp/carol_5002_90002_hw03.zip", CORRECT), ("..\\..\\dave_5003_90003_hw03.zip", CORRECT),
                              ("C:/eve_5004_90004_hw03.zip", CORRECT)])
    proc, out = grade("zipslip", [dl])
    new = [p for p in outside(before) if not str(p).startswith(str(d))]
    r = rows(out)
    ids = {x["student_id"] for x in r}
    probs = basic(proc, out) + ([f"files outside: {new}"] if new else [])
    record("outer_zipslip", not probs and "5001" not in ids,
           f"rows={[(x['student_id'] or x['file'], x['status']) for x in r]} {probs}")


def a_inner_zipslip_symlink():
    d = WORK / "innerslip"; d.mkdir()
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for p in sorted(SAMPLE.iterdir()):
            if p.suffix in (".py", ".md"):
                zf.writestr(zipfile.ZipInfo(f"hw03/{p.name}", T), p.read_bytes())
        link = zipfile.ZipInfo("hw03/notes.md", T)
        link.external_attr = (0o120777 << 16)
        link.create_system = 3
        zf.writestr(link, "/etc/passwd")
        zf.writestr(zipfile.ZipInfo("../../../../red2_pwned.txt", T), b"pwned")
    dl = outer(d / "dl.zip", [("mallory_5005_90005_hw03.zip", buf.getvalue()), ("alice_5000_90000_hw03.zip", CORRECT)])
    proc, out = grade("innerslip", [dl])
    pwn = [p for p in Path("/").glob("*red2_pwned*")] + list(WORK.rglob("red2_pwned*"))
    leak = [f.name for f in out.rglob("*") if f.is_file() and b"root:x:0:0" in f.read_bytes()]
    r = {x["student_id"]: x for x in rows(out)}
    probs = basic(proc, out) + ([f"escaped: {pwn}"] if pwn else []) + ([f"/etc/passwd in {leak}"] if leak else [])
    record("inner_zipslip_symlink", not probs and score(r.get("5000")) == 100,
           f"mallory={r.get('5005', {}).get('status')}: {r.get('5005', {}).get('message', '')[:120]!r} {probs}")


def a_nfc_nfd_twins():
    d = WORK / "twins"; d.mkdir()
    nfc, nfd = "José", unicodedata.normalize("NFD", "José")
    dl = outer(d / "dl.zip", [(f"{nfc}_2023000001_hw03.zip", CORRECT), (f"{nfd}_2023000002_hw03.zip", b"junk"),
                              (f"JOSÉ_2023000003_hw03.zip", CORRECT)])
    proc, out = grade("twins", [dl], "--layout", "flat")
    r = {x["student_id"]: x for x in rows(out)}
    fb = sorted(p.name for p in (out / "feedback").iterdir()) if (out / "feedback").exists() else []
    ok = not basic(proc, out) and score(r.get("2023000001")) == 100 and len(r) == 3 \
        and score(r.get("2023000003")) == 100
    record("nfc_nfd_case_twins", ok, f"rows={[(k, v['status'], v['score']) for k, v in r.items()]} feedback={fb}")


def a_formula_injection_csv():
    d = WORK / "formula"; d.mkdir()
    names = ["=HYPERLINK(\"http:x\")", "\u200b=1+1", "\ufeff=2+2", "\u2060@SUM(A1)", "' -3+4", "\u3000+5"]
    members = [(f"{n}_20230001{i:02d}_hw03.zip", CORRECT) for i, n in enumerate(names)]
    roster = d / "roster.csv"
    roster.write_text("id,name,extension\n" + "".join(f"20230001{i:02d},\"{n}x\",\n" for i, n in enumerate(names))
                      + "2023000199,=cmd|' /C calc'!A0,\n", encoding="utf-8")
    proc, out = grade("formula", [outer(d / "dl.zip", members)], "--layout", "flat", "--roster", str(roster),
                      "--export", "canvas", "--export", "moodle", "--export", "blackboard")
    cells = formula_cells(out)
    bad = [c for c in cells if not c.startswith("(zero-width")]
    weak = [c for c in cells if c.startswith("(zero-width")]
    record("formula_injection_csv", not basic(proc, out) and not bad, f"{bad[:6]} {basic(proc, out)}")
    RESULTS.append(("formula_zero_width_prefix", "WEAK" if weak else "HELD", f"{weak[:3]}"))
    print(f"{'WEAK  ' if weak else 'HELD  '} formula_zero_width_prefix: {weak[:3]}", flush=True)


def a_html_names():
    d = WORK / "html"; d.mkdir()
    xss = ["<img src=x onerror=alert(1)>", "</script><script>alert(2)</script>", "\"><svg onload=alert(3)>"]
    members = [(f"{n}_20230002{i:02d}_hw03.zip", CORRECT) for i, n in enumerate(xss)]
    members.append(("evil_2023000299_hw03.zip", inner_zip({"hw03/<img src=y onerror=alert(4)>.jpg": b"\xff\xd8\xffx"},
                                                          drop=("derivation.md",))))
    proc, out = grade("html", [outer(d / "dl.zip", members)], "--layout", "flat")
    hits = []
    for f in [out / "index.html", *(out / "students").glob("*.html")]:
        h = f.read_text("utf-8", "replace")
        for needle in ("<img src=x", "<script>alert", "<svg onload", "<img src=y", "onerror=alert(1)>"):
            if needle in h:
                hits.append(f"{f.name}: {needle}")
        if h.count("</script") != h.count("<script"):
            hits.append(f"{f.name}: unbalanced </script")
    record("html_in_names_dashboard", not basic(proc, out) and not hits, f"{hits[:5]} {basic(proc, out)}")


def a_folder_fifo_symlink_accounted():
    d = WORK / "fifo"; (d / "dl").mkdir(parents=True)
    (d / "dl" / "alice_2023000001_hw03.zip").write_bytes(CORRECT)
    os.mkfifo(d / "dl" / "bob_2023000002_hw03.zip")
    os.symlink("/etc/passwd", d / "dl" / "carol_2023000003_hw03.zip")
    (d / "dl" / "dave_2023000004_hw03").mkdir()
    os.mkfifo(d / "dl" / "dave_2023000004_hw03" / "softmax.py")
    proc, out = grade("fifo", [d / "dl"], "--layout", "flat")
    r = {x["student_id"]: x for x in rows(out)}
    t = text(proc)
    lost = [s for s in ("2023000002", "2023000003") if s not in r and s not in t]
    record("folder_fifo_symlink_accounted", not basic(proc, out) and not lost,
           f"rows={sorted(r)} lost(no row, no message)={lost}; {re.findall(r'reconciliation:.*', t)}")


def a_output_collision():
    d = WORK / "collide"; (d / "dl").mkdir(parents=True)
    for n in ("gradebook.csv", "index.html", ".cache", "batch.log", ".lock"):
        (d / "dl" / n).write_bytes(b"=1+1,evil\n")
    (d / "dl" / "alice_2023000001_hw03.zip").write_bytes(CORRECT)
    proc, out = grade("collide", [d / "dl"], "--layout", "flat")
    gb = (out / "gradebook.csv").read_bytes()
    r = rows(out)
    record("output_name_collision", not basic(proc, out) and b"evil" not in gb and
           any(x["student_id"] == "2023000001" and score(x) == 100 for x in r),
           f"{len(r)} rows: {[(x['file'], x['status']) for x in r]}")


def a_non_utf8_names():
    d = WORK / "gbk"; (d / "dl").mkdir(parents=True)
    raw = "张三_2023000001_hw03.zip".encode("gbk")
    bad = b"\xff\xfe\x80_2023000002_hw03.zip"
    (d / "dl").joinpath(os.fsdecode(raw)).write_bytes(CORRECT)
    (d / "dl").joinpath(os.fsdecode(bad)).write_bytes(CORRECT)
    proc, out = grade("gbk", [d / "dl"], "--layout", "flat", "--export", "canvas")
    r = {x["student_id"]: x for x in rows(out)}
    record("non_utf8_folder_names", not basic(proc, out) and {"2023000001", "2023000002"} <= set(r),
           f"rows={[(k, v['name'], v['score']) for k, v in r.items()]} rc={proc.returncode} {basic(proc, out)[:1]}")


def a_dup_and_empty_members():
    d = WORK / "dup"; d.mkdir()
    with zipfile.ZipFile(d / "dl.zip", "w") as zf:
        import warnings
        warnings.simplefilter("ignore")
        zf.writestr(zipfile.ZipInfo("bob_5001_90001_hw03.zip", T), CORRECT)
        zf.writestr(zipfile.ZipInfo("bob_5001_90001_hw03.zip", T), b"other bytes")
        zf.writestr(zipfile.ZipInfo("alice_5000_90000_hw03.zip", T), CORRECT)
        zf.writestr(zipfile.ZipInfo("carol_5002_90002_hw03.zip", T), b"")
    proc, out = grade("dup", [d / "dl.zip"])
    r = {x["student_id"]: x for x in rows(out)}
    t = text(proc)
    ok = not basic(proc, out) and score(r.get("5000")) == 100 and score(r.get("5001")) != 100
    record("duplicate_and_empty_members", ok,
           f"rows={[(k, v['status']) for k, v in r.items()]} {re.findall(r'reconciliation:.*', t)}")


def a_late_and_extension():
    d = WORK / "late"; d.mkdir()
    ext = d / "ext.csv"
    ext.write_text("student,due\n5001,+2d\nalice,+9d\nalice_LATE_5000_90000_5001_hw03.zip,+9d\n5003,=1+1\n",
                   encoding="utf-8")
    with zipfile.ZipFile(d / "dl.zip", "w") as zf:
        zf.writestr(zipfile.ZipInfo("bob_LATE_5001_90001_hw03.zip", (2026, 12, 28, 12, 0, 0)), CORRECT)
        zf.writestr(zipfile.ZipInfo("alice_LATE_5000_90000_5001_hw03.zip", (2026, 12, 28, 12, 0, 0)), CORRECT)
        zf.writestr(zipfile.ZipInfo("carol_5002_90002_hw03.zip", (2026, 12, 20, 12, 0, 0)), CORRECT)
        zf.writestr(zipfile.ZipInfo("dan_LATE_5004_90004_hw03.zip", (1980, 1, 1, 0, 0, 0)), CORRECT)
    proc, out = grade("late", [d / "dl.zip"], "--due", "2026-12-26T22:00", "--late-penalty", "10%/day",
                      "--extensions", str(ext))
    r = {x["student_id"]: x for x in rows(out)}
    got = {k: (v["score"], v.get("late"), v.get("penalty")) for k, v in r.items()}
    ok = proc.returncode == 0 and "Traceback" not in text(proc) and score(r.get("5001")) == 100 \
        and score(r.get("5000")) == 80  # alice: 1 day 14 h late -> 2 days at 10 %; bob's extension is not hers
    record("late_extension_claims", ok, f"{got} rc={proc.returncode} {text(proc)[-200:]!r}")


def a_roster_tricks():
    d = WORK / "roster"; d.mkdir()
    roster = d / "roster.csv"
    roster.write_bytes("\ufeff\ufeffID,Name\n5000,Alice\n5000,Mallory\n5001,Bob\n".encode("utf-8"))
    dl = outer(d / "dl.zip", [("alice_5000_90000_hw03.zip", CORRECT), ("bob_5001_90001_hw03.zip", CORRECT)])
    proc, out = grade("roster", [dl], "--roster", str(roster))
    r = {x["student_id"]: x for x in rows(out)}
    record("roster_double_bom_dup_id", "Traceback" not in text(proc) and r.get("5000", {}).get("name") != "Mallory",
           f"rc={proc.returncode} rows={[(k, v['name']) for k, v in r.items()]} {text(proc)[-160:]!r}")


def a_names_newline_rtl():
    d = WORK / "newline"; (d / "dl").mkdir(parents=True)
    (d / "dl" / "eve\n2023000009 | Alice | 100_2023000002_hw03.zip").write_bytes(b"junk")
    (d / "dl" / "\u202egpj.exe_2023000003_hw03.zip").write_bytes(CORRECT)
    (d / "dl" / "alice_2023000001_hw03.zip").write_bytes(CORRECT)
    proc, out = grade("newline", [d / "dl"], "--layout", "flat")
    bad = []
    for f in (out / "gradebook.txt", out / "summary.md", out / "batch.log"):
        s = f.read_text("utf-8", "replace")
        if "\u202e" in s:
            bad.append(f"{f.name}: RTL override")
        if re.search(r"^\S*2023000009", s, re.M):
            bad.append(f"{f.name}: forged line")
    if "\u202e" in text(proc):
        bad.append("console: RTL override")
    record("newline_rtl_in_names", not basic(proc, out) and not bad, f"{bad} {basic(proc, out)}")


def a_nested_and_many():
    d = WORK / "nested"; d.mkdir()
    blob = CORRECT
    for _ in range(12):
        blob = outer_bytes([("hw03.zip", blob)])
    many = outer_bytes([(f"hw03/f{i}.py", b"x=1\n") for i in range(20000)])
    dl = outer(d / "dl.zip", [("mallory_5005_90005_hw03.zip", blob), ("eve_5006_90006_hw03.zip", many),
                              ("alice_5000_90000_hw03.zip", CORRECT)])
    proc, out = grade("nested", [dl])
    r = {x["student_id"]: x for x in rows(out)}
    record("nested_zips_and_20k_members", not basic(proc, out) and score(r.get("5000")) == 100,
           f"{[(k, v['status'], v['message'][:70]) for k, v in r.items()]}")


def outer_bytes(members: list[tuple[str, bytes]]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for n, b in members:
            zf.writestr(zipfile.ZipInfo(n, T), b)
    return buf.getvalue()


def a_polyglot_and_empty_download():
    d = WORK / "poly"; d.mkdir()
    (d / "empty.zip").write_bytes(outer_bytes([]))
    (d / "poly.zip").write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * 64 + outer_bytes([("alice_5000_90000_hw03.zip", CORRECT)]))
    (d / "notzip.zip").write_bytes(b"PK\x03\x04garbage")
    proc, out = grade("poly", [d / "empty.zip", d / "poly.zip", d / "notzip.zip"])
    record("polyglot_empty_notzip_download", "Traceback" not in text(proc) and proc.returncode in (0, 1, 2),
           f"rc={proc.returncode} rows={[(x['student_id'], x['status']) for x in rows(out)]} "
           f"{re.findall(r'reconciliation:.*', text(proc))}")


def a_determinism():
    d = WORK / "determ"; d.mkdir()
    dl = outer(d / "dl.zip", [("alice_5000_90000_hw03.zip", CORRECT), ("bob_5001_90001_hw03.zip", b"junk"),
                              ("=x_5002_90002_hw03.zip", CORRECT)])
    proc, out = grade("determ", [dl], "--export", "canvas")
    snap = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file() and p.name not in ("batch.log",)}
    proc2, _ = grade("determ", [dl], "--export", "canvas")
    snap2 = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file() and p.name not in ("batch.log",)}
    diff = sorted(str(k) for k in set(snap) | set(snap2) if snap.get(k) != snap2.get(k) and str(k) != ".lock")
    import difflib
    lines = []
    for k in diff[:2]:
        a = snap.get(Path(k), b"").decode("utf-8", "replace").splitlines()
        b = snap2.get(Path(k), b"").decode("utf-8", "replace").splitlines()
        lines += [x[:160] for x in difflib.unified_diff(a, b, lineterm="", n=0) if x[:1] in "+-"][:4]
    record("rerun_deterministic", not diff, f"changed: {diff[:8]} {lines}")


def a_hidden_leak():
    d = WORK / "leak"; d.mkdir()
    proc, out = grade("leak", [outer(d / "dl.zip", [("alice_5000_90000_hw03.zip", inner_zip(drop=("softmax.py",)))])])
    hidden = ROOT / "graders" / "hw03"
    needles = [ln.strip() for f in hidden.glob("test_*.py") for ln in f.read_text("utf-8").splitlines()
               if len(ln.strip()) > 30 and ("assert" in ln or "tensor(" in ln)]
    needles += re.findall(r"^expr = '(.{8,})'", (hidden / "keys.toml").read_text("utf-8"), re.M)
    own = b"".join(p.read_bytes() for p in SAMPLE.iterdir() if p.is_file())  # the student's own text may match
    needles = [n for n in needles if n.encode() not in own and n.replace("\\\\", "\\").encode() not in own]
    hits = [f"{f.name}:{n[:60]}" for f in out.rglob("*") if f.is_file() and ".cache" not in f.parts
            for n in needles if n.encode() in f.read_bytes()]
    record("hidden_text_in_outputs", not hits, f"{len(needles)} hidden lines/keys checked; hits={hits[:4]}")


def a_moodle_junk_only():
    d = WORK / "junk"; d.mkdir()
    dl = outer(d / "dl.zip", [("Alice_123_assignsubmission_file_/hw03.zip", CORRECT),
                              ("Bob_124_assignsubmission_file_/._hw03.zip", CORRECT),
                              ("Carol_125_assignsubmission_file_/__MACOSX/hw03.zip", CORRECT),
                              ("Dan_126_assignsubmission_file_/.DS_Store", b"x")])
    proc, out = grade("junk", [dl])
    r = {x["student_id"]: x for x in rows(out)}
    t = text(proc)
    lost = [s for s in ("124", "125", "126") if s not in r and ("Bob", "Carol", "Dan")[int(s) - 124] not in t]
    record("moodle_junk_named_only_file", not basic(proc, out) and not lost,
           f"rows={sorted(r)} vanished={lost} {re.findall(r'reconciliation:.*', t)}")


def a_flat_same_name_hijack():
    d = WORK / "hijack"; (d / "dl").mkdir(parents=True)
    (d / "dl" / "张三_2023000001_hw03.zip").write_bytes(CORRECT)
    (d / "dl" / "张三_2023000001_hw03(9).zip").write_bytes(inner_zip(drop=("softmax.py", "ema.py")))  # Mallory
    proc, out = grade("hijack", [d / "dl"], "--layout", "flat")
    r = {x["student_id"]: x for x in rows(out)}
    z = r.get("2023000001", {})
    record("flat_same_name_later_attempt", z.get("status") == "needs_review" or score(z) == 100,
           f"张三 row: status={z.get('status')} score={z.get('score')} (a later '(9)' upload under the same name "
           f"replaced the grade with no hold)")


def a_derivation_html():
    d = WORK / "deriv"; d.mkdir()
    md = (SAMPLE / "derivation.md").read_text("utf-8")
    evil = md.replace("```derivation", "<script>alert('d')</script><img src=z onerror=alert(5)>\n"
                      "[x](javascript:alert(6))\n```derivation", 1) + "\n</textarea></script><b>hi</b>\n"
    blob = inner_zip({"hw03/derivation.md": evil.encode()}, drop=("derivation.md",))
    proc, out = grade("deriv", [outer(d / "dl.zip", [("mallory_5005_90005_hw03.zip", blob)])])
    hits = []
    for f in [out / "index.html", *(out / "students").glob("*.html")]:
        h = f.read_text("utf-8", "replace")
        for needle in ("<script>alert", "<img src=z", 'href="javascript:', "<b>hi</b>"):
            if needle in h:
                hits.append(f"{f.name}: {needle}")
    record("derivation_html_in_dashboard", not basic(proc, out) and not hits, f"{hits} {basic(proc, out)}")


def a_canvas_id_lookalike_roster():
    d = WORK / "idlook"; d.mkdir()
    roster = d / "roster.csv"
    roster.write_text("Student,ID,SIS User ID,SIS Login ID\nAlice,5000,5001,alice\nBob,5001,20230002,bob\n",
                      encoding="utf-8")
    dl = outer(d / "dl.zip", [("alice_5000_90000_hw03.zip", inner_zip(drop=("softmax.py",))),
                              ("bob_5001_90001_hw03.zip", CORRECT)])
    proc, out = grade("idlook", [dl], "--roster", str(roster), "--export", "canvas")
    r = {x["student_id"]: x for x in rows(out)}
    c = {x["ID"]: x for x in rows(out, "canvas_import.csv")}
    col = [k for k in (next(iter(c.values()), {}) or {}) if k.startswith("hw03")]
    got = {k: v.get(col[0]) if col else None for k, v in c.items()}
    record("roster_id_equals_other_students_sis_id", r.get("5001", {}).get("name") == "Bob" and got.get("5001") == "100",
           f"gradebook={[(k, v['name'], v['score']) for k, v in r.items()]} canvas={got}")


def a_extension_overflow():
    d = WORK / "extover"; d.mkdir()
    ext = d / "ext.csv"
    ext.write_text("student,due\n5000,+99999999999d\n", encoding="utf-8")
    dl = outer(d / "dl.zip", [("alice_5000_90000_hw03.zip", CORRECT)])
    proc, out = grade("extover", [dl], "--due", "2026-12-26T22:00", "--extensions", str(ext))
    record("extension_cell_overflow", "Traceback" not in text(proc), f"rc={proc.returncode} {text(proc)[-160:]!r}")


def a_refused_entry_identity():
    d = WORK / "refid"; d.mkdir()
    roster = d / "roster.csv"
    roster.write_text("Identifier,Full name\nParticipant 123,Alice\nParticipant 124,Bob\n", encoding="utf-8")
    with zipfile.ZipFile(d / "dl.zip", "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(zipfile.ZipInfo("Alice_123_assignsubmission_file_/hw03.zip", T), CORRECT)
        zf.writestr(zipfile.ZipInfo("Bob_124_assignsubmission_file_/hw03.zip", T), CORRECT)
        info = zipfile.ZipInfo("Bob_124_assignsubmission_file_/weights.bin", T)
        info.compress_type = zipfile.ZIP_DEFLATED
        zf.writestr(info, bytes(3 * 2**20))  # a 3 MB checkpoint of zeros: ratio > 200
    proc, out = grade("refid", [d / "dl.zip"], "--roster", str(roster), "--export", "moodle")
    r = [(x["student_id"], x["name"], x["status"], x["file"][:40]) for x in rows(out)]
    bob = [x for x in r if x[0] == "124"]
    record("refused_entry_keeps_its_student", len(bob) == 1 and bob[0][2] == "rejected",
           f"rows={r}")


def a_two_downloads_same_entry():
    d = WORK / "twodl"; d.mkdir()
    (d / "a").mkdir(); (d / "b").mkdir()
    a = outer(d / "a" / "dl.zip", [("alice_5000_90000_hw03.zip", CORRECT)])
    with zipfile.ZipFile(d / "b" / "dl.zip", "w", zipfile.ZIP_DEFLATED) as zf:  # the late download, same name
        zf.writestr(zipfile.ZipInfo("alice_5000_90000_hw03.zip", T), CORRECT + bytes(3 * 2**20))
    proc, out = grade("twodl", [a, d / "b" / "dl.zip"])
    record("two_downloads_same_entry_name", not basic(proc, out),
           f"{re.findall(r'reconciliation:.*', text(proc))} rows={[(x['student_id'], x['status']) for x in rows(out)]}")


def a_similarity_outputs():
    d = WORK / "simil"; d.mkdir()
    names = ["=HYPERLINK(\"http:x\")", "<img src=q onerror=alert(7)>"]
    members = [(f"{n}_20230003{i:02d}_hw03.zip", inner_zip({"hw03/x.py": f"# {i}".encode()})) for i, n in enumerate(names)]
    proc, out = grade("simil", [outer(d / "dl.zip", members)], "--layout", "flat", "--similarity")
    bad = formula_cells(out) + [str(f.relative_to(out)) for f in out.rglob("similarity*.csv")
                                for c in csv.reader(io.StringIO(f.read_text("utf-8-sig"))) for x in c if FORMULA.match(x)]
    html = [f.name for f in (out / "similarity").rglob("*.html") if "<img src=q" in f.read_text("utf-8", "replace")] \
        if (out / "similarity").exists() else []
    record("similarity_outputs_formula_html", not basic(proc, out) and not bad and not html,
           f"csv={bad[:3]} html={html[:3]} sim_files={[p.name for p in out.glob('similarity*')]} {basic(proc, out)[:1]}")


ATTACKS = [v for k, v in list(globals().items()) if k.startswith("a_")]

if __name__ == "__main__":
    chosen = sys.argv[1:]
    a_baseline()
    for attack in ATTACKS[1:]:
        if not chosen or attack.__name__[2:] in chosen:
            try:
                attack()
            except Exception as exc:  # the harness's own failure, not the grader's
                record(attack.__name__[2:], False, f"HARNESS ERROR {type(exc).__name__}: {exc}")
    print("\n".join(f"{s:6} {n}" for n, s, _e in RESULTS))
    print("workdir:", WORK)
