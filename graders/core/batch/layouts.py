"""Who handed in what: student id, name, lateness and attempt from LMS download names.

Pure functions, no I/O. The caller lists the top-level entries of a download
(folders marked with a trailing "/") and gets one Identity per entry, or None
when a name fits no layout (the caller reports it).
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Callable

LAYOUTS = ("canvas", "moodle", "blackboard", "flat")


@dataclass(frozen=True)
class Identity:
    """One student's entry in a download."""

    student_id: str
    name: str
    late: bool
    attempt: str
    layout: str
    filename: str


_CANVAS = re.compile(
    r"^(?P<name>[^_/]+?)(?P<late>_late)?_(?P<id>\d+)_(?P<sub>\d+)_(?P<file>.+)$", re.I)
_MOODLE_PART = r"_(?P<id>\d+)_assignsubmission_(?P<plugin>[a-z]+)_"
# A folder's name ends with the marker: the last one is Moodle's (a full name may contain a look-alike).
_MOODLE_FOLDER = re.compile(rf"^(?P<name>.+){_MOODLE_PART}$")
_MOODLE_FILE = re.compile(rf"^(?P<name>.+?){_MOODLE_PART}(?P<file>.*)$")
_MOODLE_MARK = re.compile(r"_\d+_assignsubmission_[a-z]+_")
_BB_TS = r"(?P<ts>\d{4}-\d{2}-\d{2})-(?P<h>\d{2})-(?P<m>\d{2})-(?P<s>\d{2})"
_BLACKBOARD = re.compile(
    rf"^(?P<assign>.+?)_(?P<user>[^_/]+)_attempt_{_BB_TS}(?:_(?P<file>.+)|(?P<receipt>\.txt))$")
# Lazy `assign`: Blackboard's own `_attempt_<time>` is the first one; the student's file name may hold another.
_EXT = re.compile(r"\.(?:tar\.gz|tar\.bz2|tar\.xz|[A-Za-z0-9]{1,5})$")
_REUPLOAD = re.compile(r"\s*[(（](\d{1,3})[)）]\s*$")
_SEPARATORS = re.compile(r"[_\-\s()（）\[\]【】]+")
_ASSIGNMENT = re.compile(
    r"^(?:hw\d+|homework\d*|assignment\d*|lab\d+|作业\d*|第[\d一二三四五六七八九十]+次作业|\d{1,5})$",
    re.I)
_LATE_MARKS = ("迟交", "补交")
# Not legal (or not safe) in a Windows or Linux file name: reserved punctuation, C0, DEL and C1 controls,
# and lone surrogates (a download name that was not UTF-8), which strict UTF-8 cannot encode.
_ILLEGAL = re.compile('[<>:"/\\\\|?*\x00-\x1f\x7f-\x9f\ud800-\udfff]')
# Windows device names, whatever the extension: COM¹-³ and LPT¹-³ (superscript digits) and the console's own too.
_RESERVED = {"CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$",
             *(f"{port}{n}" for port in ("COM", "LPT") for n in (*map(str, range(10)), "¹", "²", "³"))}


def _split(entry: str) -> tuple[str, bool]:
    """The entry without a trailing slash, and whether it was a folder."""
    return entry.rstrip("/\\"), entry.endswith(("/", "\\"))


def _canvas(entry: str) -> Identity | None:
    """`name[_LATE]_userid_submissionid_file.ext` (also as a folder a TA unpacked it into)."""
    base, _folder = _split(entry)
    m = _CANVAS.match(base)
    if m is None:
        return None
    return Identity(m["id"], m["name"], m["late"] is not None, m["sub"].zfill(12),
                    "canvas", m["file"])


def _moodle(entry: str) -> Identity | None:
    """`Full Name_12345_assignsubmission_file_[file]`, as a folder or a file.

    A folder's name ends with Moodle's marker, so its last marker is the real one (a full name may hold a
    look-alike). A loose file is `<full name><marker><file name>`, where either side may hold a look-alike:
    such a name is ambiguous, fits no layout and is rejected by name, rather than credited to a student."""
    base, folder = _split(entry)
    if folder:
        m = _MOODLE_FOLDER.match(base) or _MOODLE_FOLDER.match(base + "_")
        return None if m is None else Identity(m["id"], m["name"].strip(), False, "", "moodle", "")
    m = _MOODLE_FILE.match(base) or _MOODLE_FILE.match(base + "_")
    if m is None or len(_MOODLE_MARK.findall(base + "_")) > 1:
        return None
    return Identity(m["id"], m["name"].strip(), False, "", "moodle", m["file"])


def moodle_plugin(entry: str) -> str:
    """The Moodle submission plugin an entry came from (`file`, `onlinetext`, ...), or "" when it is not Moodle's."""
    base, folder = _split(entry)
    pattern = _MOODLE_FOLDER if folder else _MOODLE_FILE
    m = pattern.match(base) or pattern.match(base + "_")
    return m["plugin"].lower() if m else ""


def _blackboard(entry: str) -> Identity | None:
    """`Assignment_username_attempt_YYYY-MM-DD-HH-MM-SS[_file | .txt]`."""
    base, _folder = _split(entry)
    m = _BLACKBOARD.match(base)
    if m is None:
        return None
    attempt = f"{m['ts']}T{m['h']}:{m['m']}:{m['s']}"
    return Identity(m["user"], "", False, attempt, "blackboard", m["file"] or "")


def is_receipt(entry: str) -> bool:
    """Whether the entry is a Blackboard submission receipt (`..._attempt_<ts>.txt`)."""
    m = _BLACKBOARD.match(_split(entry)[0])
    return m is not None and m["receipt"] is not None


def _student_id(stem: str) -> str:
    """The longest run of 6+ digits (the first one on a tie), or ""."""
    runs = re.findall(r"\d{6,}", stem)
    return max(runs, key=len) if runs else ""


def _name_and_late(text: str) -> tuple[str, bool]:
    """The name tokens left once assignment and lateness tokens are dropped."""
    late = any(mark in text for mark in _LATE_MARKS)
    for mark in _LATE_MARKS:
        text = text.replace(mark, " ")
    tokens = [t for t in _SEPARATORS.split(text) if t]
    late = late or any(t.lower() == "late" for t in tokens)
    kept = [t for t in tokens if t.lower() != "late" and not _ASSIGNMENT.match(t)]
    return " ".join(kept), late


def _flat(entry: str) -> Identity | None:
    """Free-form names such as `张三_2023001234_hw03(1).zip`: the id is the longest 6+ digit run."""
    base, folder = _split(entry)
    stem = base if folder else _EXT.sub("", base)
    reupload = _REUPLOAD.search(stem)
    if reupload:
        stem = stem[:reupload.start()]
    student_id = _student_id(stem)
    if not student_id:
        return None
    name, late = _name_and_late(stem.replace(student_id, " ", 1))
    attempt = (reupload[1] if reupload else "0").zfill(4)
    return Identity(student_id, name, late, attempt, "flat", "" if folder else base)


_PARSERS: dict[str, Callable[[str], Identity | None]] = {
    "canvas": _canvas, "moodle": _moodle, "blackboard": _blackboard, "flat": _flat}


def identify(entry: str, layout: str = "auto") -> Identity | None:
    """The identity behind one top-level entry, or None when the name fits no layout."""
    if layout != "auto" and layout not in _PARSERS:
        raise ValueError(f"unknown layout {layout!r}; expected 'auto' or one of {LAYOUTS}")
    for name in LAYOUTS if layout == "auto" else (layout,):
        found = _PARSERS[name](entry.strip())
        if found is not None:
            return found
    return None


def detect_layout(entries: list[str]) -> str:
    """The layout most entries fit (earlier layouts win ties), "flat" as fallback."""
    counts = {name: sum(_PARSERS[name](e.strip()) is not None for e in entries)
              for name in LAYOUTS}
    best = max(LAYOUTS, key=lambda name: (counts[name], -LAYOUTS.index(name)))
    return best if counts[best] else "flat"


def student_key(identity: Identity) -> str:
    """A filesystem-safe `id_name` key for feedback files (Windows-legal, <= 100 chars)."""
    raw = "_".join(part for part in (identity.student_id, identity.name) if part)
    key = _ILLEGAL.sub("_", unicodedata.normalize("NFC", raw)).strip()
    key = key[:100].rstrip(". ")
    while len(key.encode("utf-8")) > 200:
        key = key[:-1].rstrip(". ")
    if not key or key.split(".")[0].rstrip(" ").upper() in _RESERVED:
        key = f"_{key}"
    return key


def unique_keys(keys: list[str]) -> list[str]:
    """The keys made unique, ignoring case too (Windows and macOS): a repeat gets `~2`, `~3`, ... in order."""
    out, seen = [], set()
    for key in keys:
        unique, n = key, 1
        while unique.casefold() in seen:
            n += 1
            unique = f"{key}~{n}"
        seen.add(unique.casefold())
        out.append(unique)
    return out
