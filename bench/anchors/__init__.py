"""Anchors for the batch benchmark: the same hw03 submissions graded by Otter-Grader and nbgrader.

Opt-in only (run by bench/bench_anchors.py, never collected by pytest): each tool is installed in
its own virtual environment under bench/.anchors-venvs/ and given notebooks equivalent to the
submissions of bench/make_batch.py, with checks equivalent to exercises/hw03/tests.
"""
