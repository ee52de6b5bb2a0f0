"""`regqa bench --quick`: a smoke test that the benchmark runs and reports its contract keys."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import ROOT

KEYS = {
    "retrieval_p95_ms",
    "answer_p50_ms",
    "cold_start_s",
    "warm_reingest_s",
    "api_answers_per_s",
    "api_errors",
    "speedup_vs_naive",
    "scale",
    "overload_p99_ms",
    "overload_share",
    "overload_unexpected",
    "healthz_p99_ms",
}


@pytest.mark.slow
@pytest.mark.timeout(900)  # past the suite's 300 s: the whole quick run, see below
def test_bench_quick(tmp_path: Path) -> None:
    env = dict(os.environ)
    out = tmp_path / "bench.json"
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "regqa",
            "bench",
            "--quick",
            "--json",
            str(out),
            "--report",
            str(tmp_path / "report"),
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        # the whole quick run took 340-390 s on a slow 2-core machine: this checks that it
        # completes and reports, not how fast (the bench's own targets say that)
        timeout=900,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    data = json.loads(out.read_text())
    assert data.keys() >= KEYS
    assert data["api_errors"] == 0 and set(data["scale"]) == {"1000", "10000"}
    assert data["overload_unexpected"] == 0  # only 200, 503 and 4xx for the hostile bodies
    for key in ("retrieval_p95_ms", "answer_p50_ms", "cold_start_s", "api_answers_per_s"):
        assert isinstance(data[key], (int, float)) and 0 < data[key] < 1e6, key
    assert "PASS" in result.stdout or "FAIL" in result.stdout
    assert (tmp_path / "report" / "latency_vs_size.svg").read_text().startswith("<svg")
