"""The ``tokendemand`` command line: :func:`main` is the console script.

Modules: :mod:`~tokendemand.cli.main` (the parser), :mod:`~tokendemand.cli.run` (the main job),
:mod:`~tokendemand.cli.backtest`, :mod:`~tokendemand.cli.commands` (``calc``, ``datasets``,
``scenarios``, ``validate``) and :mod:`~tokendemand.cli.common` (what they share).
"""

from __future__ import annotations

from tokendemand.cli.main import main

__all__ = ["main"]
