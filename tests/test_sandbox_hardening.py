"""The sandbox under attack (issue 13): each test is an attack that worked before the fix.

- the parent never reads a path the student could have replaced (output log, scratch);
- one absolute deadline per request, however the worker drips its answer;
- nothing the worker starts outlives it (setsid, double fork, cleared parent-death signal);
- a size- and file-count-limited scratch; an unprivileged uid; every value either
  encodes or is reported as unsendable, and the worker survives it.
"""
from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from graders.core.sandbox import Limits, Template, WorkerConfig, WorkerDied, WorkerTimeout

ROOT = Path(__file__).resolve().parents[1]
HIDDEN = [str(ROOT / "graders"), str(ROOT / "reference"), str(ROOT / "submissions")]
SECRET_FILE = ROOT / "graders" / "hw03" / "keys.toml"
MARKER = "graders-hardening-survivor"

STUDENT = f'''
import ctypes, os, socket, stat, struct, sys, time
import torch

def shout_then_die(text):
    print(text, flush=True)
    os._exit(3)

def plant_log_symlink(target):
    for name in (".output.log", "output.log"):
        try:
            os.remove(name)
        except OSError:
            pass
        os.symlink(target, name)
    print("planted", flush=True)
    os._exit(3)

def write_scratch(name, text):
    with open(name, "w") as fh:
        fh.write(text)
    return os.getcwd()

def _worker_socket():
    for fd in range(3, 64):
        try:
            if stat.S_ISSOCK(os.fstat(fd).st_mode):
                return fd
        except OSError:
            continue

def drip(seconds):
    """Send a valid reply one byte at a time, slowly: a per-recv timeout never fires."""
    import msgpack
    body = msgpack.packb({{"ok": 1}})
    frame = struct.pack("!I", len(body)) + body
    fd = _worker_socket()
    pause = seconds / len(frame)
    for i in range(len(frame)):
        os.write(fd, frame[i:i + 1])
        time.sleep(pause)
    time.sleep(3600)

def survive():
    """Leave a grandchild in its own session, deaf to its parent's death, running a sleeper."""
    if os.fork() == 0:
        os.setsid()
        ctypes.CDLL(None).prctl(1, 0, 0, 0, 0)  # PR_SET_PDEATHSIG = 0
        if os.fork() == 0:
            os.execv(sys.executable, [sys.executable, "-c", "import time; time.sleep(120)", "{MARKER}"])
        os._exit(0)
    os._exit = lambda code: None
    time.sleep(0.5)
    return "started"

def fill_disk(mib):
    os.makedirs("fill", exist_ok=True)
    written = 0
    chunk = b"x" * 2**20
    while written < mib:
        with open(os.path.join("fill", str(written)), "wb") as fh:
            for _ in range(4):
                fh.write(chunk)
        written += 4
    return written

def many_files(n):
    for i in range(n):
        open(f"f{{i}}", "w").close()
    return n

def whoami():
    return os.getuid(), os.geteuid()

def read(path):
    with open(path, "rb") as fh:
        return fh.read(100)

def meta_tensor():
    return torch.empty(3, device="meta")

def recursive_list():
    x = []
    x.append(x)
    return x

class Loud(Exception):
    def __str__(self):
        raise RuntimeError("no str for you")

def bad_exception():
    raise Loud()

def add(a, b):
    return a + b
'''


@pytest.fixture(scope="module")
def template():
    with Template() as t:
        yield t


def _spawn(template: Template, tmp_path: Path, **limits) -> tuple:
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    (scratch / "student.py").write_text(STUDENT)
    config = WorkerConfig(scratch=str(scratch), hidden=HIDDEN,
                          limits=Limits(memory_mb=512, processes=16, file_size_mb=8, **limits))
    return template.spawn(config), scratch


@pytest.fixture
def worker(template, tmp_path):
    w, scratch = _spawn(template, tmp_path)
    w.scratch = scratch
    yield w
    w.close()


def call(worker, func, *args, timeout=10):
    return worker.request({"op": "call", "module": "student", "func": func, "args": list(args), "kwargs": {}}, timeout)


def applied(worker) -> list[str]:
    call(worker, "add", 1, 2)
    return worker.confinement["applied"]


def test_crash_output_is_read_from_the_parents_own_descriptor(worker):
    with pytest.raises(WorkerDied):
        call(worker, "shout_then_die", "last words")
    assert worker.log.tail() == ["last words"]


def test_a_symlinked_output_log_makes_the_parent_read_nothing_hidden(worker):
    with pytest.raises(WorkerDied):
        call(worker, "plant_log_symlink", str(SECRET_FILE))
    assert worker.log.tail() == ["planted"]
    assert not any(p.is_symlink() for p in worker.scratch.iterdir())  # the planted links never reached the host


def test_files_the_worker_writes_never_reach_the_parents_scratch_folder(worker):
    if not any("tmpfs" in a for a in applied(worker)):
        pytest.skip("no mount namespace on this host")
    assert call(worker, "write_scratch", "planted.txt", "x")["ok"] == str(worker.scratch)
    assert sorted(p.name for p in worker.scratch.iterdir()) == ["student.py"]


def test_a_byte_drip_is_a_timeout_not_progress(worker):
    with pytest.raises(WorkerTimeout):
        call(worker, "drip", 30.0, timeout=2)
    assert not worker.alive


def _survivors() -> list[int]:
    found = []
    for pid in os.listdir("/proc"):
        try:
            if pid.isdigit() and MARKER.encode() in Path(f"/proc/{pid}/cmdline").read_bytes():
                found.append(int(pid))
        except OSError:
            continue
    return found


def test_nothing_the_worker_starts_outlives_it(template, tmp_path):
    w, _ = _spawn(template, tmp_path)
    try:
        assert call(w, "survive")["ok"] == "started"
        assert _survivors(), "the attack did not start its sleeper"
    finally:
        w.close()
    left = _survivors()
    for pid in left:
        os.kill(pid, 9)
    assert left == []


def test_nothing_survives_a_killed_worker_either(template, tmp_path):
    w, _ = _spawn(template, tmp_path)
    assert call(w, "survive")["ok"] == "started"
    w.kill()
    left = _survivors()
    for pid in left:
        os.kill(pid, 9)
    assert left == []


def test_scratch_size_is_limited(template, tmp_path):
    w, _ = _spawn(template, tmp_path, scratch_mb=16)
    try:
        if not any("tmpfs" in a for a in applied(w)):
            pytest.skip("no mount namespace on this host")
        error = call(w, "fill_disk", 64)["error"]
        assert error["exception"] == "OSError" and "No space left on device" in error["message"]
        assert call(w, "add", 1, 2)["ok"] == 3  # the call failed, the worker goes on
    finally:
        w.close()


def test_scratch_file_count_is_limited(template, tmp_path):
    w, _ = _spawn(template, tmp_path, scratch_files=50)
    try:
        if not any("tmpfs" in a for a in applied(w)):
            pytest.skip("no mount namespace on this host")
        error = call(w, "many_files", 500)["error"]
        assert "No space left on device" in error["message"]
    finally:
        w.close()


def test_the_worker_never_runs_as_root(worker):
    uid, euid = call(worker, "whoami")["ok"]
    assert uid != 0 and euid != 0
    assert "unprivileged user" in applied(worker)


def test_the_worker_cannot_read_shadow_or_the_graders_environment(worker):
    for path in ("/etc/shadow", f"/proc/{os.getpid()}/environ", "/proc/1/environ"):
        assert "error" in call(worker, "read", path), path


@pytest.mark.parametrize("func", ["meta_tensor", "recursive_list"])
def test_a_value_that_cannot_be_encoded_is_reported_and_the_worker_lives(worker, func):
    error = call(worker, func)["error"]
    assert error["type"] == "unsendable"
    assert call(worker, "add", 2, 3)["ok"] == 5


def test_an_exception_whose_str_raises_is_still_reported(worker):
    error = call(worker, "bad_exception")["error"]
    assert error["exception"] == "Loud" and "str() failed" in error["message"]
    assert call(worker, "add", 2, 3)["ok"] == 5


def test_the_confinement_report_comes_before_student_code(worker):
    """The worker cannot forge its confinement notes: they are its first frame, read once."""
    assert "Landlock ABI" in " ".join(applied(worker)) or worker.confinement["missing"]
    before = dict(worker.confinement)
    call(worker, "add", 1, 1)
    assert worker.confinement == before
