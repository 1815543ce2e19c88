#!/usr/bin/env bash
# Gradescope: runs once when the autograder image is built. Everything goes into a
# virtual environment (newer images refuse pip into the system Python: PEP 668).
set -euo pipefail
cd "$(dirname "$0")"
VENV="${AUTOGRADER_ROOT:-/autograder}/venv"
python3 -m venv "$VENV"
"$VENV/bin/python" -m pip install --upgrade pip
"$VENV/bin/python" -m pip install torch==2.13.0 --index-url https://download.pytorch.org/whl/cpu \
  || "$VENV/bin/python" -m pip install torch==2.13.0
"$VENV/bin/python" -m pip install ./course
