"""Shared test configuration: a non-interactive matplotlib backend and a per-run compile cache."""

from __future__ import annotations

import os

os.environ.setdefault("MPLBACKEND", "Agg")
