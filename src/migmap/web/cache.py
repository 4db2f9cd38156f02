"""A small time-limited cache for costly analysis (the network, funder bias, chart specs).

Entries expire after ``ttl`` seconds. With a ``stamp`` (a cheap function whose value changes
with the data, such as the newest revision id), the cache is cleared as soon as the data
changed, whoever changed it: this app, another worker of a team deployment, or the command
line. Every one of them shows an edit on the next request.

    >>> c = TTLCache(ttl=60)
    >>> c.get_or_compute(("k",), lambda: 41 + 1)
    42
    >>> c.get_or_compute(("k",), lambda: 0)
    42
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

T = TypeVar("T")


class TTLCache:
    def __init__(self, ttl: float = 60.0, max_entries: int = 256, stamp: Callable[[], Hashable] | None = None):
        self.ttl = ttl
        self.max_entries = max_entries
        self.stamp = stamp
        self._stamp_seen: Hashable = None
        self._data: dict[Hashable, tuple[float, Any]] = {}
        self._lock = threading.Lock()
        self._key_locks: dict[Hashable, threading.Lock] = {}
        self._refreshing: set[Hashable] = set()

    def _fresh(self, key: Hashable) -> tuple[bool, Any]:
        with self._lock:
            hit = self._data.get(key)
            if hit is not None and time.monotonic() - hit[0] < self.ttl:
                return True, hit[1]
            return False, None

    def _refresh(self, key: Hashable, compute: Callable[[], Any]) -> None:
        """Recompute an expired value in the background (one refresh per key at a time)."""
        with self._lock:
            if key in self._refreshing:
                return
            self._refreshing.add(key)

        def run() -> None:
            try:
                now, seen = time.monotonic(), self._stamp_seen
                self._store(key, now, compute(), seen)
            except Exception:  # the stale value stays; the next request tries again
                pass
            finally:
                with self._lock:
                    self._refreshing.discard(key)

        threading.Thread(target=run, name="migmap-cache-refresh", daemon=True).start()

    def get_or_compute(self, key: Hashable, compute: Callable[[], T]) -> T:
        """The cached value of ``key``, computing it once even when many requests ask at the same time.

        An expired value is still returned while a background thread recomputes it
        (stale-while-revalidate); only a missing value (first use, or after a write) waits."""
        self._clear_if_data_changed()
        ok, value = self._fresh(key)
        if ok:
            return value
        with self._lock:
            hit = self._data.get(key)
        if hit is not None:
            self._refresh(key, compute)
            return hit[1]
        with self._lock:
            key_lock = self._key_locks.setdefault(key, threading.Lock())
        with key_lock:  # one computation per key; the others wait for it
            ok, value = self._fresh(key)
            if ok:
                return value
            now, seen = time.monotonic(), self._stamp_seen
            value = compute()
            self._store(key, now, value, seen)
        return value

    def _clear_if_data_changed(self) -> None:
        if self.stamp is None:
            return
        try:
            now = self.stamp()
        except Exception:  # the database is unreachable: the computation will say so
            return
        if now != self._stamp_seen:
            self.clear()
            self._stamp_seen = now

    def _store(self, key: Hashable, now: float, value: Any, seen: Hashable = None) -> None:
        """Keep ``value``, unless the data changed while it was computed (``seen`` is the stamp then)."""
        with self._lock:
            if seen != self._stamp_seen:
                return
            if len(self._data) >= self.max_entries:
                oldest = min(self._data, key=lambda k: self._data[k][0])
                del self._data[oldest]
            self._data[key] = (now, value)
            if len(self._key_locks) > 4 * self.max_entries:
                self._key_locks = {k: v for k, v in self._key_locks.items() if k in self._data}

    def clear(self) -> None:
        with self._lock:
            self._data.clear()
            self._key_locks.clear()
