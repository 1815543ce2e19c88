"""The warm grading server: same reports as a cold run, same isolation, never stale."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from graders.core import server

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "submissions" / "hw03"


def cli(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", "from graders.cli import run; run()", *args],
                          capture_output=True, text=True, cwd=cwd, env=os.environ.copy(), timeout=300)


@pytest.fixture(scope="module")
def running_server():
    info = server.start(idle_s=600)
    yield info
    server.stop()


def _tests(report: dict) -> dict[str, tuple[str, float]]:
    return {t["name"]: (t["status"], t["score"]) for t in report["tests"]}


def test_server_report_equals_a_cold_run(running_server):
    sample = "submissions/hw03/mistake_adam_no_bias_correction"
    warm = cli("hw03", sample, "--format", "json")
    cold = cli("hw03", sample, "--format", "json", "--no-server")
    assert warm.returncode == cold.returncode == 0, warm.stderr + cold.stderr
    warm_report, cold_report = json.loads(warm.stdout), json.loads(cold.stdout)
    assert warm_report["submission"] == cold_report["submission"] == sample
    assert _tests(warm_report) == _tests(cold_report)
    assert warm_report["score"] == cold_report["score"] < 100
    assert server.status()["served"] >= 1


def test_server_keeps_faults_inside_their_part(running_server):
    report = json.loads(cli("hw03", str(SAMPLES / "adversarial_exit_at_import"), "--format", "json").stdout)
    lost = {t["part"] for t in report["tests"] if t["status"] != "passed"}
    assert lost == {"softmax"}
    assert report["environment"]["sandbox"], "the worker was not confined"


def test_server_reports_usage_errors_like_a_cold_run(running_server):
    result = cli("hw99", "submissions/hw03/correct")
    assert result.returncode == 2
    assert "hw99" in result.stderr and "Traceback" not in result.stderr


def test_relative_paths_resolve_in_the_callers_folder(running_server):
    result = cli("hw03", "correct", "--format", "json", cwd=SAMPLES)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["score"] == 100


def test_a_server_running_other_engine_code_stops_and_the_client_grades_here(monkeypatch):
    server.start(idle_s=600)
    monkeypatch.setattr(server, "engine_fingerprint", lambda: "another-engine")
    with pytest.raises(server.ServerUnavailable, match="older engine"):
        server.remote_grade("hw03", SAMPLES / "correct")
    monkeypatch.undo()
    assert server.status() is None


def test_status_and_stop_commands():
    assert "no grading server" in cli("server", "status").stdout
    started = cli("server", "start", "--idle", "5")
    assert started.returncode == 0 and "ready" in started.stdout, started.stderr
    assert "submissions graded, engine current" in cli("server", "status").stdout
    assert "stopped" in cli("server", "stop").stdout
    assert server.status() is None


def test_socket_folder_is_private():
    folder = server.runtime_dir()
    assert folder.stat().st_mode & 0o777 == 0o700


def test_a_process_in_another_network_namespace_gets_no_answer():
    """A sandboxed worker lives in its own network namespace: the server must not serve it."""
    import shutil

    if not shutil.which("unshare") or subprocess.run(["unshare", "--net", "true"]).returncode != 0:
        pytest.skip("unshare --net is not available on this host")
    server.start(idle_s=600)
    probe = ("import json, socket, struct, sys\ns = socket.socket(socket.AF_UNIX); s.settimeout(5)\n"
             "s.connect(sys.argv[1]); b = json.dumps({'op': 'ping'}).encode()\n"
             "try:\n    s.sendall(struct.pack('!I', len(b)) + b); print(repr(s.recv(100)))\n"
             "except (BrokenPipeError, ConnectionResetError):\n    print(repr(b''))")
    result = subprocess.run(["unshare", "--net", sys.executable, "-c", probe, str(server.socket_path())],
                            capture_output=True, text=True, timeout=60)
    assert result.stdout.strip() == "b''", result.stdout + result.stderr  # closed without a word
    assert server.status() is not None  # while the user's own client is still served
    server.stop()
