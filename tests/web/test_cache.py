"""The analysis cache: values expire, concurrent requests compute once, writes clear it."""

from __future__ import annotations

import threading
import time

from migmap.web.cache import TTLCache


def test_values_are_reused_then_refreshed_in_the_background():
    cache = TTLCache(ttl=0.2)
    calls = []
    assert cache.get_or_compute("k", lambda: calls.append(1) or len(calls)) == 1
    assert cache.get_or_compute("k", lambda: calls.append(1) or len(calls)) == 1
    time.sleep(0.25)
    # expired: the old value is answered at once while a thread recomputes it
    assert cache.get_or_compute("k", lambda: calls.append(1) or len(calls)) == 1
    deadline = time.time() + 5
    while cache.get_or_compute("k", lambda: 0) != 2 and time.time() < deadline:
        time.sleep(0.02)
    assert cache.get_or_compute("k", lambda: 0) == 2


def test_concurrent_requests_compute_once():
    cache = TTLCache(ttl=60)
    calls = []

    def slow():
        calls.append(1)
        time.sleep(0.2)
        return "value"

    results = []
    threads = [threading.Thread(target=lambda: results.append(cache.get_or_compute("k", slow))) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results == ["value"] * 8 and len(calls) == 1


def test_clear_and_size_limit():
    cache = TTLCache(ttl=60, max_entries=3)
    for i in range(5):
        cache.get_or_compute(i, lambda i=i: i)
    assert len(cache._data) == 3
    cache.clear()
    assert cache.get_or_compute(0, lambda: "fresh") == "fresh"


def test_a_change_of_the_data_stamp_clears_the_cache_even_before_the_ttl():
    from migmap.web.cache import TTLCache

    stamp = [1]
    cache = TTLCache(ttl=3600, stamp=lambda: stamp[0])
    assert cache.get_or_compute(("k",), lambda: "old") == "old"
    assert cache.get_or_compute(("k",), lambda: "new") == "old"
    stamp[0] = 2  # another process wrote
    assert cache.get_or_compute(("k",), lambda: "new") == "new"


def test_a_value_computed_while_the_data_changed_is_not_kept():
    from migmap.web.cache import TTLCache

    stamp = [1]
    cache = TTLCache(ttl=3600, stamp=lambda: stamp[0])

    def compute_during_a_write():
        stamp[0] += 1
        return "computed from data that just changed"

    assert cache.get_or_compute(("k",), compute_during_a_write) == "computed from data that just changed"
    assert cache.get_or_compute(("k",), lambda: "fresh") == "fresh"
