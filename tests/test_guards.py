"""API guards without a server: keys, the per-key token bucket (fast tier)."""

from __future__ import annotations

import time

from assistant.surfaces.guards import RateLimiter, check_key, key_id


def test_keys_are_checked_in_constant_form_and_named_by_hash() -> None:
    keys = ["alpha-key", "beta-key"]
    assert check_key("Bearer beta-key", keys) == key_id("beta-key")
    assert check_key("bearer  alpha-key ", keys) == key_id("alpha-key")
    for bad in (None, "", "beta-key", "Bearer wrong", "Basic beta-key"):
        assert check_key(bad, keys) is None
    assert "beta" not in key_id("beta-key") and key_id("a") != key_id("b")


def test_bucket_allows_a_burst_then_says_when_to_retry() -> None:
    limiter = RateLimiter(per_minute=3)
    assert [limiter.take("k") for _ in range(3)] == [0.0, 0.0, 0.0]
    wait = limiter.take("k")
    assert 0 < wait <= 20.0  # one token per 20 s
    assert limiter.take("other") == 0.0  # buckets are per client


def test_bucket_refills_over_time() -> None:
    limiter = RateLimiter(per_minute=600)  # one token per 0.1 s
    for _ in range(600):
        limiter.take("k")
    assert limiter.take("k") > 0
    time.sleep(0.25)
    assert limiter.take("k") == 0.0
