"""A small batch's rows and reports for the dashboard tests: graded, rejected and missing entries,
hostile names, translated messages, a failed derivation chain (no grading needed)."""
from __future__ import annotations

from pathlib import Path

from graders.core.batch.layouts import Identity
from graders.core.batch.outputs import Row, write_outputs
from graders.core.report import Report, TestResult
from graders.i18n import Renderer, _

HOSTILE = '<script>alert(1)</script><img src=http://evil.example/x.png>"&\u202e'
DERIVATION = "```derivation softmax_jacobian\ny_i = e^{x_i}\n= y_i(1 - y_i) <b>\n= 3\n```\n"


def _chain_message(line: int) -> str:
    step = _("step {step} (line {line})").format(step=2, line=line)
    return _("{step} does not follow from {previous}: {difference}").format(
        step=step, previous=_("step {step}").format(step=1), difference="y_i")


def report(i: int) -> Report:
    """Student i: the stability test passes for the better half, the chain fails for every third."""
    good, chain_ok = i % 2 == 0, i % 3 != 0
    tests = (TestResult("softmax::stable", "softmax", "passed" if good else "failed", 5.0 if good else 0.0, 5.0,
                        "" if good else _("softmax returned nan"), "" if good else _("subtract the max before exp")),
             TestResult("softmax::sums", "softmax", "passed", 5.0, 5.0),
             TestResult("derivation::derivation_softmax_jacobian", "derivation", "passed" if chain_ok else "failed",
                        10.0 if chain_ok else 0.0, 10.0, "" if chain_ok else _chain_message(3)))
    score = sum(t.score for t in tests)
    return Report("hw03", f"entry{i}.zip", "graded", score, 20.0, 1.0, {}, tests)


def rows(n: int = 9) -> list[tuple[Row, Report | None]]:
    """n graded students (the first with a hostile name), one rejected entry, one missing student."""
    out: list[tuple[Row, Report | None]] = []
    for i in range(n):
        sid, name = str(2023001 + i), HOSTILE if i == 0 else f"张{i}"
        r = report(i)
        parts = {p: s for p, (s, _m) in r.parts().items()}
        out.append((Row(sid, name, "graded", r.score, 20.0, parts, i == 1, 1, 1.0, f"{sid}_{i}.zip", ""), r))
    out.append((Row("", "", "rejected", 0.0, 20.0, {}, False, 1, 0.0, "../<b>evil</b>.rar",
                    _("no submission found")), None))
    out.append((Row("2029999", "缺交的学生", "missing", 0.0, 20.0, {}, False, 0, 0.0, "", _("no submission found")), None))
    return out


def write_sample(outdir: Path, lang: str = "en", n: int = 9) -> list[tuple[Row, Report | None]]:
    """Every batch output of the sample into outdir (as `grade batch` writes them); returns the rows."""
    sample = rows(n)
    identities = {r.student_id: Identity(r.student_id, r.name, r.late, "", "canvas", r.file)
                  for r, _rep in sample if r.status == "graded"}
    write_outputs(sample, ["softmax", "derivation"], identities, "reconciliation", [], outdir, Renderer(lang),
                  derivations={"2023001": DERIVATION})
    return sample
