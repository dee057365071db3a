"""Per-sender token buckets: a person typing a few commands a second is never limited."""

from __future__ import annotations

import time
from collections.abc import Callable

from riverboat.server.settings import RateLimit


class RateLimiter:
    def __init__(self, limit: RateLimit, clock: Callable[[], float] = time.monotonic) -> None:
        self._limit = limit
        self._clock = clock
        self._buckets: dict[str, tuple[float, float]] = {}

    def allow(self, key: str) -> bool:
        """Take one token for ``key``; False when its bucket is empty."""
        now = self._clock()
        tokens, last = self._buckets.get(key, (self._limit.burst, now))
        tokens = min(self._limit.burst, tokens + (now - last) * self._limit.per_second)
        if tokens < 1.0:
            self._buckets[key] = (tokens, now)
            return False
        self._buckets[key] = (tokens - 1.0, now)
        if len(self._buckets) > 10_000:
            self._forget_full(now)
        return True

    def _forget_full(self, now: float) -> None:
        limit = self._limit
        self._buckets = {
            k: (t, last)
            for k, (t, last) in self._buckets.items()
            if t + (now - last) * limit.per_second < limit.burst
        }
