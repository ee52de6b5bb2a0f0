"""The extractive generator: answers composed only of the corpus' own sentences.

It leads with the direct answer where the question type allows one (a period, an
amount, a system, yes/no), then quotes the best-matching clauses of the top units,
each carrying its marker. No model, no network; every word of a quote is the
source's, so every citation holds by construction.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from langchain_core.documents import Document

from assistant.generators.base import ABSTAIN, Draft, GenerationInput
from assistant.generators.cues import (
    BARE,
    BARE_ZH,
    DUTY,
    HEADING,
    OBLIGATION,
    PERMISSION,
    PROHIBITION,
    TYPES,
    YESNO_EN,
    YESNO_ZH,
    question_type,
)
from assistant.generators.leads import flat, flat_offsets, negation_mismatch, planned_lead
from assistant.generators.quoting import Pick, compose
from assistant.generators.versions import compare_wordings
from assistant.parts import PartMatcher
from assistant.plan import AnswerPlan, make_plan
from assistant.sentences import Sentence, SentenceIndex, split_chunk
from assistant.subjects import names_both_kinds
from ingest.citations import CitationId
from ingest.lexical import tokenize
from ingest.units import Chunk, Span

#: Figures the texts never set, and what the refusal says about them.
UNSTATED = {
    "cost": "The Rules and the Explanation set no fee, price or capital amount; the closest "
    "provisions are listed under see_also.",
    "practice": "The Rules and the Explanation do not settle this matter (it is left to "
    "practice, to providers' own choices or to other laws); the closest provisions are listed "
    "under see_also.",
    "unstated-date": "The texts give no date for this: the Explanation states none for the "
    "2012 draft; the closest provisions are listed under see_also.",
    "unstated-amount": "The Explanation states no fine or other amount for the 2012 draft (it "
    "only says the draft set punitive measures); the closest provisions are listed under "
    "see_also.",
    "unstated-period": "The texts set no period for this (where they set one, it belongs to "
    "another step or the other regime); the closest provisions are listed under see_also.",
}
#: Clause score of a unit named alone (``Pick.opens_named``): above any matched clause.
_NAMED = 100.0
#: A second unit is cited for a question without a plan only when its best clause scores this
#: share of the best clause (tuned on evals/datasets/core.yaml).
SECOND_UNIT = 0.9
#: A draft question, a comparison too, cites the other document only when its best clause
#: scores this share of the best clause (tuned on core.yaml).
OTHER_DOCUMENT = 0.4


class ExtractiveGenerator:
    """Compose an answer from the best clauses of the retrieved units."""

    def __init__(
        self,
        sentences: SentenceIndex,
        max_quotes: int = 3,
        floor: float = 0.6,
        # how much a unit's retrieval rank counts in choosing clauses (rank_weight / rank);
        # tuned on core, dev and dev2 (evals/README.md)
        rank_weight: float = 3.0,
        # how much a clause's provision resembling users' phrasings of the question counts
        # (assistant.parts); tuned on core and dev9 (evals/README.md)
        part_weight: float = 0.5,
    ) -> None:
        self.sentences = sentences
        self.rank_weight = rank_weight
        self.part_weight = part_weight
        self.max_quotes = max_quotes
        self.floor = floor

    def stream(self, inp: GenerationInput) -> Iterator[str | Draft]:
        """The draft's text word by word (nothing when it abstains), then the draft."""
        draft = self.generate(inp)
        if not draft.abstained:
            yield from (piece for piece in re.split(r"(?<=\s)", draft.text) if piece)
        yield draft

    def rewrite(self, question: str, history: list[tuple[str, str]]) -> str | None:
        return None  # the rule-based rewrite in assistant.history serves

    def generate(self, input: GenerationInput) -> Draft:
        docs = input.documents
        lang = input.analysis.lang
        if not docs:
            return Draft(text=ABSTAIN[lang], abstained=True, reason="Nothing relevant was found.")
        plan = input.plan or make_plan(
            input.question, input.analysis, docs, self.sentences.index, self.sentences.parts
        )
        if input.analysis.wants_versions and plan.intent in ("comparison", "general"):
            draft = compare_wordings(input, docs, lang, self._best_clauses)
            if draft is not None:
                return draft.model_copy(update={"plan": plan.trace()})
        if plan.fact in UNSTATED:  # a figure no provision sets: say so rather than quote nearby
            return Draft(
                text=ABSTAIN[lang],
                abstained=True,
                reason=UNSTATED[plan.fact],
                plan=plan.trace(),
            )
        picks = self._rank(input, docs)
        if plan.targets and plan.intent != "comparison":  # cite only the units the plan needs
            picks = [p for p in picks if p.n in plan.targets] or picks
        elif plan.intent != "comparison" and picks:  # a second unit only as strong as the first
            best = {p.n: p.score for p in reversed(picks)}
            strong = sorted(best, key=lambda n: -best[n])[:2]
            keep = {n for n in strong if best[n] >= SECOND_UNIT * picks[0].score}
            picks = [p for p in picks if p.n in keep]
        if not picks:
            return Draft(text=ABSTAIN[lang], abstained=True, reason="Nothing relevant was found.")
        chosen = self._with_facts(plan, self._choose(input, picks, plan.intent), docs)
        for n in plan.targets if plan.intent != "comparison" else ():  # a duty and its
            # sanction, a regime and the definition it turns on: each quoted, at its best clause
            # (of those for whom the question asks, when it names them)
            if not any(c.n == n for c in chosen):
                own = [p for p in picks if p.n == n]
                chosen += sorted(own, key=lambda p: not self._for(plan, docs[n - 1], p))[:1]
        if plan.intent == "definition" and names_both_kinds(input.question):
            chosen += self._each_definition(plan, picks, chosen, docs)
        decides = self._decides(plan, docs[chosen[0].n - 1], chosen[0].sentence)
        lead = planned_lead(plan, lang) or self._direct(
            input.question, chosen[0].sentence, lang, decides
        )
        draft = compose(lead, chosen, docs, lang, self._sentences)
        return draft.model_copy(update={"plan": plan.trace()})

    def _each_definition(
        self, plan: AnswerPlan, picks: list[Pick], chosen: list[Pick], docs: list[Document]
    ) -> list[Pick]:
        """Asked how the two kinds of service differ: a clause of each definition the planned
        units hold that no chosen clause quotes yet (its best-scored clause)."""
        quoted = {(c.n, c.sentence.part) for c in chosen}
        out: list[Pick] = []
        for n in plan.targets:
            doc = docs[n - 1]
            unit = self.sentences.index.unit(str(doc.metadata["id"]), str(doc.metadata.get("lang")))
            for provision in unit.annotations:
                if provision.kind != "definition" or (n, provision.id) in quoted:
                    continue
                own = [p for p in picks if p.n == n and p.sentence.part == provision.id]
                if own:
                    out.append(max(own, key=lambda p: p.score))
                    quoted.add((n, provision.id))
        return out

    def _with_facts(self, plan: AnswerPlan, chosen: list[Pick], docs: list[Document]) -> list[Pick]:
        """The chosen clauses, plus those that hold the planned facts' words (so the quote
        carries the fact the lead states)."""
        out = list(chosen)
        for fact in [*plan.facts[:1], *plan.measures]:
            doc = docs[fact.n - 1]
            at = flat(doc.page_content).find(flat(fact.words))
            if at < 0:
                continue
            sentences = self._sentences(doc)
            base = int(doc.metadata["start"])
            offsets = flat_offsets(doc.page_content)
            start, end = (
                base + offsets[at],
                base + offsets[at + len(flat(fact.words)) - 1],
            )
            for sentence in sentences:
                overlaps = sentence.start <= end and sentence.end > start
                if overlaps and not any(p.sentence == sentence for p in out):
                    out.append(Pick(0.0, fact.n, sentence))
        if len(out) == len(chosen):
            return chosen
        first = out[0]
        return [first, *sorted(out[1:], key=lambda p: (p.n != first.n, p.n, p.sentence.start))]

    # -- scoring ---------------------------------------------------------------
    def _rank(self, inp: GenerationInput, docs: list[Document]) -> list[Pick]:
        q = tokenize(inp.analysis.text)  # a follow-up made standalone carries its topic
        expansion = tokenize(inp.analysis.expansion)
        qtype = question_type(inp.question)
        answer_re = TYPES[qtype][1] if qtype else None
        named = {str(r) for r in inp.analysis.refs}
        rest = inp.analysis.remainder
        bare = (
            bool(named)
            and not ({t for t in tokenize(re.sub(r"[\u3400-\u9fff]", " ", rest))} - BARE)
            and set(re.findall(r"[\u3400-\u9fff]", rest)) <= BARE_ZH
        )
        yes_no = bool(
            YESNO_ZH.search(inp.question)
            if inp.analysis.lang == "zh"
            else YESNO_EN.match(inp.question)
        )
        permission = bool(PERMISSION.search(inp.question))
        parts = (
            self.sentences.part_scores(inp.analysis.text, [d.metadata["id"] for d in docs])
            if self.part_weight
            else {}
        )
        picks = []
        for n, doc in enumerate(docs, start=1):
            unit = doc.metadata["id"]
            is_named = unit in named or str(CitationId.parse(unit).without_version()) in named
            seen_parts: set[str] = set()
            for k, s in enumerate(self._sentences(doc)):
                if HEADING.match(s.text):
                    continue
                opens = False
                if bare and is_named:
                    opens = s.part not in seen_parts
                    seen_parts.add(s.part)
                    # the unit itself, in order, above any other unit's clause
                    score = (_NAMED if opens else _NAMED - 0.5) - 0.01 * k
                else:
                    score = self.sentences.overlap(q, s) + 0.3 * self.sentences.overlap(
                        expansion, s
                    )
                    score += 0.15 * self.sentences.precision(q + expansion, s)
                    score += self.rank_weight / n + (0.5 if is_named else 0.0)
                    score += self.part_weight * parts.get(PartMatcher.key(unit, s.part), 0.0)
                    if answer_re is not None and answer_re.search(s.text):
                        score += 0.25
                        if qtype == "penalty" and "link" in doc.metadata.get("via", []):
                            score += 0.6  # the article that sanctions the duty asked about
                    if yes_no and permission and PROHIBITION.search(s.text):
                        score += 0.3  # "Can X do Y?" is answered by "X shall not Y"
                    elif yes_no and (PROHIBITION.search(s.text) or DUTY.search(s.text)):
                        score += 0.1
                    score -= 0.05 * max(0, len(s.tokens) - 25) / 10
                    if negation_mismatch(inp.question, s.text):
                        score -= 0.3
                    if len(s.text) < 12:
                        score -= 0.3
                picks.append(Pick(score, n, s, opens))
        picks.sort(key=lambda p: -p.score)
        return picks

    def _best_clauses(self, doc: Document, question: str) -> list[Sentence]:
        """The clauses of ``doc`` that answer ``question``, in the text's order: those stating
        the period or the fine it asks about ("did the fines change?" is answered by every
        clause setting one, two at most), else the one sharing most of its words."""
        q = tokenize(question)
        clauses = [c for c in self._sentences(doc) if not HEADING.match(c.text)] or self._sentences(
            doc
        )
        asked = [
            answer for ask, answer in (TYPES["duration"], TYPES["money"]) if ask.search(question)
        ]
        stating = [c for c in clauses if any(answer.search(c.text) for answer in asked)]
        if stating:
            best = sorted(stating, key=lambda c: -self.sentences.overlap(q, c))[:2]
            return sorted(best, key=lambda c: c.start)
        return [max(clauses, key=lambda c: self.sentences.overlap(q, c))]

    def _sentences(self, doc: Document) -> list[Sentence]:
        """The clauses of a retrieved document (split on the fly if it is not a unit chunk)."""
        known = self.sentences.of_document(doc)
        if known is not None:
            return known
        meta = doc.metadata
        start = int(meta.get("start", 0))
        span = Span(
            locator=f"{meta.get('locator', 'x')}.p1",
            kind="paragraph",
            start=start,
            end=start + len(doc.page_content),
        )
        chunk = Chunk(
            id=str(meta.get("id", "x#x")),
            doc=str(meta.get("doc", "")),
            locator=str(meta.get("locator", "")),
            lang=str(meta.get("lang", "en")),
            title="",
            text=doc.page_content,
            source="",
            start=start,
            end=span.end,
            parts=[span],
        )
        return split_chunk(chunk)

    def _choose(self, inp: GenerationInput, picks: list[Pick], intent: str) -> list[Pick]:
        best = picks[0]
        chosen = [best]
        floor = best.score * self.floor
        if best.opens_named:  # quoting a named unit: the first clause of each paragraph
            chosen += [p for p in picks[1:] if p.n == best.n and p.opens_named][
                : self.max_quotes - 1
            ]
            return sorted(chosen, key=lambda p: p.sentence.start)
        units = {best.n}
        for p in picks[1:]:
            if len(chosen) >= self.max_quotes or p.score < floor:
                break
            if p.sentence.text in {c.sentence.text for c in chosen}:
                continue
            if p.n in units and len(chosen) >= 2 and len({q.n for q in picks}) > 1:
                continue
            chosen.append(p)
            units.add(p.n)
        if inp.analysis.wants_draft:
            kinds = {str(inp.documents[c.n - 1].metadata["doc"]) for c in chosen}
            for want in ("explanation", "rules"):
                if want not in kinds:
                    other = next(
                        (
                            p
                            for p in picks
                            if inp.documents[p.n - 1].metadata["doc"] == want
                            # a comparison too: far below the best clause, the words of
                            # comparison were about the draft's own revising ("the first
                            # revision principle", "an amendment or a full text?")
                            and p.score >= best.score * OTHER_DOCUMENT
                        ),
                        None,
                    )
                    if other is not None:
                        chosen.append(other)
        return chosen

    def _for(self, plan: AnswerPlan, doc: Document, pick: Pick) -> bool:
        """Whether the clause's provision applies to the subject the plan asks for."""
        if not plan.subject:
            return False
        unit = self.sentences.index.unit(str(doc.metadata["id"]), str(doc.metadata.get("lang")))
        return any(
            p.id == pick.sentence.part and plan.subject in p.applies_to for p in unit.annotations
        )

    # -- wording -----------------------------------------------------------------
    def _decides(self, plan: AnswerPlan, doc: Document, s: Sentence) -> set[str]:
        """The annotated kinds of the provision ``s`` belongs to — when it binds whoever asks
        (a bare "Yes." or "No." needs a provision that decides it for them)."""
        unit = self.sentences.index.unit(str(doc.metadata["id"]), str(doc.metadata.get("lang")))
        kinds: set[str] = set()
        for p in unit.annotations:
            if p.id != s.part:
                continue
            if (
                plan.subject
                and p.applies_to
                and not ({plan.subject, "all providers", "anyone"} & set(p.applies_to))
            ):
                continue
            kinds.add(p.kind)
        return kinds

    def _direct(self, question: str, s: Sentence, lang: str, decides: set[str]) -> str | None:
        qtype = question_type(question)
        if qtype and qtype != "penalty":  # a sanction is told by the quote itself
            m = TYPES[qtype][1].search(s.text)
            if m:
                phrase = m.group(0).strip()
                if lang == "zh":
                    return phrase.rstrip("。；") + "。"
                phrase = phrase[0].upper() + phrase[1:]
                if qtype == "money" and not phrase.lower().startswith("a fine"):
                    phrase = "A fine of " + phrase[0].lower() + phrase[1:]
                if qtype == "system" and not re.match(r"(?i)an? |the ", phrase):
                    phrase = "A " + phrase[0].lower() + phrase[1:]
                return phrase.rstrip(".;") + "."
        yes_no = YESNO_ZH.search(question) if lang == "zh" else YESNO_EN.match(question)
        if yes_no:
            asks_permission = bool(PERMISSION.search(question))
            asks_duty = bool(OBLIGATION.search(question))
            forbids = bool(PROHIBITION.search(s.text))
            if asks_permission and forbids and "prohibition" in decides:
                return "不可以。" if lang == "zh" else "No."
            if (
                asks_duty
                and not forbids
                and DUTY.search(s.text)
                and decides & {"duty", "regime", "scope"}
            ):
                return "是的，需要。" if lang == "zh" else "Yes."
        return None
