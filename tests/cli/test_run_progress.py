"""``tokendemand run`` shows progress on stderr through the fit, and ``--quiet`` none."""

from __future__ import annotations

import itertools
import os
import re
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
TINY = ["--dataset", "doubao", "--draws", "60", "--tune", "60", "--max-draws", "60"]
PROGRESS_GAP = 5.0
"""Longest silence allowed on stderr while the model is fitted (seconds)."""


def run(tmp_path: Path, *extra: str) -> tuple[int, list[tuple[float, str]]]:
    """Run the CLI; stderr as ``(seconds since start, record)``, records split at \\r and \\n."""
    env = {**os.environ, "PYTHONPATH": str(ROOT), "OMP_NUM_THREADS": "1", "MPLBACKEND": "Agg"}
    command = [sys.executable, "-m", "tokendemand", "run", *TINY, "--until", "2027-12-31"]
    process = subprocess.Popen(
        [*command, "--out", str(tmp_path / "report"), *extra],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env=env,
        cwd=tmp_path,
    )
    assert process.stderr is not None
    start = time.monotonic()
    records: list[tuple[float, str]] = []

    def read() -> None:
        assert process.stderr is not None
        pending = b""
        while chunk := os.read(process.stderr.fileno(), 4096):
            stamp = time.monotonic() - start
            parts = re.split(rb"[\r\n]", pending + chunk)
            pending = parts.pop()
            records.extend((stamp, p.decode("utf-8", "replace")) for p in parts if p.strip())
        if pending.strip():
            records.append((time.monotonic() - start, pending.decode("utf-8", "replace")))

    reader = threading.Thread(target=read)
    reader.start()
    status = process.wait(timeout=1800)
    reader.join()
    process.stderr.close()
    return status, records


def test_progress_lines_come_at_most_5_seconds_apart_through_the_fit(tmp_path: Path) -> None:
    status, records = run(tmp_path)
    text = [r for _, r in records]
    assert status == 0, "\n".join(text)
    first = next(i for i, r in enumerate(text) if r.startswith("building the model"))
    last = next(i for i, r in enumerate(text) if "fitted in" in r)
    during = records[first : last + 1]
    stages = {r.split(":")[0] for _, r in during}
    assert {"warm-up", "sampling"} <= stages, stages
    assert any(s.startswith("compiling") for s in stages), stages
    assert any(re.search(r"\d+/\d+ .*divergences \d+", r) for _, r in during), text
    gaps = [b - a for (a, _), (b, _) in itertools.pairwise(during)]
    assert max(gaps) <= PROGRESS_GAP, f"silent for {max(gaps):.1f} s during the fit: {text}"


def test_quiet_shows_no_progress(tmp_path: Path) -> None:
    status, records = run(tmp_path, "--quiet")
    assert status == 0
    # what remains on stderr are warnings about the (deliberately tiny) fit, not progress
    others = [r for _, r in records if not r.startswith("tokendemand: warning:")]
    assert others == []
