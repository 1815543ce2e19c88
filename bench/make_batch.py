"""Make a Canvas-style bulk download of hw03 submissions for benchmarking/testing the grader.

Usage: python bench/make_batch.py [--n 200] [--out /tmp/batch.zip] [--seed 0] [--check]

Writes ONE outer zip whose top-level entries are `{name}[_LATE]_{userid}_{submissionid}_{filename}`
(Canvas naming) and a manifest `out.with_suffix('.manifest.json')` that says, per entry, what it is
and whether the grader should grade it, reject it, or skip it as superseded by a newer attempt.
Everything is drawn from random.Random(seed) and written with fixed timestamps, so a seed gives
byte-identical output.
"""
from __future__ import annotations

import argparse
import functools
import io
import json
import random
import struct
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "submissions" / "hw03"
FILES = ("softmax.py", "ema.py", "optimizers.py", "dropout.py", "derivation.md")
MISTAKES = tuple(sorted(p.name for p in SAMPLES.glob("mistake_*") if p.is_dir()))
DATE = (2024, 10, 7, 23, 59, 0)
BOMB_MB = 300
NAMES = ("zhangsan", "lisi", "wangwu", "zhaoliu", "sunqi", "zhouba", "wujiu", "zhengshi",
         "liuyang", "chenjing", "yangfan", "huanglei", "zhaomin", "xuli", "linna", "heping",
         "gaoyuan", "luoxin", "songjia", "tangwei", "hanmei", "fengtao", "dengchao", "caoyu",
         "pengbo", "zengli", "xiaohong", "tianyu", "duxin", "jiangtao")
EXPECT = {"correct": "graded", "buggy": "graded", "syntax_error": "graded", "nested_zip": "graded",
          "gbk_names": "graded", "readme_only": "rejected", "truncated_zip": "rejected",
          "bad_notebook": "rejected", "zip_slip": "rejected", "zip_bomb": "rejected", "rar": "rejected"}
GBK_TOP = "作业3/"
DS_STORE = b"\x00\x00\x00\x01Bud1" + bytes(32)
APPLEDOUBLE = b"\x00\x05\x16\x07\x00\x02\x00\x00Mac OS X        " + bytes(62)


# ---------- low-level zip helpers ----------

def _zinfo(name: str) -> zipfile.ZipInfo:
    zi = zipfile.ZipInfo(name, DATE)
    if name.endswith("/"):
        zi.external_attr = (0o40755 << 16) | 0x10
    else:
        zi.compress_type = zipfile.ZIP_DEFLATED
        zi.external_attr = 0o100644 << 16
    return zi


def _zip_bytes(members: list[tuple[str, bytes]]) -> bytes:
    bio = io.BytesIO()
    with zipfile.ZipFile(bio, "w") as zf:
        for name, data in members:
            zf.writestr(_zinfo(name), data)
    return bio.getvalue()


@functools.lru_cache(maxsize=None)
def _files(sample: str) -> dict[str, bytes]:
    return {f: (SAMPLES / sample / f).read_bytes() for f in FILES}


def _layout(files: dict[str, bytes], layout: str) -> list[tuple[str, bytes]]:
    if layout == "flat":
        return list(files.items())
    top = "hw03/"
    members = [(top, b"")] + [(top + k, v) for k, v in files.items()]
    if layout == "macosx":
        members += [(top + ".DS_Store", DS_STORE), ("__MACOSX/", b""), ("__MACOSX/" + top, b"")]
        members += [(f"__MACOSX/{top}._{k}", APPLEDOUBLE) for k in ("softmax.py", "derivation.md")]
    return members


def _patch_names(data: bytes, names: list[bytes]) -> bytes:
    """Overwrite each entry's name (local header + central directory) with raw bytes of equal length."""
    buf = bytearray(data)
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        infos = zf.infolist()
    eocd = buf.rfind(b"PK\x05\x06")
    cd = struct.unpack_from("<I", buf, eocd + 16)[0]
    for info, name in zip(infos, names, strict=True):
        off = info.header_offset
        assert buf[off:off + 4] == b"PK\x03\x04" and buf[cd:cd + 4] == b"PK\x01\x02"
        assert struct.unpack_from("<H", buf, off + 26)[0] == len(name)
        buf[off + 30:off + 30 + len(name)] = name
        n, m, k = struct.unpack_from("<HHH", buf, cd + 28)
        assert n == len(name)
        buf[cd + 46:cd + 46 + n] = name
        cd += 46 + n + m + k
    return bytes(buf)


# ---------- one builder per kind: rng -> (filename, bytes, sample, layout) ----------

def _correct(rng: random.Random):
    layout = rng.choices(["flat", "folder", "macosx", "notebook", "sample_zip"], [35, 25, 15, 15, 10])[0]
    if layout == "notebook":
        return "hw03.ipynb", (SAMPLES / "notebook" / "hw03.ipynb").read_bytes(), "notebook", layout
    if layout == "sample_zip":
        return "hw03.zip", (SAMPLES / "zipped" / "hw03.zip").read_bytes(), "zipped", layout
    return "hw03.zip", _zip_bytes(_layout(_files("correct"), layout)), "correct", layout


def _buggy(rng: random.Random, sample: str):
    layout = rng.choice(["flat", "folder", "macosx"])
    return "hw03.zip", _zip_bytes(_layout(_files(sample), layout)), sample, layout


def _syntax_error(rng: random.Random):
    files = dict(_files("correct"))
    src = files["softmax.py"].decode()
    files["softmax.py"] = src.replace("def softmax(x, dim=-1):", "def softmax(x, dim=-1)", 1).encode()
    layout = rng.choice(["flat", "folder"])
    return "hw03.zip", _zip_bytes(_layout(files, layout)), "correct", layout


def _readme_only(rng: random.Random):
    return "hw03.zip", _zip_bytes([("README.txt", b"Sorry, I ran out of time for hw03.\n")]), None, "flat"


def _truncated_zip(rng: random.Random):
    full = _zip_bytes(_layout(_files("correct"), rng.choice(["flat", "folder"])))
    return "hw03.zip", full[: len(full) // 2], "correct", "truncated"


def _bad_notebook(rng: random.Random):
    text = (SAMPLES / "notebook" / "hw03.ipynb").read_bytes()
    return "hw03.ipynb", text[: int(len(text) * rng.uniform(0.3, 0.7))], None, "notebook"


def _nested_zip(rng: random.Random):
    inner = _zip_bytes(_layout(_files("correct"), rng.choice(["flat", "folder"])))
    return "hw03.zip", _zip_bytes([("hw03_final.zip", inner)]), "correct", "nested"


def _gbk_names(rng: random.Random):
    members = [(GBK_TOP, b"")] + [(GBK_TOP + k, v) for k, v in _files("correct").items()]
    members.append((GBK_TOP + "说明.txt", "请老师查收。\n".encode("gbk")))
    raw = [name.encode("gbk") for name, _ in members]
    placeholders = [bytes(b if b < 128 else 0x5F for b in r).decode("ascii") for r in raw]
    data = _zip_bytes([(p, d) for p, (_, d) in zip(placeholders, members)])
    return "hw03.zip", _patch_names(data, raw), "correct", "gbk"


def _zip_slip(rng: random.Random):
    members = list(_files("correct").items()) + [("../../evil.py", b"print('zip-slip payload')\n")]
    return "hw03.zip", _zip_bytes(members), "correct", "zip_slip"


def _zip_bomb(rng: random.Random):
    bio, chunk = io.BytesIO(), bytes(1 << 20)
    with zipfile.ZipFile(bio, "w") as zf, zf.open(_zinfo("softmax.py"), "w") as f:
        for _ in range(BOMB_MB):
            f.write(chunk)
    return "hw03.zip", bio.getvalue(), None, "bomb"


def _rar(rng: random.Random):
    return "hw03.rar", b"Rar!\x1a\x07\x00" + rng.randbytes(1024), None, "rar"


BUILDERS = {"correct": _correct, "syntax_error": _syntax_error, "readme_only": _readme_only,
            "truncated_zip": _truncated_zip, "bad_notebook": _bad_notebook, "nested_zip": _nested_zip,
            "gbk_names": _gbk_names, "zip_slip": _zip_slip, "zip_bomb": _zip_bomb, "rar": _rar}


# ---------- planning ----------

def _counts(n: int) -> dict[str, int]:
    """Entries per kind (plus 'resubmit' = students with an older buggy and a newer correct attempt)."""
    big = n >= 20
    some = lambda frac: max(1, round(n * frac)) if big else 0  # noqa: E731
    c = {k: some(0.02) for k in ("syntax_error", "readme_only", "truncated_zip", "bad_notebook")}
    c |= {"nested_zip": some(0.03), "gbk_names": some(0.03), "resubmit": some(0.03)}
    c |= {k: int(big) for k in ("zip_slip", "zip_bomb", "rar")}
    rest = n - sum(c.values()) - c["resubmit"]
    c["correct"] = round(rest * 45 / 80)
    c["buggy"] = rest - c["correct"]
    return c


def _plan(n: int, rng: random.Random) -> list[list[tuple[str, str | None]]]:
    """One list per student of (kind, attempt) pairs, shuffled."""
    c = _counts(n)
    students = [[("buggy", "older"), ("correct", "newer")] for _ in range(c.pop("resubmit"))]
    students += [[(kind, None)] for kind, k in c.items() for _ in range(k)]
    rng.shuffle(students)
    return students


def _names(k: int, rng: random.Random) -> list[str]:
    seen: dict[str, int] = {}
    out = []
    for _ in range(k):
        base = rng.choice(NAMES)
        seen[base] = seen.get(base, 0) + 1
        out.append(f"{base}{seen[base]}")
    return out


def _build(kind: str, rng: random.Random, mistakes: list[str]):
    if kind == "buggy":
        sample = MISTAKES[len(mistakes) % len(MISTAKES)]
        mistakes.append(sample)
        return _buggy(rng, sample)
    return BUILDERS[kind](rng)


def make_batch(n: int, out: Path, seed: int = 0) -> dict:
    """Write the outer zip at `out` and its manifest next to it; return the manifest."""
    rng, out = random.Random(seed), Path(out)
    students = _plan(n, rng)
    names = _names(len(students), rng)
    uids = rng.sample(range(10_000, 1_000_000), len(students))
    sids = iter(rng.sample(range(100_000, 10_000_000), n))
    singles = [i for i, s in enumerate(students) if len(s) == 1]
    late = set(rng.sample(singles, min(len(singles), max(2, round(n * 0.02)) if n >= 20 else 0)))
    entries, blobs, mistakes = [], {}, []
    for i, attempts in enumerate(students):
        for (kind, attempt), sid in zip(attempts, sorted(next(sids) for _ in attempts)):
            fname, data, sample, layout = _build(kind, rng, mistakes)
            entry = f"{names[i]}{'_LATE' if i in late else ''}_{uids[i]}_{sid}_{fname}"
            expect = "superseded" if attempt == "older" else EXPECT[kind]
            entries.append({"entry": entry, "student_id": str(uids[i]), "name": names[i],
                            "submission_id": sid, "filename": fname, "kind": kind, "layout": layout,
                            "expect": expect, "sample": sample, "late": i in late, "attempt": attempt})
            blobs[entry] = data
    entries.sort(key=lambda e: e["entry"])
    _write_outer(out, [(e["entry"], blobs[e["entry"]]) for e in entries])
    manifest = {"seed": seed, "n": n, "zip": out.name, "counts": _tally(entries), "entries": entries}
    out.with_suffix(".manifest.json").write_text(json.dumps(manifest, indent=1, ensure_ascii=False) + "\n")
    return manifest


def _write_outer(out: Path, members: list[tuple[str, bytes]]) -> None:
    out.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(out, "w") as zf:
        for name, data in members:
            zf.writestr(_zinfo(name), data)


def _tally(entries: list[dict]) -> dict:
    t: dict = {"kind": {}, "expect": {}, "layout": {}}
    for e in entries:
        for key in t:
            t[key][e[key]] = t[key].get(e[key], 0) + 1
    t["late"] = sum(e["late"] for e in entries)
    t["students"] = len({e["student_id"] for e in entries})
    return t


# ---------- self-check ----------

def check_batch(out: Path) -> dict:
    """Reopen the outer zip and verify it against the manifest; raise AssertionError on a mismatch."""
    out = Path(out)
    manifest = json.loads(out.with_suffix(".manifest.json").read_text())
    with zipfile.ZipFile(out) as zf:
        assert sorted(zf.namelist()) == sorted(e["entry"] for e in manifest["entries"])
        gbk = [_check_entry(e, zf.read(e["entry"])) for e in manifest["entries"]]
    return {"entries": len(manifest["entries"]), "gbk_names_checked": sum(gbk)}


def _check_entry(e: dict, data: bytes) -> int:
    kind = e["kind"]
    if kind in ("truncated_zip", "rar"):
        assert not zipfile.is_zipfile(io.BytesIO(data)) or kind == "rar", e["entry"]
        return 0
    if e["filename"].endswith(".ipynb"):
        try:
            json.loads(data)
            assert kind != "bad_notebook", e["entry"]
        except json.JSONDecodeError:
            assert kind == "bad_notebook", e["entry"]
        return 0
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        assert zf.testzip() is None if kind != "zip_bomb" else zf.infolist()[0].file_size == BOMB_MB << 20
        names = zf.namelist()
        if kind == "syntax_error":
            src = zf.read(next(x for x in names if x.endswith("softmax.py")))
            try:
                compile(src, "softmax.py", "exec")
                raise AssertionError("syntax_error compiles")
            except SyntaxError:
                pass
        assert ("../../evil.py" in names) == (kind == "zip_slip"), e["entry"]
        if kind == "gbk_names":
            for info in zf.infolist():
                assert info.flag_bits & 0x800 == 0
                assert info.filename.encode("cp437").decode("gbk").startswith(GBK_TOP), info.filename
            return len(names)
    return 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=200)
    parser.add_argument("--out", type=Path, default=Path("/tmp/batch.zip"))
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--check", action="store_true", help="reopen and verify the output afterwards")
    args = parser.parse_args()
    start = time.perf_counter()
    manifest = make_batch(args.n, args.out, args.seed)
    took = time.perf_counter() - start
    print(json.dumps(manifest["counts"], indent=1))
    print(f"wrote {args.out} ({args.out.stat().st_size / 1e6:.2f} MB, {len(manifest['entries'])} entries) "
          f"and {args.out.with_suffix('.manifest.json')} in {took:.2f} s")
    if args.check:
        print("check:", check_batch(args.out))


if __name__ == "__main__":
    main()
