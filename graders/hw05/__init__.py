"""hw05 hidden material: suites, cases, keys and known-wrong formulas (instructor only)."""
