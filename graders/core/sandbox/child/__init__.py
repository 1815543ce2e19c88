"""The child side of the sandbox: the fork server, confinement, and the worker that imports student code.

Imports nothing from graders outside `sandbox/child` and `sandbox/wire`
(tests/test_sandbox_layout.py): what runs next to student code depends on no
parent module.
"""
