"""Keypoint matching normalises what does not change meaning, and nothing else."""

from __future__ import annotations

import pytest

from evals.keypoints import found, normalise


@pytest.mark.parametrize(
    ("keypoint", "answer"),
    [
        ("RMB 100,000", "a fine of RMB 100,000 to 1,000,000"),
        ("RMB 1,000,000", "a fine of RMB 100,000 to 1,000,000"),
        ("1,000,000", "fines between 100,000 and 1 million yuan"),
        ("100,000", "100000元以上"),
        ("10万", "处100000元以上的罚款"),
        ("100万", "处10万元以上100万元以下的罚款"),
        ("5,000", "RMB 5,000 to 50,000"),
        ("50,000", "RMB 5,000 to 50,000"),
        ("60日|60天", "记录备份应当保存60天"),
        ("60日", "保存６０日"),
        ("30日", "提前30天办理变更手续"),
        ("30日", "提前三十天办理变更手续"),
        ("5倍", "处违法所得三至五倍的罚款"),
        ("60 days", "backups are kept for sixty days"),
        ("3 to 5 times", "three to five times the illegal gains"),
        ("licence", "an ICP license is needed"),
        ("revoking the operating licence", "revoking the operating license"),
        ("rumours", "spreading rumors"),
        ("news, publishing and education", "news, publishing, and education services"),
        ("news, publishing, and education", "news, publishing and education"),
        ("healthy and orderly development", "the healthy and orderly development of..."),
        ("经营许可证", "应当申请办理经营许可证。"),
    ],
)
def test_same_meaning_is_found(keypoint: str, answer: str) -> None:
    assert found(keypoint, answer)


@pytest.mark.parametrize(
    ("keypoint", "answer"),
    [
        ("5,000", "a fine of RMB 50,000"),  # a number matches whole
        ("60 days", "within 30 days"),
        ("30日", "60日内审查完毕"),
        ("100万", "10万元"),
        ("60日", "保存六个月"),
        ("licence", "a filing is enough"),
        ("news, publishing and education", "news and publishing"),
        ("6 months", "16 months"),
        ("rumours", "humours"),
    ],
)
def test_other_meaning_is_not(keypoint: str, answer: str) -> None:
    assert not found(keypoint, answer)


def test_alternatives_and_forms() -> None:
    assert found("revok|revocation", "the licence is revoked")
    assert found("revok|revocation", "revocation of the operating licence")
    assert not found("revok|revocation", "the licence stays valid")
    assert normalise("RMB 1,000,000") == normalise("1 million yuan") == "1000000"
    assert normalise("ＩＣＰ，备案") == "icp 备案"


def test_every_core_keypoint_is_found_in_a_gold_unit() -> None:
    """A keypoint that no gold text states can never be met by a quoting answer."""
    from evals.dataset import load_dataset
    from ingest.citations import CitationId
    from ingest.pipeline import load_corpus
    from ingest.settings import IndexSettings

    from .conftest import ROOT

    _, chunks = load_corpus(IndexSettings(corpus_dir=ROOT / "corpus"))
    problems = []
    for case in load_dataset(ROOT / "evals" / "datasets" / "core.yaml"):
        gold = [CitationId.parse(g) for g in case.citations]
        texts = [c.text for c in chunks if any(g.matches(c.cid) for g in gold)]
        langs = [
            c.text for c in chunks if any(g.matches(c.cid) for g in gold) and c.lang == case.lang
        ]
        for keypoint in case.keypoints:
            for alt in keypoint.split("|"):
                if not any(found(alt, t) for t in (langs or texts)):
                    problems.append(f"{case.id}: {alt!r}")
    assert not problems, problems
