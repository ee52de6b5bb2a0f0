"""Warm retrieval and extractive answer latency over the gold-set questions.

    python -m benchmarks.latency [--rounds 3] [--json FILE]

Uses the index in REGQA_DATA_DIR (run `regqa ingest` first). Each question is asked
once to warm up, then timed for ``--rounds`` rounds; the query-embedding cache is
cleared before every round so each timing includes embedding the question.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from pathlib import Path

import yaml

from assistant import Assistant

DATASET = Path(__file__).resolve().parent.parent / "evals" / "datasets" / "core.yaml"


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def _questions(path: Path) -> list[str]:
    cases = yaml.safe_load(path.read_text(encoding="utf-8"))
    return [c["question"] for c in cases if "question" in c]


def measure(assistant: Assistant, questions: list[str], rounds: int) -> dict[str, float]:
    retriever = assistant.retriever
    cache = getattr(retriever.embeddings, "_cache", None)
    for q in questions:  # warm-up: models, BM25, Chroma
        assistant.ask(q)
    retrieval: list[float] = []
    answers: list[float] = []
    for _ in range(rounds):
        if cache is not None:
            cache.clear()
        for q in questions:
            t = time.perf_counter()
            retriever.search(q)
            retrieval.append((time.perf_counter() - t) * 1000)
        if cache is not None:
            cache.clear()
        for q in questions:
            t = time.perf_counter()
            assistant.ask(q)
            answers.append((time.perf_counter() - t) * 1000)
    return {
        "questions": len(questions),
        "rounds": rounds,
        "retrieval_p50_ms": round(statistics.median(retrieval), 2),
        "retrieval_p95_ms": round(_pct(retrieval, 0.95), 2),
        "answer_p50_ms": round(statistics.median(answers), 2),
        "answer_p95_ms": round(_pct(answers, 0.95), 2),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--dataset", type=Path, default=DATASET)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    assistant = Assistant.from_settings()
    result: dict[str, object] = dict(measure(assistant, _questions(args.dataset), args.rounds))
    result["embedder"] = str(assistant.index.meta.get("embedder"))
    text = json.dumps(result, indent=2)
    print(text)
    if args.json:
        args.json.write_text(text + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
