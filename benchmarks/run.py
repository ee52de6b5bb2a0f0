"""`regqa bench`: how fast and how big regqa is, in one run (JSON, Markdown table, SVG plot).

Sections: ingest (cold, warm), retrieval and answer latency, cold start, the HTTP API under
concurrent clients, scaling on synthetic corpora, and a naive LangChain RAG side by side.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

from benchmarks.measure import child_env, run_child, summary_ms
from benchmarks.serving import bench_api, bench_overload

DATASET = Path(__file__).resolve().parent.parent / "evals" / "datasets" / "core.yaml"
TARGETS: list[tuple[str, str, float, str]] = [
    # key, comparison, goal, label
    ("retrieval_p95_ms", "<=", 30, "warm retrieval p95 (hybrid) ≤ 30 ms"),
    ("answer_p50_ms", "<=", 40, "extractive answer p50 ≤ 40 ms"),
    ("cold_start_s", "<=", 6, "cold start to first answer ≤ 6 s"),
    ("warm_reingest_s", "<=", 2, "warm re-ingest ≤ 2 s"),
    ("api_answers_per_s", ">=", 40, "API ≥ 40 answers/s on 2 cores"),
    ("api_errors", "<=", 0, "API errors = 0"),
    ("overload_p99_ms", "<=", 2000, "200 clients: admitted p99 ≤ 2 s"),
    ("overload_share", ">=", 0.9, "200 clients: admitted/s ≥ 90 % of 20 clients'"),
    ("overload_unexpected", "<=", 0, "200 clients: only 200, 503, 4xx for bad bodies"),
    ("healthz_p99_ms", "<=", 100, "200 clients: /healthz p99 ≤ 100 ms"),
    ("scale_100k_p95_ms", "<=", 80, "100k units retrieval p95 ≤ 80 ms"),
    ("speedup_vs_naive", ">=", 3, "≥ 3× lower answer latency than the naive pipeline"),
]

Log = Callable[[str], None]


def _questions() -> list[str]:
    cases = yaml.safe_load(DATASET.read_text(encoding="utf-8"))
    return [c["question"] for c in cases if "question" in c]


def bench_ingest(data_dir: Path, log: Log) -> dict[str, Any]:
    env = child_env(REGQA_DATA_DIR=str(data_dir))
    regqa = [sys.executable, "-m", "regqa"]
    cold, cold_rss, _ = run_child([*regqa, "ingest"], env)
    warm, _, warm_out = run_child([*regqa, "ingest"], env)
    chunks = json.loads(
        subprocess.run(
            [*regqa, "corpus", "--json"], env=env, capture_output=True, text=True, check=True
        ).stdout
    )
    log(f"ingest: cold {cold:.1f}s, warm {warm:.2f}s ({'up to date' in warm_out})")
    return {
        "cold_s": round(cold, 2),
        "warm_s": round(warm, 2),
        "chunks": len(chunks),
        "units_per_s": round(len(chunks) / cold, 1),
        "peak_rss_mib": cold_rss,
    }


def bench_latency(data_dir: Path, questions: list[str], rounds: int, log: Log) -> dict[str, Any]:
    from assistant import Assistant, Settings

    out: dict[str, Any] = {}
    for mode in ("dense", "bm25", "hybrid"):
        assistant = Assistant.from_settings(Settings(data_dir=data_dir, retrieval_mode=mode))
        retriever = assistant.retriever
        for q in questions:
            assistant.ask(q)  # warm: models, BM25, Chroma, caches of the sentence index
        times, answers = [], []
        for _ in range(rounds):
            _clear_cache(retriever)
            for q in questions:
                t = time.perf_counter()
                retriever.invoke(q)
                times.append((time.perf_counter() - t) * 1000)
            _clear_cache(retriever)
            for q in questions:
                t = time.perf_counter()
                assistant.ask(q)
                answers.append((time.perf_counter() - t) * 1000)
        out[mode] = {"retrieval": summary_ms(times), "answer": summary_ms(answers)}
        log(
            f"latency {mode}: retrieval p95 {out[mode]['retrieval']['p95_ms']} ms, "
            f"answer p50 {out[mode]['answer']['p50_ms']} ms"
        )
    return out


def _clear_cache(retriever: Any) -> None:
    """Forget cached query embeddings, so timings include embedding the question."""
    clear = getattr(getattr(retriever, "embeddings", None), "clear", None)
    if clear is not None:
        clear()


def bench_cold_start(data_dir: Path, log: Log) -> float:
    env = child_env(REGQA_DATA_DIR=str(data_dir))
    wall, _, out = run_child(
        [sys.executable, "-m", "regqa", "ask", "How long must record backups be kept?", "--json"],
        env,
    )
    assert json.loads(out)["citations"], "cold-start answer had no citations"
    log(f"cold start: {wall:.2f}s")
    return round(wall, 2)


def bench_scale(
    data_dir: Path, sizes: list[int], questions: list[str], work: Path, log: Log
) -> dict[str, Any]:
    from assistant.analysis import Analyser
    from assistant.retriever import HybridRetriever
    from benchmarks.synthetic import build_synthetic
    from ingest.embeddings import QueryCache, make_embeddings
    from ingest.index import Index
    from ingest.settings import IndexSettings

    source = Index.open(IndexSettings(data_dir=data_dir))
    embeddings = QueryCache(make_embeddings(source.meta["embedder"]))
    out: dict[str, Any] = {}
    for size in sizes:
        settings, build_s = build_synthetic(source, size, work / f"scale-{size}")
        index = Index.open(settings)
        retriever = HybridRetriever(index=index, analyser=Analyser(index), embeddings=embeddings)
        for q in questions[:10]:
            retriever.invoke(q)
        _clear_cache(retriever)  # each timing includes embedding the question
        times = []
        for q in questions:
            t = time.perf_counter()
            retriever.invoke(q)
            times.append((time.perf_counter() - t) * 1000)
        out[str(size)] = {"build_s": round(build_s, 1), **summary_ms(times)}
        log(
            f"scale {size}: build {build_s:.1f}s (store + BM25), retrieval p95 {out[str(size)]['p95_ms']} ms"
        )
        shutil.rmtree(work / f"scale-{size}", ignore_errors=True)
    return out


def bench_naive(data_dir: Path, questions: list[str], log: Log) -> dict[str, Any]:
    from assistant import Assistant, Settings
    from evals.naive import NaiveRAG
    from ingest.embeddings import make_embeddings

    ours = Assistant.from_settings(Settings(data_dir=data_dir))
    naive = NaiveRAG(ours.index, make_embeddings(ours.index.meta["embedder"]))
    result: dict[str, Any] = {}
    for name, system in (("regqa", ours), ("naive", naive)):
        for q in questions[:10]:
            system.ask(q)
        _clear_cache(getattr(system, "retriever", None))
        times = []
        for q in questions:
            t = time.perf_counter()
            system.ask(q)
            times.append((time.perf_counter() - t) * 1000)
        result[name] = summary_ms(times)
    result["speedup"] = round(result["naive"]["p50_ms"] / result["regqa"]["p50_ms"], 2)
    log(f"naive: p50 {result['naive']['p50_ms']} ms vs regqa {result['regqa']['p50_ms']} ms")
    return result


def run(quick: bool, log: Log) -> dict[str, Any]:
    questions = _questions()
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="regqa-bench-") as tmp:
        work = Path(tmp)
        data_dir = work / "data"
        sections: dict[str, Any] = {
            "date": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
            "quick": quick,
        }
        sections["ingest"] = bench_ingest(data_dir, log)
        sections["latency"] = bench_latency(data_dir, questions, 1 if quick else 3, log)
        sections["cold_start_s"] = bench_cold_start(data_dir, log)
        sections["api"] = bench_api(data_dir, questions, 200 if quick else 600, 20, log)
        sections["overload"] = bench_overload(data_dir, questions, log, 600 if quick else 1000)
        sizes = [1000, 10_000] if quick else [1000, 10_000, 100_000]
        sections["scale_detail"] = bench_scale(data_dir, sizes, questions[:60], work, log)
        sections["naive"] = bench_naive(data_dir, questions, log)
    sections["seconds"] = round(time.perf_counter() - started, 1)
    hybrid = sections["latency"]["hybrid"]
    sections.update(
        {
            "retrieval_p95_ms": hybrid["retrieval"]["p95_ms"],
            "answer_p50_ms": hybrid["answer"]["p50_ms"],
            "cold_start_s": sections["cold_start_s"],
            "warm_reingest_s": sections["ingest"]["warm_s"],
            "api_answers_per_s": sections["api"]["answers_per_s"],
            "api_errors": sections["api"]["errors"],
            "overload_p99_ms": sections["overload"]["burst_200"]["admitted"]["p99_ms"],
            "overload_share": sections["overload"]["admitted_share_of_baseline"],
            "overload_unexpected": sections["overload"]["burst_200"]["unexpected"],
            "healthz_p99_ms": sections["overload"]["burst_200"]["healthz"]["p99_ms"],
            "speedup_vs_naive": sections["naive"]["speedup"],
            "scale": {size: v["p95_ms"] for size, v in sections["scale_detail"].items()},
            "scale_100k_p95_ms": sections["scale_detail"].get("100000", {}).get("p95_ms"),
        }
    )
    sections["targets"] = [_target(sections, *t) for t in TARGETS]
    return sections


def _target(data: dict[str, Any], key: str, op: str, goal: float, label: str) -> dict[str, Any]:
    value = data.get(key)
    if value is None:
        return {"target": label, "value": None, "result": "SKIP"}
    ok = value <= goal if op == "<=" else value >= goal
    return {"target": label, "value": value, "result": "PASS" if ok else "FAIL"}


def markdown(data: dict[str, Any]) -> str:
    lat = data["latency"]
    lines = [
        f"## regqa bench — {data['date']}{' (quick)' if data['quick'] else ''}",
        "",
        "| target | measured | result |",
        "|---|---|---|",
    ]
    lines += [
        f"| {t['target']} | {t['value'] if t['value'] is not None else '—'} | {t['result']} |"
        for t in data["targets"]
    ]
    ing = data["ingest"]
    lines += [
        "",
        "| measurement | value |",
        "|---|---|",
        f"| ingest cold | {ing['cold_s']} s, {ing['chunks']} chunks, {ing['units_per_s']} chunks/s, "
        f"peak RSS {ing['peak_rss_mib']} MiB |",
        f"| ingest warm (no change) | {ing['warm_s']} s |",
    ]
    for mode in ("dense", "bm25", "hybrid"):
        r, a = lat[mode]["retrieval"], lat[mode]["answer"]
        lines.append(
            f"| {mode}: retrieval p50/p95/p99 | {r['p50_ms']} / {r['p95_ms']} / {r['p99_ms']} ms |"
        )
        lines.append(f"| {mode}: extractive answer p50/p95 | {a['p50_ms']} / {a['p95_ms']} ms |")
    api = data["api"]
    lines += [
        f"| cold start (process → first answer) | {data['cold_start_s']} s |",
        f"| API: {api['requests']} requests, {api['concurrency']} concurrent | {api['answers_per_s']} "
        f"answers/s, p50 {api['latency']['p50_ms']} ms, p95 {api['latency']['p95_ms']} ms, "
        f"{api['errors']} errors, peak RSS {api['peak_rss_mib']} MiB |",
    ]
    ov = data["overload"]
    b, burst = ov["baseline_20"], ov["burst_200"]
    lines.append(
        f"| overload: {burst['requests']} requests, 200 clients (10 % hostile) | "
        f"{burst['admitted_per_s']} admitted/s (20 clients: {b['admitted_per_s']}/s), p50 "
        f"{burst['admitted']['p50_ms']} / p99 {burst['admitted']['p99_ms']} ms, {burst['shed']} "
        f"shed, {burst['unexpected']} unexpected, /healthz p99 {burst['healthz']['p99_ms']} ms, "
        f"load generators' CPU {burst['load_generator_cpu_s']} s |"
    )
    for size, v in data["scale_detail"].items():
        lines.append(
            f"| {int(size):,} units (synthetic) | build {v['build_s']} s, retrieval p50 "
            f"{v['p50_ms']} / p95 {v['p95_ms']} ms |"
        )
    nv = data["naive"]
    lines.append(
        f"| naive LangChain RAG answer p50 | {nv['naive']['p50_ms']} ms vs {nv['regqa']['p50_ms']} ms "
        f"(regqa {nv['speedup']}× faster) |"
    )
    lines.append(f"| whole run | {data['seconds']} s |")
    return "\n".join(lines) + "\n"


def svg_plot(scale: dict[str, Any]) -> str:
    """Retrieval p50/p95 against corpus size (log scale), as a standalone SVG."""
    import math

    sizes = sorted(int(s) for s in scale)
    w, h, pad = 480, 300, 50
    top = max(max(scale[str(s)]["p95_ms"] for s in sizes), 1.0) * 1.15
    lo, hi = (
        math.log10(min(sizes)),
        math.log10(max(sizes)) if len(sizes) > 1 else math.log10(min(sizes)) + 1,
    )

    def xy(size: int, ms: float) -> tuple[float, float]:
        x = pad + (math.log10(size) - lo) / ((hi - lo) or 1) * (w - 2 * pad)
        return x, h - pad - ms / top * (h - 2 * pad)

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" font-family="sans-serif" font-size="11">',
        f'<rect width="{w}" height="{h}" fill="white"/>',
        f'<line x1="{pad}" y1="{h - pad}" x2="{w - pad}" y2="{h - pad}" stroke="black"/>',
        f'<line x1="{pad}" y1="{pad}" x2="{pad}" y2="{h - pad}" stroke="black"/>',
        f'<text x="{w / 2}" y="{h - 12}" text-anchor="middle">units (log scale)</text>',
        f'<text x="14" y="{h / 2}" transform="rotate(-90 14 {h / 2})" text-anchor="middle">retrieval ms</text>',
    ]
    for key, colour in (("p50_ms", "#1d3f91"), ("p95_ms", "#c0392b")):
        points = [xy(s, scale[str(s)][key]) for s in sizes]
        parts.append(
            f'<polyline fill="none" stroke="{colour}" stroke-width="2" points="'
            + " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
            + '"/>'
        )
        for (x, y), s in zip(points, sizes, strict=True):
            parts.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3" fill="{colour}"/>')
            parts.append(
                f'<text x="{x:.1f}" y="{y - 6:.1f}" text-anchor="middle">{scale[str(s)][key]}</text>'
            )
    for s in sizes:
        x, _ = xy(s, 0)
        parts.append(f'<text x="{x:.1f}" y="{h - pad + 14}" text-anchor="middle">{s:,}</text>')
    parts.append(f'<text x="{w - pad}" y="{pad - 10}" text-anchor="end" fill="#1d3f91">p50</text>')
    parts.append(
        f'<text x="{w - pad - 30}" y="{pad - 10}" text-anchor="end" fill="#c0392b">p95</text>'
    )
    return "\n".join(parts) + "\n</svg>\n"


def write_outputs(data: dict[str, Any], json_path: Path | None, report: Path | None) -> None:
    if json_path:
        json_path.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
    if report:
        report.mkdir(parents=True, exist_ok=True)
        (report / "latency_vs_size.svg").write_text(
            svg_plot(data["scale_detail"]), encoding="utf-8"
        )
        (report / "bench.md").write_text(
            markdown(data) + "\n![retrieval latency vs size](latency_vs_size.svg)\n",
            encoding="utf-8",
        )


__all__ = ["markdown", "run", "svg_plot", "write_outputs"]
