"""The public surface is what __all__ says, and importing the package stays cheap."""
import subprocess
import sys

import graders


def test_all_names_resolve():
    for name in graders.__all__:
        assert getattr(graders, name) is not None


def test_import_graders_does_not_import_torch():
    code = "import sys, graders, graders.cli; print('torch' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"
