"""Batch grading of a whole assignment download from an LMS."""
