"""Run a dataset through an assistant (its public ``ask``) and score every case."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, Protocol

from assistant import Answer, Assistant, Settings
from evals.dataset import EvalCase, load_dataset
from evals.judges import Judge, LexicalJudge
from evals.metrics import score_case, summarize
from evals.results import CaseResult, EvalRun
from ingest.errors import RegqaError, SettingsError

#: Named configurations; "a+b" combines them ("dense+minilm").
CONFIGS: dict[str, dict[str, Any]] = {
    "default": {},
    "hybrid": {"retrieval_mode": "hybrid"},
    "dense": {"retrieval_mode": "dense"},
    "bm25": {"retrieval_mode": "bm25"},
    "e5": {"embedder": "e5"},
    "minilm": {"embedder": "minilm"},
    "extractive": {"generator": "extractive"},
    "local": {"generator": "local"},
    "openai": {"generator": "openai"},
    "ollama": {"generator": "ollama"},
    "naive": {"naive": True},
}


class Asker(Protocol):
    def ask(self, question: str, history: Any = None, generator: str | None = None) -> Answer: ...


def settings_for(config: str, base: Settings) -> tuple[Settings, bool]:
    """Settings of a named configuration, and whether it is the naive baseline."""
    update: dict[str, Any] = {}
    for part in config.split("+"):
        if part not in CONFIGS:
            raise SettingsError(
                f"Unknown eval configuration {part!r}.",
                hint=f"Choose from: {', '.join(CONFIGS)} (combine with +).",
            )
        update.update(CONFIGS[part])
    naive = bool(update.pop("naive", False))
    return base.model_copy(update=update), naive


def build(config: str, base: Settings) -> Asker:
    """The system under test for ``config``; an index for another embedder is built beside."""
    from ingest.store import Generations

    settings, naive = settings_for(config, base)
    current = Generations(base).current_id()
    if settings.embedder != _index_embedder(base) or current is None:
        from ingest.pipeline import run_ingest

        settings = settings.model_copy(
            update={"data_dir": base.data_dir / "eval-indexes" / settings.embedder}
        )
        run_ingest(settings)
    assistant = Assistant.from_settings(settings)
    if naive:
        from evals.naive import NaiveRAG
        from ingest.embeddings import make_embeddings

        return NaiveRAG(assistant.index, make_embeddings(settings.embedder))
    return assistant


def _index_embedder(settings: Settings) -> str | None:
    from ingest.store import Generations

    generations = Generations(settings)
    gen = generations.current_id()
    return generations.meta(gen).get("embedder") if gen else None


def run_cases(
    system: Asker,
    cases: list[EvalCase],
    judge: Judge,
    known: Callable[[str], bool],
    generator: str | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> list[CaseResult]:
    results = []
    for n, case in enumerate(cases, start=1):
        history: list[dict[str, str]] = []
        turns = case.all_turns
        try:
            for turn in turns[:-1]:
                earlier = system.ask(turn, history, generator)
                history += [
                    {"role": "user", "content": turn},
                    {"role": "assistant", "content": earlier.answer},
                ]
            started = time.perf_counter()
            answer = system.ask(turns[-1], history, generator)
            elapsed = (time.perf_counter() - started) * 1000
            results.append(score_case(case, answer, elapsed, judge, known))
        except RegqaError as err:
            results.append(
                CaseResult(
                    id=case.id,
                    question=turns[-1],
                    turns=turns,
                    answerable=case.answerable,
                    tags=case.tags,
                    gold=case.citations,
                    error=str(err),
                    abstention_correct=False,
                    failures=[f"error: {err}"],
                )
            )
        if progress:
            progress(n, len(cases))
    return results


def evaluate(
    dataset: Path,
    config: str = "default",
    base: Settings | None = None,
    judge: Judge | None = None,
    system: Asker | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> EvalRun:
    base = base or Settings()
    settings, naive = settings_for(config, base)
    cases = load_dataset(dataset)
    system = system or build(config, base)
    index = getattr(system, "index", None)
    judge = judge or LexicalJudge()

    def known(cid: str) -> bool:
        return index.has(cid) if index is not None else True

    results = run_cases(
        system, cases, judge, known, None if naive else settings.generator, progress
    )
    embedder = str(index.meta.get("embedder")) if index is not None else settings.embedder
    summary = summarize(
        results,
        config=config,
        dataset=str(dataset),
        generator="naive" if naive else settings.generator,
        embedder=embedder,
        retrieval="naive top-4" if naive else settings.retrieval_mode,
        judge=judge.name,
        date=dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
    )
    return EvalRun(summary=summary, cases=results)
