"""The sandbox's promises, checked against a real warm template and real workers.

Each test hands a tiny student module to a fresh worker and asserts what the
worker could or could not do. Mechanisms the host lacks are skipped with the
reason the report would give.
"""
from __future__ import annotations

import os
from pathlib import Path

import pytest
import torch

from graders.core.sandbox import Limits, Template, WorkerConfig, WorkerDied, WorkerTimeout
from graders.core.sandbox.child import landlock

ROOT = Path(__file__).resolve().parents[1]
HIDDEN = [str(ROOT / "graders"), str(ROOT / "reference"), str(ROOT / "submissions")]

STUDENT = '''
import os, socket, subprocess, time
import torch

def add(a, b):
    return a + b

def read(path):
    with open(path) as fh:
        return fh.read()

def write(path, text):
    with open(path, "w") as fh:
        fh.write(text)
    return path

def env():
    return dict(os.environ)

def connect(host, port):
    socket.create_connection((host, port), timeout=2).close()
    return "connected"

def spin():
    while True:
        pass

def sleeper_then_spin(tag):
    subprocess.Popen(["/bin/sleep", tag])
    spin()

def die():
    os._exit(7)

def allocate(gib):
    return torch.empty(int(gib * 2**30), dtype=torch.uint8).fill_(1).sum().item()

def forks(n):
    made = 0
    for _ in range(n):
        try:
            pid = os.fork()
        except OSError:
            break
        if pid == 0:
            time.sleep(30)
            os._exit(0)
        made += 1
    return made

def big_file(mib):
    with open("big.bin", "wb") as fh:
        fh.write(b"x" * (mib * 2**20))
    return "written"

def unsendable():
    return object()

def uid():
    return os.getuid(), os.getpid()
'''


@pytest.fixture(scope="module")
def template():
    with Template() as t:
        yield t


@pytest.fixture
def worker(template, tmp_path):
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    (scratch / "student.py").write_text(STUDENT)
    config = WorkerConfig(scratch=str(scratch), hidden=HIDDEN, limits=Limits(memory_mb=512, processes=16, file_size_mb=4))
    w = template.spawn(config)
    yield w
    w.close()


def call(worker, func, *args, timeout=10):
    return worker.request({"op": "call", "module": "student", "func": func, "args": list(args), "kwargs": {}}, timeout)


def confinement(worker):
    worker.request({"op": "ping"}, 10)
    return worker.confinement


def test_values_cross_the_pipe_as_tensors(worker):
    reply = call(worker, "add", torch.ones(2, 3), torch.full((2, 3), 2.0))
    assert torch.equal(reply["ok"], torch.full((2, 3), 3.0))


def test_student_exception_comes_back_as_data(worker):
    reply = call(worker, "read", "/no/such/file")
    assert reply["error"]["exception"] == "FileNotFoundError"
    assert reply["error"]["where"].startswith("student.py:")


def test_worker_cannot_read_hidden_suites(worker):
    if not any("Landlock" in a for a in confinement(worker)["applied"]):
        pytest.skip("Landlock unavailable on this host")
    reply = call(worker, "read", str(ROOT / "graders" / "hw03" / "test_softmax.py"))
    assert reply["error"]["exception"] == "PermissionError"
    reply = call(worker, "read", str(ROOT / "reference" / "hw03" / "softmax.py"))
    assert reply["error"]["exception"] == "PermissionError"


def test_worker_cannot_write_outside_scratch(worker, tmp_path):
    if not any("Landlock" in a for a in confinement(worker)["applied"]):
        pytest.skip("Landlock unavailable on this host")
    reply = call(worker, "write", str(tmp_path / "results.json"), '{"score": 100}')
    assert reply["error"]["exception"] == "PermissionError"
    assert not (tmp_path / "results.json").exists()
    assert call(worker, "write", "results.json", "{}")["ok"] == "results.json"  # its own scratch is fine


def test_environment_is_scrubbed(worker, monkeypatch):
    env = call(worker, "env")["ok"]
    assert "VIRTUAL_ENV" not in env and "GRADERS_COURSE" not in env
    assert env["HOME"] == env["TMPDIR"]
    assert set(env) <= {"PATH", "HOME", "TMPDIR", "LANG", "OMP_NUM_THREADS", "MKL_NUM_THREADS", "PYTHONDONTWRITEBYTECODE"}


def test_no_network(worker):
    applied = confinement(worker)["applied"]
    if not any(a.startswith(("network namespace", "no TCP")) for a in applied):
        pytest.skip("no network isolation on this host")
    reply = call(worker, "connect", "127.0.0.1", 22)
    assert reply["error"]["exception"] in ("ConnectionRefusedError", "PermissionError", "OSError")


def test_timeout_kills_the_whole_process_group(worker):
    tag = "4321.5"
    with pytest.raises(WorkerTimeout):
        call(worker, "sleeper_then_spin", tag, timeout=1.5)
    assert not worker.alive
    worker.template.exit_code(worker.pid, timeout=3)
    survivors = []
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            if tag in Path(f"/proc/{pid}/cmdline").read_bytes().decode(errors="replace"):
                survivors.append(pid)
        except OSError:
            continue
    assert survivors == []


def test_exit_is_reported_with_its_status(worker):
    with pytest.raises(WorkerDied, match="exited with status 7"):
        call(worker, "die")


def test_memory_limit_turns_into_an_error(worker):
    reply = call(worker, "allocate", 4)
    assert reply["error"]["exception"] in ("RuntimeError", "MemoryError")


def test_process_limit(worker):
    applied = confinement(worker)["applied"]
    if not any("processes" in a or "unprivileged" in a for a in applied):
        pytest.skip("no process-count limit on this host")
    made = call(worker, "forks", 200, timeout=20)["ok"]
    assert made < 16


def test_file_size_limit(worker):
    reply = call(worker, "big_file", 8)
    assert reply["error"]["exception"] == "OSError"
    assert "File too large" in reply["error"]["message"]


def test_unsendable_result_is_an_error_not_a_crash(worker):
    reply = call(worker, "unsendable")
    assert reply["error"]["type"] == "unsendable"
    assert torch.equal(call(worker, "add", torch.ones(1), torch.ones(1))["ok"], torch.full((1,), 2.0))


def test_each_worker_is_a_fresh_process(template, tmp_path):
    pids = set()
    for n in range(2):
        scratch = tmp_path / f"s{n}"
        scratch.mkdir()
        (scratch / "student.py").write_text(STUDENT)
        w = template.spawn(WorkerConfig(scratch=str(scratch), hidden=HIDDEN))
        pids.add(w.pid)
        w.close()
    assert len(pids) == 2 and template.process.pid not in pids


def test_landlock_denies_reads_in_a_forked_child(tmp_path):
    if landlock.abi_version() < 1:
        pytest.skip("Landlock unavailable on this host")
    secret = tmp_path / "secret.txt"
    secret.write_text("answer key")
    pid = os.fork()
    if pid == 0:
        try:
            landlock.restrict(["/usr"], [])
            open(secret).read()
            os._exit(1)
        except PermissionError:
            os._exit(0)
        except BaseException:
            os._exit(2)
    _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0


# --- one warm child per submission (issue 8): speed from shared imports, not shared processes

SAMPLES = ROOT / "submissions" / "hw03"


@pytest.fixture(scope="module")
def shared_template():
    with Template() as template:
        yield template


def _grade(sample: str, template: Template):
    from graders.core.grade import grade_submission

    return grade_submission("hw03", SAMPLES / sample, device="cpu", template=template)


def test_one_worker_serves_all_tests_of_a_submission(shared_template):
    report = _grade("correct", shared_template)
    assert report.score == 100
    assert report.environment["workers"] == 1
    assert report.environment["worker_peak_mb"] > 50  # the kernel's count, torch's image included


def test_a_fault_gets_a_fresh_worker_and_costs_only_its_part(shared_template):
    report = _grade("adversarial_exit_at_import", shared_template)
    assert report.environment["workers"] >= 2
    assert {t.part for t in report.tests if t.status != "passed"} == {"softmax"}


def test_submissions_never_share_a_worker(shared_template, tmp_path):
    """State a submission leaves in its process (here: a mark on the torch module) never reaches the next."""
    import shutil

    sub = tmp_path / "sticky"
    shutil.copytree(SAMPLES / "correct", sub, ignore=shutil.ignore_patterns("expect.toml"))
    source = (sub / "softmax.py").read_text()
    (sub / "softmax.py").write_text(
        "import torch as _t\n_t._graders_seen = getattr(_t, '_graders_seen', 0) + 1\n" + source.replace(
            "def softmax(x, dim=-1):", "def softmax(x, dim=-1):\n    if _t._graders_seen > 1:\n        return x\n", 1))
    from graders.core.grade import grade_submission

    reports = [grade_submission("hw03", sub, device="cpu", template=shared_template) for _ in range(2)]
    assert [r.score for r in reports] == [100, 100]
    assert all(r.environment["workers"] == 1 for r in reports)


def test_worker_cannot_read_hw04_generator_private_seed_or_a_data_file(template, tmp_path):
    data = tmp_path / "data" / "手机价格预测.csv"
    data.parent.mkdir()
    data.write_text("battery_power,price_range\n1000,3\n", encoding="utf-8")
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    (scratch / "student.py").write_text(STUDENT)
    w = template.spawn(WorkerConfig(scratch=str(scratch), hidden=HIDDEN + [str(data)], limits=Limits(memory_mb=512)))
    try:
        if not any("Landlock" in a for a in confinement(w)["applied"]):
            pytest.skip("Landlock unavailable on this host")
        for path in (ROOT / "graders" / "hw04" / "data.py", ROOT / "graders" / "hw04" / "assignment.toml", data):
            assert call(w, "read", str(path))["error"]["exception"] in ("PermissionError", "FileNotFoundError"), path  # denied, or not even visible
        assert not any("HELDOUT" in k for k in call(w, "env")["ok"])
    finally:
        w.close()
