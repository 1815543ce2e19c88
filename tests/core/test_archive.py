"""graders.core.archive.read_zip: hostile and sloppy zips from students."""
from __future__ import annotations

import io
import zipfile

import pytest

from graders.core.archive import ArchiveLimits, read_zip
from graders.errors import SubmissionError


def make_zip(entries: dict[str, bytes], compression: int = zipfile.ZIP_STORED) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=compression) as zf:
        for name, data in entries.items():
            zf.writestr(name, data)
    return buf.getvalue()


def test_nested_top_folder_is_kept_in_the_paths():
    data = make_zip({"hw03/softmax.py": b"a = 1\n", "hw03/sub/ema.py": b"b = 2\n"})
    assert read_zip(data) == {"hw03/softmax.py": b"a = 1\n", "hw03/sub/ema.py": b"b = 2\n"}


def test_directory_entries_are_not_returned_as_files():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("hw03/", b"")
        zf.writestr("hw03/softmax.py", b"x")
    assert read_zip(buf.getvalue()) == {"hw03/softmax.py": b"x"}


def test_macos_junk_entries_are_dropped():
    data = make_zip({
        "hw03/softmax.py": b"x",
        "__MACOSX/hw03/._softmax.py": b"junk",
        "hw03/._ema.py": b"junk",
        "hw03/.DS_Store": b"junk",
        "hw03/__pycache__/softmax.cpython-311.pyc": b"junk",
    })
    assert read_zip(data) == {"hw03/softmax.py": b"x"}


def test_zip_with_dotdot_entry_is_refused():
    data = make_zip({"ok.py": b"x", "../evil.py": b"import os"})
    with pytest.raises(SubmissionError) as err:
        read_zip(data)
    assert "'../evil.py'" in str(err.value)
    assert "points outside the archive" in str(err.value)


def test_zip_with_nested_dotdot_entry_is_refused():
    data = make_zip({"hw03/../../evil.py": b"x"})
    with pytest.raises(SubmissionError, match=r"hw03/\.\./\.\./evil\.py"):
        read_zip(data)


def test_zip_with_absolute_entry_is_refused():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        # ZipFile.writestr strips a leading "/" from a str name; a ZipInfo keeps it
        info = zipfile.ZipInfo("x")
        info.filename = "/abs.py"
        zf.writestr(info, b"x")
    with pytest.raises(SubmissionError) as err:
        read_zip(buf.getvalue())
    assert "'/abs.py'" in str(err.value)
    assert "absolute path" in str(err.value)


def test_zip_with_windows_drive_entry_is_refused():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        info = zipfile.ZipInfo("x")
        info.filename = "C:/evil.py"
        zf.writestr(info, b"x")
    with pytest.raises(SubmissionError, match="absolute path"):
        read_zip(buf.getvalue())


def test_zip_with_symlink_entry_is_refused():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        info = zipfile.ZipInfo("softmax.py")
        info.external_attr = 0o120777 << 16
        zf.writestr(info, b"/etc/passwd")
    with pytest.raises(SubmissionError) as err:
        read_zip(buf.getvalue())
    assert str(err.value) == "zip entry 'softmax.py' is a symbolic link; the archive was refused"


def test_zip_bomb_is_refused():
    data = make_zip({"bomb.py": bytes(60 * 2**20)}, compression=zipfile.ZIP_DEFLATED)
    assert len(data) < 2**20
    with pytest.raises(SubmissionError, match="zip bomb"):
        read_zip(data)


def test_highly_compressed_entry_is_refused_even_below_the_size_limit():
    data = make_zip({"zeros.txt": bytes(4 * 2**20)}, compression=zipfile.ZIP_DEFLATED)
    with pytest.raises(SubmissionError) as err:
        read_zip(data)
    assert "'zeros.txt'" in str(err.value) and "zip bomb" in str(err.value)


def test_zip_whose_total_size_exceeds_the_limit_is_refused():
    data = make_zip({"a.py": b"x" * 600, "b.py": b"y" * 600})
    with pytest.raises(SubmissionError, match="expands to 1200 bytes .*zip bomb"):
        read_zip(data, ArchiveLimits(max_total_bytes=1000))


def test_zip_with_too_many_files_is_refused():
    data = make_zip({f"f{i}.py": b"" for i in range(6)})
    with pytest.raises(SubmissionError) as err:
        read_zip(data, ArchiveLimits(max_files=5))
    assert str(err.value) == "the zip holds 6 files (limit 5); refused"


def test_not_a_zip_is_refused_as_unreadable():
    with pytest.raises(SubmissionError, match="not a readable zip"):
        read_zip(b"this is not a zip file at all")


def test_gbk_encoded_entry_name_is_decoded():
    gbk = "作业.py".encode("gbk")
    placeholder = b"X" * (len(gbk) - 3) + b".py"
    data = make_zip({placeholder.decode(): b"x = 1\n"})
    # the placeholder is ASCII, so zipfile does not set the UTF-8 flag (0x800);
    # swapping the name bytes (same length) yields what a Chinese Windows zip tool writes
    data = data.replace(placeholder, gbk)
    info = zipfile.ZipFile(io.BytesIO(data)).infolist()[0]
    assert not info.flag_bits & 0x800
    assert read_zip(data) == {"作业.py": b"x = 1\n"}


def test_utf8_flagged_entry_name_is_kept():
    data = make_zip({"作业/softmax.py": b"x"})
    assert read_zip(data) == {"作业/softmax.py": b"x"}
