"""Safe reading of zip archives into memory: no path escapes, no bombs, readable names.

Why in memory: nothing from an archive touches the disk until the submission
is validated, so a hostile entry cannot write outside the work folder.
"""
from __future__ import annotations

import io
import re
import stat
import zipfile
from dataclasses import dataclass
from pathlib import PurePosixPath

from graders.errors import SubmissionError
from graders.i18n import _


@dataclass(frozen=True)
class ArchiveLimits:
    """Bounds against zip bombs."""

    max_files: int = 2000
    max_total_bytes: int = 200 * 2**20
    max_file_bytes: int = 50 * 2**20
    max_ratio: float = 200.0


JUNK_PARTS = ("__MACOSX", ".DS_Store", "__pycache__", ".ipynb_checkpoints", ".git")


def decode_name(info: zipfile.ZipInfo) -> str:
    """The entry's name as the student saw it: UTF-8, else GBK (zips from Chinese Windows)."""
    if info.flag_bits & 0x800:
        return info.filename
    raw = info.filename.encode("cp437")
    for encoding in ("utf-8", "gbk"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    return info.filename


def safe_member_path(name: str) -> PurePosixPath:
    """The entry's relative path, or SubmissionError when it would escape the folder."""
    path = PurePosixPath(name.replace("\\", "/"))
    drive = bool(path.parts) and re.match(r"[A-Za-z]:", path.parts[0]) is not None  # `C:x`, not `Eve: hw3`
    if path.is_absolute() or name.startswith(("/", "\\")) or drive:
        raise SubmissionError(_("zip entry {name} has an absolute path; the archive was refused").format(name=repr(name)))
    if ".." in path.parts:
        raise SubmissionError(_("zip entry {name} points outside the archive (../); the archive was refused").format(
            name=repr(name)))
    return path


def _is_symlink(info: zipfile.ZipInfo) -> bool:
    return stat.S_ISLNK(info.external_attr >> 16)


def _check_sizes(infos: list[zipfile.ZipInfo], limits: ArchiveLimits) -> None:
    if len(infos) > limits.max_files:
        raise SubmissionError(_("the zip holds {count} files (limit {limit}); refused").format(
            count=len(infos), limit=limits.max_files))
    total = sum(i.file_size for i in infos)
    if total > limits.max_total_bytes:
        raise SubmissionError(_("the zip expands to {total} bytes (limit {limit}); refused as a zip bomb").format(
            total=total, limit=limits.max_total_bytes))
    for info in infos:
        check_entry(info, limits)


def check_entry(info: zipfile.ZipInfo, limits: ArchiveLimits) -> None:
    """One entry's size and compression ratio against the bomb limits."""
    ratio = info.file_size / max(info.compress_size, 1)
    if info.file_size > limits.max_file_bytes or (info.file_size > 2**20 and ratio > limits.max_ratio):
        raise SubmissionError(_("zip entry {name} expands {ratio}x to {size} bytes; refused as a zip bomb").format(
            name=repr(info.filename), ratio=f"{ratio:.0f}", size=info.file_size))


def read_zip(data: bytes, limits: ArchiveLimits = ArchiveLimits()) -> dict[str, bytes]:
    """Every regular file of the archive as {relative posix path: bytes}, junk removed."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = [i for i in archive.infolist() if not i.is_dir()]
        _check_sizes(infos, limits)
        files: dict[str, bytes] = {}
        for info in infos:
            name = decode_name(info)
            path = safe_member_path(name)
            if _is_symlink(info):
                raise SubmissionError(_("zip entry {name} is a symbolic link; the archive was refused").format(
                    name=repr(name)))
            if any(part in JUNK_PARTS or part.startswith("._") for part in path.parts):
                continue
            files[str(path)] = archive.read(info)
        return files
    except zipfile.BadZipFile as exc:
        raise SubmissionError(_("not a readable zip archive ({error}); re-create it with a zip tool and resubmit").format(
            error=exc)) from exc
    except (zipfile.LargeZipFile, NotImplementedError, RuntimeError) as exc:
        raise SubmissionError(_("the zip cannot be opened ({error}); resubmit it as a plain, unencrypted .zip").format(
            error=exc)) from exc
