"""Turn a TA's inputs (folders, LMS bulk downloads, zips of zips) into submission units.

Every top-level entry of every input becomes exactly one Unit or one Rejection,
so nothing a TA hands in can silently disappear. Outer archives are read entry
by entry: one hostile entry is rejected on its own, the rest still grade.
"""
from __future__ import annotations

import hashlib
import zipfile
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path, PurePosixPath

from graders.core.archive import ArchiveLimits, JUNK_PARTS, check_entry, decode_name, safe_member_path
from graders.core.batch.layouts import Identity
from graders.errors import SubmissionError
from graders.i18n import _, message_of

LIMITS = ArchiveLimits()


@dataclass(frozen=True)
class Unit:
    """One top-level entry of an input: a student's file, or a student's folder of files."""

    entry: str
    source: str
    files: dict[str, bytes] = field(repr=False)
    is_folder: bool = False
    identity: Identity | None = None
    modified: datetime | None = None  # the newest time the download stores for this entry's own files

    @property
    def digest(self) -> str:
        """Content hash: the cache key (with the grader's version) for --resume.

        A single file counts under the name it is graded by (an LMS name's own file part, `hw03.zip`):
        students who hand in the same bytes share one grading, whatever the LMS prefixed."""
        h = hashlib.sha256()
        files = self.files
        if not self.is_folder and len(files) == 1 and self.identity is not None and self.identity.filename:
            files = {self.identity.filename: next(iter(files.values()))}
        for name in sorted(files):
            h.update(name.encode("utf-8", "surrogateescape") + b"\0" + hashlib.sha256(files[name]).digest())
        return h.hexdigest()


@dataclass(frozen=True)
class Rejection:
    """An entry that could not become a submission, and why."""

    entry: str
    source: str
    reason: str
    identity: Identity | None = None


def _is_junk(name: str) -> bool:
    return any(part in JUNK_PARTS or part.startswith("._") for part in PurePosixPath(name).parts)


def _newest_mtime(paths: list[Path]) -> datetime | None:
    stamps = [p.stat().st_mtime for p in paths]
    return datetime.fromtimestamp(max(stamps)) if stamps else None


def _from_folder(folder: Path) -> tuple[list[Unit], list[Rejection]]:
    units = []
    for child in sorted(folder.iterdir()):
        if child.is_symlink():
            continue
        if child.is_file():
            units.append(Unit(child.name, str(folder), {child.name: child.read_bytes()},
                              modified=_newest_mtime([child])))
        elif child.is_dir():
            paths = [p for p in sorted(child.rglob("*"))
                     if p.is_file() and not p.is_symlink() and p.stat().st_size <= LIMITS.max_file_bytes]
            files = {p.relative_to(child).as_posix(): p.read_bytes() for p in paths}
            units.append(Unit(child.name, str(folder), files, is_folder=True,
                              modified=_newest_mtime(paths) or _newest_mtime([child])))
    return units, []


Member = tuple[bytes, datetime]  # a zip member's bytes and the date and time the zip stores for it


def _group_zip(archive: zipfile.ZipFile, source: str) -> tuple[dict[str, dict[str, Member]], list[Rejection]]:
    """Members grouped by top-level entry; an entry with a refused member is rejected whole, once, by name."""
    groups: dict[str, dict[str, Member]] = {}
    refused: dict[str, Rejection] = {}
    for info in archive.infolist():
        name = decode_name(info)
        if info.is_dir() or _is_junk(name):
            continue
        top = name.replace("\\", "/").lstrip("/").split("/", 1)[0] or name
        try:
            path = safe_member_path(name)
            check_entry(info, LIMITS)
            member = (archive.read(info), _zip_time(info))
            groups.setdefault(path.parts[0], {})["/".join(path.parts[1:]) or path.parts[0]] = member
        except (SubmissionError, zipfile.BadZipFile, RuntimeError, NotImplementedError) as exc:
            refused.setdefault(top, Rejection(top, source, message_of(exc)))
    return {top: files for top, files in groups.items() if top not in refused}, list(refused.values())


def _zip_time(info: zipfile.ZipInfo) -> datetime:
    try:
        return datetime(*info.date_time)
    except ValueError:  # a date the zip cannot hold (month 0): the earliest one it can
        return datetime(1980, 1, 1)


def _unwrap(groups: dict[str, dict[str, Member]]) -> dict[str, dict[str, Member]]:
    """A download wrapped in one top folder (`submissions/...`) is regrouped one level down."""
    while len(groups) == 1:
        (top, files), = groups.items()
        heads = {name.split("/", 1)[0] for name in files}
        if len(heads) < 2 or top in files:
            break
        inner: dict[str, dict[str, Member]] = {}
        for name, member in files.items():
            head, _sep, rest = name.partition("/")
            inner.setdefault(head, {})[rest or head] = member
        groups = inner
    return groups


def _from_zip(path: Path) -> tuple[list[Unit], list[Rejection]]:
    try:
        with zipfile.ZipFile(path) as archive:
            groups, rejected = _group_zip(archive, str(path))
        groups = _unwrap(groups)
    except zipfile.BadZipFile as exc:
        return [], [Rejection(path.name, str(path), _("the download itself is not a readable zip ({error})").format(error=exc))]
    units = []
    for top, members in sorted(groups.items()):
        folder = not (len(members) == 1 and top in members)
        files = {name: data for name, (data, _when) in members.items()}
        newest = max(when for _data, when in members.values())
        units.append(Unit(top, str(path), files, is_folder=folder, modified=newest))
    return units, rejected


def collect(inputs: list[Path]) -> tuple[list[Unit], list[Rejection]]:
    """All units and rejections of the inputs, in a stable order."""
    units: list[Unit] = []
    rejected: list[Rejection] = []
    for path in inputs:
        if path.is_dir():
            found = _from_folder(path)
        elif path.suffix.lower() == ".zip":
            found = _from_zip(path)
        elif path.is_file():
            found = ([Unit(path.name, str(path.parent), {path.name: path.read_bytes()},
                           modified=_newest_mtime([path]))], [])
        else:
            found = ([], [Rejection(path.name, str(path), _("no such file or folder"))])
        units += found[0]
        rejected += found[1]
    return units, rejected
