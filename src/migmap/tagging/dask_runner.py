"""A Dask distributed client: a real scheduler at an address, or a local cluster of N workers.

>>> from migmap.tagging.dask_runner import dask_client
>>> with dask_client(workers=2) as client:          # doctest: +SKIP
...     client.submit(sum, [1, 2]).result()
3
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterator

from .model_io import TaggerError

__all__ = ["dask_client"]


@contextlib.contextmanager
def dask_client(workers: int | None = None, scheduler: str | None = None) -> Iterator[object]:
    """Connect to ``scheduler`` (e.g. ``tcp://10.0.0.5:8786``) or start ``workers`` local worker processes."""
    try:
        from distributed import Client, LocalCluster
    except ImportError:
        raise TaggerError('Dask is not installed: pip install "migmap[dask]" (or "dask[distributed]")') from None
    for name in ("distributed", "distributed.worker", "distributed.scheduler", "distributed.nanny", "distributed.core"):
        logging.getLogger(name).setLevel(logging.ERROR)
    if scheduler:
        try:
            client = Client(scheduler, timeout="10s")
        except (OSError, TimeoutError) as exc:
            raise TaggerError(f"cannot reach the Dask scheduler at {scheduler}: {exc}") from None
        try:
            yield client
        finally:
            client.close()
        return
    n = workers or 1
    if n < 1:
        raise TaggerError(f"--workers must be at least 1, got {n}")
    cluster = LocalCluster(n_workers=n, threads_per_worker=1, processes=True, dashboard_address=":0", silence_logs=logging.CRITICAL)
    client = Client(cluster)
    try:
        yield client
    finally:
        client.close()
        cluster.close()
