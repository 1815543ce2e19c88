"""Run by tests/test_cold_path_memory.py: the cold `grade HW` path, then a fresh worker kept alive to be read.

As `grade HW --no-server` does, the derivations go to a child forked first (start_symbolic), and the
template is forked from this process right after its torch import (Grader(fork=True)), then
this process grades hw03 (hidden suites, golden outputs and keys enter its memory), then spawns a
fresh worker on the same template and waits. It prints one JSON line: its own pid, the template's
pid, the worker's pid; it keeps the hidden files' bytes alive (the scanner's positive control in
this process) until a line arrives on stdin. It holds the file named by its argument open, inheritable.
"""
from __future__ import annotations

import json
import os
import sys
from pathlib import Path

from graders.core.checks.symbolic_answers import start_symbolic
from graders.core.grader import Grader

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    marker = os.open(sys.argv[1], os.O_RDONLY)  # an inheritable descriptor of the grader's: must not reach a worker
    os.set_inheritable(marker, True)
    early = start_symbolic("hw03", ROOT / "submissions" / "hw03" / "correct", None)  # as cli._grade_here does
    grader = Grader(fork=True).start()
    assert grader.template.forked, "the template was not forked from this process"
    from graders.core.spec import load_assignment
    from graders.core.submission import load_submission

    spec = load_assignment("hw03")
    report = grader.grade(spec, ROOT / "submissions" / "hw03" / "correct", early=early)
    assert report.status == "graded" and report.score == report.max_score, report.status
    held = [p.read_bytes() for p in sorted((ROOT / "graders" / "hw03").glob("*.*"))]
    held += [p.read_bytes() for p in sorted((ROOT / "reference" / "hw03" / "golden").glob("*.msgpack"))]
    session = grader.session(spec, load_submission(ROOT / "submissions" / "hw03" / "correct", spec))
    session.slot.confinement(30.0)  # a fresh worker, confined, that answered its hello: no student code ran
    print(json.dumps({"parent": os.getpid(), "template": grader.template.process.pid,
                      "worker": session.slot.worker.pid, "held": len(held)}), flush=True)
    sys.stdin.readline()
    session.close()
    grader.close()


if __name__ == "__main__":
    main()
