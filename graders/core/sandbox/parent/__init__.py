"""The parent side of the sandbox: the fork server's client, worker handles, and grading sessions.

Never imports student code and never confines anything itself: it asks the fork
server (`sandbox/child/forkserver.py`) for workers and talks to them over the wire.
"""
