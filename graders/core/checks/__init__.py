"""The checks a submission goes through, in the order graders.core.grade.grade_loaded runs them.

    symbolic_answers   answer and derivation blocks against hidden keys (parent only, no worker)
    pytest_suites      the hidden suites (or the public tests) against the sandboxed worker
    static_rules       declared source rules, judged only for parts where some test passed

Each returns a list of Outcome; scoring them is graders.core.scoring's business.
"""
