"""Graders: a sandboxed grader for a PyTorch deep-learning course.

Public API: grade_submission (one submission -> Report), load_assignment,
list_assignments, Report and TestResult.
"""
from graders.core.grade import grade_submission
from graders.core.report import Report, TestResult
from graders.core.spec import list_assignments, load_assignment

__all__ = ["grade_submission", "load_assignment", "list_assignments", "Report", "TestResult"]
