"""The plotting package: importing tokendemand does not load matplotlib."""

from __future__ import annotations

import subprocess
import sys


def test_import_does_not_load_matplotlib() -> None:
    code = (
        "import sys, tokendemand, tokendemand.plotting, tokendemand.report; "
        "print('matplotlib' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
