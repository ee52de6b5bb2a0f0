"""Statement-level citation judges (ALCE, Gao et al. 2023).

A *statement* is a sentence of the answer with its citation markers. It is
**supported** when its cited units together entail it; a citation is
**irrelevant** when it does not support the statement alone and removing it
leaves the statement as supported as before.

No NLI model ships on PyPI here, so the default judge is lexical and
deterministic (``LexicalJudge``): a statement is entailed by a set of unit
texts when every number in it appears in them and at least ``threshold`` of its
content tokens (IDF-free, stemmed; Chinese as characters) do. Quoted text
always passes; a paraphrase with new words or a changed number fails. An LLM
judge (``LLMJudge``) can be chosen instead through the generator settings.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Protocol

from ingest.lexical import tokenize

MARKER_RE = re.compile(r"\[(\d+)\]")
_SENTENCE_RE = re.compile(r"[^\n]+?(?:[.。!?！？]+[”\"’]?(?:\s*\[\d+\])*(?=\s|$)|$)")
_NUMBER_RE = re.compile(r"\d[\d,.]*")
_LABEL_RE = re.compile(r"^[^“\"]{0,80}?[:：]\s*[“\"]")


class Judge(Protocol):
    name: str

    def entails(self, evidence: list[str], statement: str) -> bool: ...


@dataclass
class Statement:
    text: str  # without markers
    cited: list[int]  # 1-based citation numbers


def statements(answer: str) -> list[Statement]:
    """Sentences of an answer with the citation numbers each carries."""
    out: list[Statement] = []
    for block in _blocks(answer):
        # a quote, closed and followed by its marker: the marker stands for every sentence of
        # the quote, as the validator reads it (a paragraph quoted whole, a provision's items
        # over several lines)
        quoted = "“" in block[0] and "”" in block[-1]
        closing = block[-1].rsplit("”", 1)[-1] if quoted else ""
        shared = [int(n) for n in MARKER_RE.findall(closing)]
        for k, line in enumerate(block):
            line = line.strip()
            opening = line.find("“") if k == 0 else 0  # text before the quote opens is its own
            for m in _SENTENCE_RE.finditer(line):
                raw = m.group(0).strip()
                if not raw:
                    continue
                inside = m.end() > opening >= 0
                cited = [int(n) for n in MARKER_RE.findall(raw)] or (shared if inside else [])
                text = MARKER_RE.sub("", raw).strip()
                text = _LABEL_RE.sub("", text).strip('“”" ')  # "Article 14 (2024 wording): “…”"
                if len(text) > 3:
                    out.append(Statement(text, cited))
    return out


def _blocks(answer: str) -> list[list[str]]:
    """The answer's lines, those of one quote (“ … ” over several lines) kept together."""
    blocks: list[list[str]] = []
    open_quote = False
    for line in answer.splitlines():
        if open_quote:
            blocks[-1].append(line)
        else:
            blocks.append([line])
        opened = line.count("“") - line.count("”")
        open_quote = (open_quote and "”" not in line) or (not open_quote and opened > 0)
    return blocks


def _content(text: str) -> set[str]:
    return {t for t in tokenize(text) if len(t) > 1 or "\u3400" <= t <= "\u9fff"}


class LexicalJudge:
    name = "lexical"

    def __init__(self, threshold: float = 0.8) -> None:
        self.threshold = threshold

    def entails(self, evidence: list[str], statement: str) -> bool:
        if not evidence:
            return False
        joined = " ".join(evidence)
        numbers = {n.rstrip(".,").replace(",", "") for n in _NUMBER_RE.findall(statement)}
        have = {n.rstrip(".,").replace(",", "") for n in _NUMBER_RE.findall(joined)}
        if not numbers <= have:
            return False
        words = _content(statement)
        if not words:
            return True
        vocab = _content(joined)
        return len(words & vocab) / len(words) >= self.threshold


class LLMJudge:
    """Asks a chat model whether the evidence entails the statement (yes/no)."""

    name = "llm"

    def __init__(self, model: object) -> None:
        from langchain_core.output_parsers import StrOutputParser
        from langchain_core.prompts import ChatPromptTemplate

        prompt = ChatPromptTemplate.from_messages(
            [
                ("system", "Answer only yes or no."),
                (
                    "human",
                    "Evidence:\n{evidence}\n\nDoes the evidence fully support this statement?\n"
                    "Statement: {statement}",
                ),
            ]
        )
        self._chain = prompt | model | StrOutputParser()  # type: ignore[operator]

    def entails(self, evidence: list[str], statement: str) -> bool:
        if not evidence:
            return False
        reply = self._chain.invoke({"evidence": "\n\n".join(evidence), "statement": statement})
        return reply.strip().lower().startswith("yes")


def alce_scores(
    answer: str, cited_texts: list[str], judge: Judge
) -> tuple[float | None, float | None]:
    """(citation recall, citation precision) of an answer whose ``[k]`` cite ``cited_texts[k-1]``."""
    recall_hits, total = 0, 0
    relevant, n_citations = 0, 0
    for st in statements(answer):
        total += 1
        evidence = [cited_texts[k - 1] for k in st.cited if 1 <= k <= len(cited_texts)]
        supported = judge.entails(evidence, st.text)
        recall_hits += supported
        for i, k in enumerate(st.cited):
            if not 1 <= k <= len(cited_texts):
                n_citations += 1
                continue
            n_citations += 1
            alone = judge.entails([cited_texts[k - 1]], st.text)
            rest = [e for j, e in enumerate(evidence) if j != i]
            if alone or (supported and not judge.entails(rest, st.text)):
                relevant += 1
    recall = recall_hits / total if total else None
    precision = relevant / n_citations if n_citations else None
    return recall, precision
