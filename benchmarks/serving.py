"""`regqa bench` against a running `regqa serve --no-chat`: steady load (:func:`bench_api`)
and the overload scenario (:func:`bench_overload`), a burst far above what it can answer.

`regqa serve --no-chat` is started once; 20 clients measure what it answers per second
unloaded, then 200 clients send unique questions (every tenth request a hostile body) while a
probe polls /healthz. Reported: admitted answers per second and their p50/p99, requests shed
(503), statuses outside {200, 4xx for bad bodies, 503}, /healthz p99, and the load
generator's own CPU time (it shares the 2 cores)."""

from __future__ import annotations

import asyncio
import contextlib
import json
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx

from benchmarks.measure import child_env, free_port, peak_rss_mib, summary_ms

HOSTILE: list[Any] = [b'{"question": ', {"question": "x" * 5000}, {"question": ""}, {"q": 1}]


Log = Callable[[str], None]


@contextlib.contextmanager
def served(data_dir: Path, **env: str) -> Iterator[tuple[str, int]]:
    """`regqa serve --no-chat` on a free port, once ready: (url, pid)."""
    port = free_port()
    environ = child_env(REGQA_DATA_DIR=str(data_dir), REGQA_RATE_LIMIT_PER_MINUTE="10000000", **env)
    proc = subprocess.Popen(
        [sys.executable, "-m", "regqa", "serve", "--no-chat", "--port", str(port)],
        env=environ,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{url}/readyz", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            time.sleep(0.2)
        else:
            raise RuntimeError("regqa serve did not become ready")
        yield url, proc.pid
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def bench_api(
    data_dir: Path, questions: list[str], requests: int, concurrency: int, log: Log
) -> dict[str, Any]:
    with served(data_dir) as (url, pid):
        result = asyncio.run(_load(url, questions, requests, concurrency))
        result["peak_rss_mib"] = peak_rss_mib(pid)
    log(
        f"api: {result['answers_per_s']} answers/s, p95 {result['latency']['p95_ms']} ms, "
        f"errors {result['errors']}"
    )
    return result


async def _load(url: str, questions: list[str], requests: int, concurrency: int) -> dict[str, Any]:
    gate = asyncio.Semaphore(concurrency)
    latencies: list[float] = []
    errors = 0
    async with httpx.AsyncClient(
        base_url=url, timeout=60, limits=httpx.Limits(max_connections=concurrency)
    ) as client:

        async def one(n: int) -> None:
            nonlocal errors
            async with gate:
                t = time.perf_counter()
                try:
                    r = await client.post(
                        "/v1/ask", json={"question": questions[n % len(questions)]}
                    )
                    ok = r.status_code == 200
                except httpx.HTTPError:
                    ok = False
                latencies.append((time.perf_counter() - t) * 1000)
                errors += not ok

        started = time.perf_counter()
        await asyncio.gather(*(one(n) for n in range(requests)))
        elapsed = time.perf_counter() - started
    return {
        "requests": requests,
        "concurrency": concurrency,
        "seconds": round(elapsed, 2),
        "answers_per_s": round((requests - errors) / elapsed, 1),
        "errors": errors,
        "latency": summary_ms(latencies),
    }


def _unique(questions: list[str], n: int) -> str:
    return f"{questions[n % len(questions)]} (case {n})"  # defeats the query cache


async def _burst(url: str, questions: list[str], requests: int, clients: int) -> dict[str, Any]:
    """One load generator: ``clients`` concurrent clients, ``requests`` in all (every tenth a
    hostile body). Raw latencies of admitted answers, statuses, and its own wall time."""
    gate = asyncio.Semaphore(clients)
    admitted: list[float] = []
    statuses: dict[str, int] = {}
    odd = 0
    limits = httpx.Limits(max_connections=clients)
    async with httpx.AsyncClient(base_url=url, timeout=120, limits=limits) as client:

        async def one(n: int) -> None:
            nonlocal odd
            async with gate:
                hostile = n % 10 == 9
                body = HOSTILE[n % len(HOSTILE)] if hostile else {"question": _unique(questions, n)}
                t = time.perf_counter()
                try:
                    if isinstance(body, bytes):
                        r = await client.post(
                            "/v1/ask", content=body, headers={"content-type": "application/json"}
                        )
                    else:
                        r = await client.post("/v1/ask", json=body)
                    status = r.status_code
                except httpx.HTTPError:
                    status = -1
                statuses[str(status)] = statuses.get(str(status), 0) + 1
                # a hostile body is refused (4xx), or shed before it is read (503)
                odd += status not in ({400, 413, 422, 503} if hostile else {200, 503})
                if status == 200:
                    admitted.append((time.perf_counter() - t) * 1000)

        started = time.perf_counter()
        await asyncio.gather(*(one(n) for n in range(requests)))
        elapsed = time.perf_counter() - started
    return {"seconds": elapsed, "admitted_ms": admitted, "statuses": statuses, "unexpected": odd}


_CHILD = """
import asyncio, json, resource, sys
from benchmarks.serving import _burst
url, requests, clients, offset = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
questions = json.loads(sys.stdin.read())
out = asyncio.run(_burst(url, questions[offset:] + questions[:offset], requests, clients))
use = resource.getrusage(resource.RUSAGE_SELF)
out["cpu_s"] = use.ru_utime + use.ru_stime
print(json.dumps(out))
"""
_PROBE = """
import json, os, sys, time, httpx
url, stop = sys.argv[1], sys.argv[2]
lat = []
with httpx.Client(timeout=30) as c:
    while not os.path.exists(stop):
        t = time.perf_counter(); c.get(url + "/healthz"); lat.append((time.perf_counter() - t) * 1000)
        time.sleep(0.05)
print(json.dumps(lat))
"""


def _load_processes(
    url: str, questions: list[str], requests: int, clients: int, processes: int
) -> dict[str, Any]:
    """The load from ``processes`` generator processes (one Python process cannot drive 200
    clients without becoming the bottleneck), with /healthz probed from another process."""
    stop = Path(tempfile.mkdtemp(prefix="regqa-probe-")) / "stop"
    probe = subprocess.Popen(
        [sys.executable, "-c", _PROBE, url, str(stop)], stdout=subprocess.PIPE, text=True
    )
    started = time.perf_counter()
    children = [
        subprocess.Popen(
            [
                sys.executable,
                "-c",
                _CHILD,
                url,
                str(requests // processes),
                str(clients // processes),
                str(k * 7),
            ],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        for k in range(processes)
    ]
    outs = [json.loads(c.communicate(json.dumps(questions))[0]) for c in children]
    elapsed = time.perf_counter() - started
    stop.touch()
    health = json.loads(probe.communicate(timeout=60)[0] or "[]")
    admitted = [ms for o in outs for ms in o["admitted_ms"]]
    statuses: dict[str, int] = {}
    for o in outs:
        for k, v in o["statuses"].items():
            statuses[k] = statuses.get(k, 0) + v
    return {
        "requests": requests // processes * processes,
        "clients": clients // processes * processes,
        "processes": processes,
        "seconds": round(elapsed, 2),
        "admitted_per_s": round(len(admitted) / elapsed, 1),
        "admitted": summary_ms(admitted) if admitted else {"p50_ms": None, "p99_ms": None},
        "shed": statuses.get("503", 0),
        "statuses": dict(sorted(statuses.items())),
        "unexpected": sum(o["unexpected"] for o in outs),
        "load_generator_cpu_s": round(sum(o["cpu_s"] for o in outs), 1),
        "healthz": summary_ms(health) if health else {"p99_ms": None},
    }


def bench_overload(
    data_dir: Path,
    questions: list[str],
    log: Log,
    requests: int = 1000,
    env: dict[str, str] | None = None,
) -> dict[str, Any]:
    with served(data_dir, **(env or {})) as (url, _):
        base = _load_processes(url, questions, requests // 5, 20, 2)
        burst = _load_processes(url, questions[::-1], requests, 200, 4)
    result = {
        "baseline_20": base,
        "burst_200": burst,
        "admitted_share_of_baseline": round(
            burst["admitted_per_s"] / max(base["admitted_per_s"], 0.1), 3
        ),
    }
    log(
        f"overload: 20 clients {base['admitted_per_s']}/s; 200 clients {burst['admitted_per_s']}/s "
        f"admitted (p99 {burst['admitted']['p99_ms']} ms), {burst['shed']} shed, "
        f"{burst['unexpected']} unexpected, /healthz p99 {burst['healthz']['p99_ms']} ms, "
        f"load generators {burst['load_generator_cpu_s']} s CPU"
    )
    return result
