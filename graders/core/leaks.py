"""Prove that an artefact (bundle folder, zip, wheel, sdist) carries no hidden material.

Scans the artefact's contents, not only its file list: a hidden file renamed
or pasted into another file is still found by its distinctive lines or bytes.
"""
from __future__ import annotations

import hashlib
import io
import re
import tarfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

HIDDEN_NAME = re.compile(r"(^|/)(golden/|reference/|graders/hw\d+/(?!assignment\.toml$)|[^/]*\.msgpack$|keys\.toml$)")
PUBLIC_IN_GRADER_DIR = ("assignment.toml",)
MIN_LINE = 24


@dataclass(frozen=True)
class Fingerprint:
    """What identifies one hidden file: its hash and its lines that appear nowhere public."""

    source: str
    sha256: str
    lines: frozenset[str]


def _text_lines(data: bytes) -> set[str]:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return set()
    return {line.strip() for line in text.splitlines() if len(line.strip()) >= MIN_LINE}


def hidden_files(course_root: Path, assignment: str) -> list[Path]:
    """Hidden suites, keys, cases, reference solutions and golden outputs of one assignment."""
    grader = course_root / "graders" / assignment
    found = [p for p in grader.rglob("*") if p.is_file() and p.name not in PUBLIC_IN_GRADER_DIR
             and "__pycache__" not in p.parts]
    return found + [p for p in (course_root / "reference" / assignment).rglob("*") if p.is_file()]


def public_lines(course_root: Path) -> set[str]:
    """Lines that are public anyway (stubs share docstrings with the reference; the engine, `grade new`'s template)."""
    lines: set[str] = set()
    for folder in (course_root / "exercises", course_root / "graders" / "core", course_root / "graders" / "locale"):
        for path in folder.rglob("*"):
            if path.is_file() and path.suffix in (".py", ".md", ".toml", ".txt", ".lark", ".po", ".pot", ".tmpl"):
                lines |= _text_lines(path.read_bytes())
    return lines


def fingerprints(course_root: Path, assignment: str) -> list[Fingerprint]:
    public = public_lines(course_root)
    prints = []
    for path in hidden_files(course_root, assignment):
        data = path.read_bytes()
        digest = hashlib.sha256(data).hexdigest() if len(data) >= MIN_LINE else ""  # empty __init__.py is no secret
        prints.append(Fingerprint(str(path.relative_to(course_root)), digest,
                                  frozenset(_text_lines(data) - public)))
    return prints


def members(artefact: Path) -> dict[str, bytes]:
    """Every file inside a folder, .zip/.whl or .tar.gz, by its path inside."""
    if artefact.is_dir():
        return {p.relative_to(artefact).as_posix(): p.read_bytes() for p in artefact.rglob("*") if p.is_file()}
    if artefact.suffix in (".zip", ".whl"):
        with zipfile.ZipFile(artefact) as zf:
            return {i.filename: zf.read(i) for i in zf.infolist() if not i.is_dir()}
    with tarfile.open(artefact) as tf:
        return {m.name: tf.extractfile(m).read() for m in tf.getmembers() if m.isfile()}


def _nested(name: str, data: bytes) -> dict[str, bytes]:
    """Archives inside the artefact (the bundle's wheel) are scanned too."""
    if name.endswith((".whl", ".zip")):
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            return {f"{name}!{i.filename}": zf.read(i) for i in zf.infolist() if not i.is_dir()}
    return {}


def scan(artefact: Path, prints: list[Fingerprint]) -> list[str]:
    """Every leak found, as 'member: why'; empty when the artefact is clean."""
    files = members(artefact)
    for name, data in list(files.items()):
        files.update(_nested(name, data))
    by_hash = {p.sha256: p.source for p in prints if p.sha256}
    leaks = []
    for name, data in files.items():
        inner = name.split("!")[-1]
        if HIDDEN_NAME.search(inner):
            leaks.append(f"{name}: a hidden file's name")
        elif hashlib.sha256(data).hexdigest() in by_hash:
            leaks.append(f"{name}: identical to {by_hash[hashlib.sha256(data).hexdigest()]}")
        else:
            lines = _text_lines(data)
            for p in prints:
                shared = p.lines & lines
                if shared and len(shared) >= min(2, len(p.lines)):
                    leaks.append(f"{name}: contains {len(shared)} line(s) of {p.source}")
                    break
    return leaks
