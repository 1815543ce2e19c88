"""Turn a TA's inputs (folders, LMS bulk downloads, zips of zips) into submission units.

Every top-level entry of every input becomes exactly one Unit or one Rejection,
so nothing a TA hands in can silently disappear. Outer archives are read entry
by entry: one hostile entry is rejected on its own, the rest still grade.
"""
from __future__ import annotations

import hashlib
import zipfile
import zlib
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


def read_capped(path: Path) -> bytes:
    """A file's bytes, or SubmissionError when it is over the per-file limit (never read whole)."""
    with path.open("rb") as handle:
        data = handle.read(LIMITS.max_file_bytes + 1)
    if len(data) > LIMITS.max_file_bytes:
        raise SubmissionError(_("{name} is over {limit} bytes; refused (hand in the code, not data or models)").format(
            name=repr(path.name), limit=LIMITS.max_file_bytes))
    return data


def _from_file(path: Path) -> tuple[list[Unit], list[Rejection]]:
    """One file as one unit, or one rejection naming it (too big, unreadable)."""
    try:
        return [Unit(path.name, str(path.parent), {path.name: read_capped(path)}, modified=_newest_mtime([path]))], []
    except SubmissionError as exc:
        return [], [Rejection(path.name, str(path.parent), message_of(exc))]
    except OSError as exc:
        return [], [Rejection(path.name, str(path.parent), _("cannot read {name}: {error}").format(
            name=repr(path.name), error=exc.strerror or exc))]


def _not_read(path: Path) -> str:
    if path.is_symlink():
        return _("{name} is a symbolic link; it was not followed").format(name=repr(path.name))
    return _("{name} is not a regular file or folder (a pipe, socket or device); it was not read").format(
        name=repr(path.name))


def _from_folder(folder: Path) -> tuple[list[Unit], list[Rejection]]:
    units: list[Unit] = []
    rejected: list[Rejection] = []
    for child in sorted(folder.iterdir()):
        if child.is_symlink() or not (child.is_file() or child.is_dir()):
            rejected.append(Rejection(child.name, str(folder), _not_read(child)))
            continue
        if child.is_file():
            found = _from_file(child)
            units += found[0]
            rejected += found[1]
        elif child.is_dir():
            paths = [p for p in sorted(child.rglob("*"))
                     if p.is_file() and not p.is_symlink() and p.stat().st_size <= LIMITS.max_file_bytes]
            files = {p.relative_to(child).as_posix(): p.read_bytes() for p in paths}
            units.append(Unit(child.name, str(folder), files, is_folder=True,
                              modified=_newest_mtime(paths) or _newest_mtime([child])))
    return units, rejected


Member = tuple[bytes, datetime]  # a zip member's bytes and the date and time the zip stores for it


@dataclass(frozen=True)
class Refused:
    """A zip member that was not read, and why: it rejects the entry it ends up in (after unwrapping)."""

    reason: str


@dataclass(frozen=True)
class Junk:
    """A system file (`.DS_Store`, `._x`, `__MACOSX/`) inside an entry: never graded, but an entry holding only
    such files is rejected by name rather than lost."""


Slot = Member | Refused | Junk
Groups = dict[str, dict[str, Slot]]


def _raw_parts(name: str) -> tuple[str, ...]:
    """Where a refused member sits: its parts as written (`\\` as `/`, empty and `.` parts dropped), up to a `..`.

    So `alice/../x` stays in alice's entry, and a member that climbs out at once belongs to no entry."""
    parts = [p for p in name.replace("\\", "/").split("/") if p not in ("", ".")]
    return tuple(parts[:parts.index("..")] if ".." in parts else parts)


def _read_member(archive: zipfile.ZipFile, info: zipfile.ZipInfo, name: str) -> tuple[tuple[str, ...], Slot]:
    """The member's normalised path parts and its bytes, or the reason it was refused (never raises)."""
    try:
        parts = safe_member_path(name).parts  # `./x` and `a//b` normalised: `x`, `a/b`
        check_entry(info, LIMITS)
        return parts, (archive.read(info), _zip_time(info))
    except (SubmissionError, zipfile.BadZipFile, RuntimeError, NotImplementedError, EOFError, OSError,
            zlib.error) as exc:
        return _raw_parts(name), Refused(message_of(exc))


def _group_zip(archive: zipfile.ZipFile, source: str) -> tuple[Groups, list[Rejection]]:
    """Members grouped by top-level entry, refused members kept in place (the caller rejects their entry).

    A member that names no file (`.`) is rejected on its own; two members whose names normalise to the same
    path (`./x.zip` and `x.zip`) make that path a refused one: which of them is the student's is unclear."""
    groups: Groups = {}
    seen: dict[tuple[str, str], str] = {}
    rejected: list[Rejection] = []
    for info in archive.infolist():
        name = decode_name(info)
        if info.is_dir() or _is_junk(name.replace("\\", "/").split("/", 1)[0]):
            continue  # a folder, or junk at the top (the download's own __MACOSX/)
        parts, slot = (_raw_parts(name), Junk()) if _is_junk(name) else _read_member(archive, info, name)
        if not parts or name.replace("\\", "/").rsplit("/", 1)[-1] == ".":
            reason = slot.reason if isinstance(slot, Refused) else _("zip member {name} names no file; it was "
                                                                      "refused").format(name=repr(name))
            rejected.append(Rejection(name, source, reason))
            continue
        top, inner = parts[0], "/".join(parts[1:]) or parts[0]
        files = groups.setdefault(top, {})
        if isinstance(files.get(inner), Refused):
            continue  # the first reason stands
        if inner in files and isinstance(slot, tuple):  # two members' bytes for one path
            slot = Refused(_("zip members {first} and {second} name the same file; the entry was refused, as it is "
                             "unclear which one is the student's").format(first=repr(seen[top, inner]),
                                                                          second=repr(name)))
        seen[top, inner] = name
        files[inner] = slot
    return groups, rejected


def _split_refused(groups: Groups, source: str) -> tuple[dict[str, dict[str, Member]], list[Rejection]]:
    """Entries without a refused member, and one rejection (its first reason) per entry with one."""
    kept: dict[str, dict[str, Member]] = {}
    rejected = []
    for top, files in groups.items():
        refused = [slot for slot in files.values() if isinstance(slot, Refused)]
        members = {name: slot for name, slot in files.items() if isinstance(slot, tuple)}
        if refused:
            rejected.append(Rejection(top, source, refused[0].reason))
        elif members:
            kept[top] = members
        elif not _is_junk(top):
            rejected.append(Rejection(top, source, _("{name} holds only system files ({files}); nothing to grade")
                                      .format(name=repr(top), files=", ".join(sorted(map(repr, files))[:3]))))
    return kept, rejected


def _zip_time(info: zipfile.ZipInfo) -> datetime:
    try:
        return datetime(*info.date_time)
    except ValueError:  # a date the zip cannot hold (month 0): the earliest one it can
        return datetime(1980, 1, 1)


def _unwrap(groups: Groups) -> Groups:
    """A download wrapped in one top folder (`submissions/...`) is regrouped one level down.

    Runs before refused members reject their entries: one student's bomb rejects that student, not the wrapper."""
    while len(groups) == 1:
        (top, files), = groups.items()
        heads = {name.split("/", 1)[0] for name in files}
        if len(heads) < 2 or top in files:
            break
        inner: Groups = {}
        for name, member in files.items():
            head, _sep, rest = name.partition("/")
            inner.setdefault(head, {})[rest or head] = member
        groups = inner
    return groups


def _from_zip(path: Path) -> tuple[list[Unit], list[Rejection]]:
    try:
        with zipfile.ZipFile(path) as archive:
            grouped, rejected = _group_zip(archive, str(path))
        groups, refused = _split_refused(_unwrap(grouped), str(path))
        rejected += refused
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
            found = _from_file(path)
        else:
            found = ([], [Rejection(path.name, str(path), _("no such file or folder"))])
        units += found[0]
        rejected += found[1]
    return units, rejected
