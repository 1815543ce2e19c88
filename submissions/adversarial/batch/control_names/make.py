"""Build the control_names batch input: LMS file names no git checkout can hold portably.

Usage: python make.py TARGET_FOLDER   (or make(Path) from a test)

Canvas-style names (name_userid_submissionid_file) whose name part carries a
spreadsheet formula, terminal escape sequences (OSC window title, clear screen,
8-bit CSI), BEL, CR and LF, a right-to-left override, rich markup, and bytes
that are not UTF-8; one submission's import raises an exception whose text is
Markdown and HTML (a link, a remote image, <img>, </details>) plus ESC.
"""
from __future__ import annotations

import os
import sys
from pathlib import Path

HOSTILE_MESSAGE = ("[x](http://evil) ![img](http://remote/a.png) <img src=x onerror=alert(1)> </details> "
                   "\\x1b]0;pwned\\x07\\x1b[2J")
RAISES = f'raise ValueError("{HOSTILE_MESSAGE}")\n'
EMA = '"""A stand-in ema."""\n\n\ndef ema(values, beta=0.9):\n    return values\n'

ENTRIES: dict[str, str] = {
    '=HYPERLINK("x","y")_10001_20001_softmax.py': RAISES,
    "@SUM(A1)_10002_20002_ema.py": EMA,
    "+cmd|' -C calc'!A0_10003_20003_ema.py": EMA,
    "-2+3_10004_20004_ema.py": EMA,
    "\x1b]0;pwned\x07\x1b[2Jesc\rcr\nnl\x9b31mc1\u202eevil_10005_20005_ema.py": EMA,
    "[blink]markup[red]_10006_20006_ema.py": EMA,
}
NOT_UTF8 = b"bad\xffutf8_10007_20007_ema.py"


def make(target: Path) -> Path:
    """Write every entry into `target` (created); returns it."""
    target.mkdir(parents=True, exist_ok=True)
    for name, text in ENTRIES.items():
        (target / name).write_text(text, encoding="utf-8")
    with open(os.path.join(os.fsencode(target), NOT_UTF8), "wb") as fh:
        fh.write(EMA.encode())
    return target


if __name__ == "__main__":
    make(Path(sys.argv[1]))
