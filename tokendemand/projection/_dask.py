"""Running a sweep's blocks: in this process, or as dask tasks (the ``[scale]`` extra).

``scheduler="local"`` runs the blocks one after the other here. ``scheduler="dask"`` hands them
to dask as delayed tasks and lets dask choose where they run: the default
:class:`distributed.Client` if one is active (a laptop's ``LocalCluster``, or a cluster started
with dask-jobqueue or dask-kubernetes), else dask's thread pool. Passing a
:class:`distributed.Client` runs them on that client. The blocks and their arguments are the
same in every case, so the results are identical.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import Any

from tokendemand.errors import ConfigError

__all__ = ["check_scheduler", "run_blocks"]

_MISSING = (
    "scheduler={!r} needs dask and distributed: pip install 'tokendemand[scale]' "
    "(or pip install 'dask[distributed]'), or use scheduler='local'"
)


def _is_client(scheduler: Any) -> bool:
    try:
        from distributed import Client
    except ImportError:  # without distributed there is no client to be
        return False
    return isinstance(scheduler, Client)


def check_scheduler(scheduler: Any) -> None:
    """Raise a :class:`ConfigError` for an unknown scheduler or a missing dask."""
    if scheduler == "local" or _is_client(scheduler):
        return
    if scheduler != "dask":
        raise ConfigError(
            f"scheduler must be 'local', 'dask' or a distributed.Client, got {scheduler!r}"
        )
    try:
        import dask  # noqa: F401
    except ImportError:
        raise ConfigError(_MISSING.format(scheduler)) from None


def run_blocks(
    function: Callable[..., dict[str, Any]],
    job: Any,
    blocks: Sequence[tuple[Any, ...]],
    scheduler: Any,
) -> Iterator[tuple[tuple[Any, ...], dict[str, Any]]]:
    """``(block, function(job, *block))`` for every block, in order."""
    check_scheduler(scheduler)
    if scheduler == "local":
        for block in blocks:
            yield block, function(job, *block)
        return
    import dask

    shared = dask.delayed(job, pure=True)  # one copy of the job in the graph
    tasks = [dask.delayed(function, pure=True)(shared, *block) for block in blocks]
    if _is_client(scheduler):
        results = scheduler.compute(tasks, sync=True)
    else:
        results = dask.compute(*tasks)
    yield from zip(blocks, results, strict=True)
