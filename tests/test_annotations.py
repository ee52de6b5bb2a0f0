"""The annotation layer: checked against the text at ingest, complete for the real corpus, used by
retrieval, and never written from an evaluation case."""

from __future__ import annotations

import math
import os
import re
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
import yaml

from evals.dataset import load_dataset
from ingest.citations import CitationId
from ingest.pipeline import load_corpus, run_ingest
from ingest.settings import IndexSettings
from ingest.store import Generations

from .conftest import ROOT
from .corpus_edits import corpus_error, edit, fake_settings

ANNOTATED = "annotations/rules.yaml"


# -- the checks, on the tiny corpus --------------------------------------------------------------
def test_annotations_ride_on_their_units(tiny_assistant) -> None:
    index = tiny_assistant.index
    for version in ("2011", "2024"):
        for chunk in index.chunks_of(CitationId.article(4, version)):
            (provision,) = chunk.annotations
            assert provision.kind == "duty" and provision.facts[0].value == "60 days"
    assert not index.unit(CitationId.article(1, "2024")).annotations  # not required
    assert index.sanctions_for(CitationId.article(5, "2024")) == [CitationId.article(6, "2024")]


def test_a_bad_kind_names_file_and_line(tiny_copy: Path, tmp_path: Path) -> None:
    line = edit(tiny_copy / ANNOTATED, "kind: duty", "kind: obligation")
    err = corpus_error(tiny_copy, tmp_path)
    assert err.path == tiny_copy / ANNOTATED and err.line == line
    assert "kind" in str(err)


def test_words_not_in_the_text_name_file_and_line(tiny_copy: Path, tmp_path: Path) -> None:
    line = edit(tiny_copy / ANNOTATED, '"保存60日"', '"保存90日"')
    err = corpus_error(tiny_copy, tmp_path)
    assert err.path == tiny_copy / ANNOTATED and err.line == line
    assert "保存90日" in str(err) and "not in the text" in str(err)


def test_a_link_to_a_missing_provision_is_refused(tiny_copy: Path, tmp_path: Path) -> None:
    line = edit(tiny_copy / ANNOTATED, "punishes: [art-4]", "punishes: [art-40]")
    err = corpus_error(tiny_copy, tmp_path)
    assert err.line == line and "art-40" in str(err)


def test_a_missing_language_of_a_fact_is_refused(tiny_copy: Path, tmp_path: Path) -> None:
    edit(tiny_copy / ANNOTATED, 'zh: "保存60日", ', "")
    assert "no zh words" in str(corpus_error(tiny_copy, tmp_path))


def test_ingest_fails_and_the_served_index_still_answers(tiny_copy: Path, tmp_path: Path) -> None:
    from assistant import Assistant, Settings

    data = tmp_path / "data"
    run_ingest(fake_settings(tiny_copy, data))
    served = Generations(fake_settings(tiny_copy, data)).current_id()
    line = edit(
        tiny_copy / ANNOTATED,
        '"keep record backups for 60 days"',
        '"keep record backups for 90 days"',
    )
    result = subprocess.run(
        [sys.executable, "-m", "regqa.cli", "ingest", "--corpus", str(tiny_copy)],
        env={**os.environ, **_fake_env(), "REGQA_DATA_DIR": str(data)},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 2, result.stderr
    assert f"rules.yaml:{line}" in result.stderr and "90 days" in result.stderr
    assert Generations(fake_settings(tiny_copy, data)).current_id() == served
    settings = Settings(corpus_dir=tiny_copy, data_dir=data, embedder="fake")
    answer = Assistant.from_settings(settings).ask("How long must record backups be kept?")
    assert not answer.abstained and "60 days" in answer.answer


def _fake_env() -> dict[str, str]:
    return {"REGQA_EMBEDDER": "fake", "ANONYMIZED_TELEMETRY": "False"}


def test_users_words_reach_the_unit_through_its_views(tiny_assistant) -> None:
    lexical = tiny_assistant.retriever.model_copy(update={"mode": "bm25"})
    docs = lexical.invoke("where does the badge go?")
    assert docs[0].metadata["id"] == "rules@2024#art-5"
    assert "views" in docs[0].metadata["via"]
    without = lexical.model_copy(update={"views": False}).invoke("where does the badge go?")
    assert all(d.metadata["id"] != "rules@2024#art-5" for d in without)


# -- the real corpus ----------------------------------------------------------------------------
@pytest.fixture(scope="module")
def real_chunks():
    _, chunks = load_corpus(IndexSettings(corpus_dir=ROOT / "corpus"))
    return chunks


def test_every_provision_of_both_wordings_and_every_point_is_annotated(real_chunks) -> None:
    missing = []
    for c in real_chunks:
        if c.doc == "rules":
            annotated = {p.id for p in c.annotations}
            for part in c.parts:
                if part.kind == "paragraph" and part.locator not in annotated:
                    missing.append(f"{c.id} {part.locator}")
        elif not c.annotations:
            missing.append(c.id)
    assert not missing, missing


def test_the_sanction_graph_matches_the_reviewed_list(real_chunks) -> None:
    reviewed = yaml.safe_load((ROOT / "corpus/annotations/review/sanction-links.yaml").read_text())
    expected = {(duty, s) for duty, sanctions in reviewed["punished"].items() for s in sanctions}
    for version in ("2011", "2024"):
        found, kinds, outside = set(), {}, set()
        for c in real_chunks:
            if c.version != version or c.lang != "zh":
                continue
            for p in c.annotations:
                kinds[p.id] = p.kind
                for s in p.sanctions:
                    found |= {(target, p.id) for target in s.punishes}
                    if s.breach is not None:
                        outside.add(p.id)
                if p.kind == "sanction":
                    assert p.sanctions, f"{p.id} punishes nothing"
        assert found == expected, (version, found ^ expected)
        assert outside == set(reviewed["outside_rules"])
        # every punished provision is a duty, prohibition or competence — and has its sanction
        for duty, _ in expected:
            kind = kinds.get(duty) or kinds.get(f"{duty}.p1")
            assert kind in {"duty", "prohibition", "competence"}, (duty, kind)


def test_the_text_makes_these_links(real_chunks) -> None:
    from ingest.annotations.views import sanction_links

    links = sanction_links(real_chunks)

    def punishers(article: int) -> set[int | None]:
        return {u.article_number for u in links.get(CitationId.article(article, "2024"), [])}

    assert {22} <= punishers(12) and {21} <= punishers(14) and {23} <= punishers(16)
    assert {20} <= punishers(15) and {19} <= punishers(4) and {19} <= punishers(7)
    assert {19} <= punishers(8)


def _words(text: str) -> list[str]:
    from evals.keypoints import normalise

    norm = normalise(text)
    return re.findall(r"[a-z0-9]+|[\u3400-\u9fff]", norm)


def _near(a: list[str], b: list[str]) -> bool:
    """Same words after normalising, or most of them (3/4 of the longer one's)."""
    return _near_counts(a, Counter(a), b, Counter(b))


def _near_counts(a: list[str], ca: Counter[str], b: list[str], cb: Counter[str]) -> bool:
    if a == b:
        return True
    shared = sum((ca & cb).values())
    return shared >= 0.75 * max(len(a), len(b))


def test_no_annotation_question_is_a_near_copy_of_an_eval_question(real_chunks) -> None:
    evals = []
    for path in sorted((ROOT / "evals" / "datasets").glob("*.yaml")):  # gated and tuning sets
        for case in load_dataset(path):
            evals += [(case.id, t) for t in (case.turns or [case.question])]
    # by length: two texts can be near only when the shorter has 3/4 of the longer's words
    by_length: dict[int, list[tuple[str, list[str], Counter[str]]]] = {}
    for cid, q in evals:
        w = _words(q)
        by_length.setdefault(len(w), []).append((cid, w, Counter(w)))
    copies = []
    seen = set()
    for c in real_chunks:
        for p in c.annotations:
            for q in p.questions.all():
                if q in seen:
                    continue
                seen.add(q)
                words = _words(q)
                counts = Counter(words)
                n = len(words)
                for length in range(math.ceil(0.75 * n), math.floor(n / 0.75) + 1):
                    for cid, w, cw in by_length.get(length, []):
                        if _near_counts(words, counts, w, cw):
                            copies.append((q, cid))
    assert not copies, copies


def test_the_near_copy_check_catches_copies() -> None:
    assert _near(
        _words("How long must record backups be kept?"),
        _words("how long must record backups be kept"),
    )
    assert _near(
        _words("How long must the record backups be kept?"),
        _words("How long must record backups be kept?"),
    )
    assert not _near(_words("How long are logs kept?"), _words("Who keeps the logs of a forum?"))


def test_a_corpus_without_annotations_still_ingests(tiny_copy: Path, tmp_path: Path) -> None:
    shutil.rmtree(tiny_copy / "annotations")
    _, chunks = load_corpus(fake_settings(tiny_copy, tmp_path / "data"))
    assert chunks and not any(c.annotations for c in chunks)
