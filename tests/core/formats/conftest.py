"""Reports shared by the format tests: several parts, every test status, Chinese text."""
from __future__ import annotations

import pytest

from graders.core.report import Report, TestResult

TESTS = (
    TestResult("softmax::stable_for_large_logits", "softmax", "failed", 0.0, 5.0,
               "softmax([1000., 0.]) returned nan", "subtract the max before exp"),
    TestResult("softmax::sums_to_one", "softmax", "passed", 5.0, 5.0),
    TestResult("softmax::partial", "softmax", "failed", 2.5, 5.0,
               "2 of 4 rows wrong | tol=1e-6\nrow 3 off by 0.5", "check the axis"),
    TestResult("attention::掩码形状", "attention", "error", 0.0, 5.0,
               "张量形状不匹配：期望 (2, 3)", "检查 mask 的维度", visibility="hidden"),
    TestResult("attention::causal", "attention", "timeout", 0.0, 5.0,
               "no answer within 10 s", visibility="hidden"),
    TestResult("attention::flash", "attention", "skipped", 0.0, 0.0, "needs CUDA"),
    TestResult("optim::adam_step", "optim", "passed", 10.0, 10.0, visibility="hidden"),
)


@pytest.fixture
def report() -> Report:
    """A graded report: 17.5 / 35 over three parts."""
    return Report(
        assignment="hw03", submission="张三_作业3", status="graded",
        score=17.5, max_score=35.0, duration_s=1.9,
        environment={"device": "cpu", "torch": "2.3.0", "python": "3.11.7"},
        tests=TESTS, notes=("sandbox: network isolation unavailable on this host",),
    )


@pytest.fixture
def public_report(report: Report) -> Report:
    """Only the public checks, all of which passed."""
    public = tuple(t for t in TESTS if t.visibility == "visible" and t.status == "passed")
    return report.with_changes(tests=public, score=5.0, max_score=5.0, public_only=True)


@pytest.fixture
def ungraded() -> Report:
    """A submission that could not be graded at all."""
    return Report(
        assignment="hw03", submission="李四.zip", status="rejected",
        score=0.0, max_score=35.0, duration_s=0.1,
        message="archive entry ../../etc/passwd escapes the submission folder",
    )
