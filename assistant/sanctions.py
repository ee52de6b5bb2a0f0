"""Which sanction answers a question about what follows a breach: what punishes the duty the
question speaks of, the sanction retrieval put first, or the one whose users' phrasings the
question is closest to; and whether the question also asks for the duty itself."""

from __future__ import annotations

import re

from langchain_core.documents import Document

from assistant.asked import each_question
from assistant.breaches import PENALTY, SANCTION, omits
from assistant.intent import DUTY_WORDS, MUST
from assistant.parts import PartMatcher
from ingest.annotations.schema import Provision
from ingest.citations import CitationId
from ingest.index import Index
from ingest.lexical import tokenize

#: "we were supposed to keep …": the duty told as what happened, not asked for.
_TOLD = re.compile(r"\b(?:we|i|they|you|it|he|she)\s+(?:were|was|are|had|have been)\s*$", re.I)


#: A question of its own before the sanction is asked ("Is that enough, and if not …", "Do we
#: really need the number in the footer, and what can they do …").
_OWN_QUESTION = re.compile(
    r"(?:^|[.?!]['\"’”]?\s+)(?:do|does|must|should|is|are|need|how long|where|when"
    r"|(?:can|could|may) (?:we|i|our \w+))\b"
    r"[^.?!]{0,160}(?:\?|,? and\b|,? or\b)",
    re.I,
)

#: The duty itself asked for ("what exactly is a provider's duty when …, and what's the sanction").
_DUTY_ASKED = re.compile(
    r"\b(?:what|which)\b[^.?!]{0,40}\b(?:dut(?:y|ies)|obligations?)\b"
    r"|(?:义务|职责)(?:是什么|有哪些|有什么|是啥)|(?:什么|哪些|啥)(?:义务|职责)",
    re.I,
)


def asks_duty(question: str) -> bool:
    """Whether the part of a sanction question before its sanction words asks what must be
    done (not when it only tells that a duty existed), or is a question of its own."""
    asked = each_question(question)
    if len(asked) > 1 and any(not (PENALTY.search(q) or SANCTION.search(q)) for q in asked[:-1]):
        # "记录要保存多久？如果没存够，会被怎么处理？": a question of its own before the sanction's
        return True
    parts = SANCTION.split(question, maxsplit=1)
    before = parts[0]
    if len(parts) > 1 and (_OWN_QUESTION.search(before) or _DUTY_ASKED.search(before)):
        return True
    return any(not _TOLD.search(before[: m.start()]) for m in MUST.finditer(before))


#: Speaks of the authorities' own staff (Art. 25 punishes them, not providers).
_OFFICIALS = re.compile(
    r"\bofficials?\b|\b(?:the|their|bureau|authority|agency|government|miit|管局|通管局) staff\b|\bstaff (?:of|at) the\b"
    r"|\bcivil servants?\b|\bmisconduct\b|\bmisbehav\w*|\bfavou?rs\b|\babuse\w* (?:of )?(?:their )?power"
    r"|\bneglect\w* (?:of )?(?:their )?dut|\bdereliction\b|\bcorrupt\w*|\bbrib\w*"
    r"|玩忽职守|滥用职权|徇私舞弊|工作人员|官员|公务员|渎职|不作为|吃拿卡要",
    re.I,
)


#: An official's own wrongdoing ("waves licences through for kickbacks", "收好处费帮人批证").
_MISCONDUCT = re.compile(
    r"\bkick-?backs?\b|\bbrib\w*|\bcorrupt\w*|\bgraft\b|\babuse\w* (?:of )?(?:their |his |her )?"
    r"(?:power|position|office)|\bdereliction\b|\bneglect\w* (?:of )?(?:their |his |her )?dut"
    r"|\bfavou?ritism\b|\bfor (?:favou?rs|money|cash|gifts)\b|\bwaves? \w+ (?:\w+ )?through\b"
    r"|玩忽职守|滥用职权|徇私舞弊|渎职|吃拿卡要|好处费?|受贿|索贿|收(?:了|取)?(?:钱|红包|礼)",
    re.I,
)


def falls_on_asker(index: Index, unit: str, question: str) -> bool:
    """Whether a sanction can fall on whom the question asks about: one that binds only the
    authorities' officials answers only a question about them."""
    return index.applies_to(unit) != frozenset({"officials"}) or bool(_OFFICIALS.search(question))


def asks_of_officials(question: str) -> bool:
    """Whether the question is about the authorities' staff's own wrongdoing: then the
    sanction that binds officials answers it, not a provider's."""
    return bool(_OFFICIALS.search(question) and _MISCONDUCT.search(question))


#: How much closer to users' phrasings of another sanction in view a question must be for that
#: sanction to answer it instead (tuned on core.yaml and the development sets).
SANCTION_MARGIN = 0.05


def closest_sanction(
    question: str,
    chosen: tuple[int, list[Provision]],
    annotated: list[tuple[int, list[Provision]]],
    docs: list[Document],
    parts: PartMatcher,
) -> tuple[int, list[Provision]]:
    """Of the sanctions among the first five units, the one whose users' phrasings the question
    is closest to ("posted gambling ads: what happens?" is how users ask about publishing
    prohibited information, not about running without a licence), when clearly closer than
    the chosen one's; else the chosen one."""
    sanctions = [(n, ps) for n, ps in annotated[:5] if any(p.kind == "sanction" for p in ps)]
    label = {n: PartMatcher.unit(str(docs[n - 1].metadata["id"])) for n, _ in sanctions}
    scores = parts.scores(question, label.values())
    closeness = {
        n: max((v for (unit, _), v in scores.items() if unit == label[n]), default=0.0)
        for n, _ in sanctions
    }
    if chosen[0] not in closeness:
        return chosen
    best = max(sanctions, key=lambda item: closeness[item[0]])
    if closeness[best[0]] > closeness[chosen[0]] + SANCTION_MARGIN:
        return best
    return chosen


#: A word shared with a prohibition counts when it is at least this long (Chinese: a pair of
#: characters).
_NAMING_LENGTH = 5


def _shares_word(asked: set[str], own: frozenset[str]) -> bool:
    """A word of the question is one of ``own`` (English: or the same word with an ending of
    at most two more letters, "pornographic" for "pornography")."""
    for word in own:
        if "\u3400" <= word[0] <= "\ufaff":
            if len(word) >= 2 and word in asked:
                return True
            continue
        if len(word) < _NAMING_LENGTH:
            continue
        for a in asked:
            short, long_ = sorted((a, word), key=len)
            if (
                len(short) >= _NAMING_LENGTH
                and long_.startswith(short)
                and len(long_) - len(short) <= 2
            ):
                return True
    return False


def named_prohibitions(question: str, lang: str, index: Index) -> list[CitationId]:
    """The prohibitions the question names by a word only their text uses ("posted gambling
    ads", "色情内容"), none when it speaks of leaving something undone (leaving forbidden
    content up is its own breach: the duty to act on it)."""
    if omits(question):
        return []
    asked = set(tokenize(question))
    return [
        unit
        for unit in index.unit_ids()
        if "prohibition" in index.kinds(unit) and _shares_word(asked, index.own_words(unit, lang))
    ]


def named_prohibition(
    question: str,
    annotated: list[tuple[int, list[Provision]]],
    docs: list[Document],
    index: Index,
) -> tuple[int, list[Provision]] | None:
    """The sanction in view that punishes a prohibition the question names by its own words:
    publishing what is forbidden is punished by what punishes the prohibition, whatever else
    the question says of the site's licence."""
    if not docs:
        return None
    position = {str(d.metadata["id"]): n for n, d in enumerate(docs, start=1)}
    for unit in named_prohibitions(question, str(docs[0].metadata.get("lang")), index):
        for source in index.sanctions_for(unit):
            m = position.get(str(source))
            if m is not None:
                return m, annotated[m - 1][1]
    return None


def sanction_for(
    question: str,
    annotated: list[tuple[int, list[Provision]]],
    window: list[tuple[int, list[Provision]]],
    docs: list[Document],
    index: Index,
) -> tuple[int, list[Provision]] | None:
    """The sanction unit to answer from. A question that speaks of a duty (asked about, or left
    undone) is answered by what punishes the best-ranked duty in view, unless the best-ranked
    unit is a sanction of a duty among the first five; otherwise the best-ranked unit when it
    is a sanction (the search already matched what is punished), else the one that punishes
    the best-ranked act in view, else the first sanction in view."""
    position = {str(d.metadata["id"]): n for n, d in enumerate(docs, start=1)}

    def punishing(acts: list[tuple[int, list[Provision]]]) -> tuple[int, list[Provision]] | None:
        for n, _ in acts:
            for unit in index.sanctions_for(str(docs[n - 1].metadata["id"])):
                m = position.get(str(unit))
                if m is not None:
                    return m, annotated[m - 1][1]
        return None

    def is_duty(item: tuple[int, list[Provision]]) -> bool:
        return any(p.kind == "duty" for p in item[1])

    acts = [(n, ps) for n, ps in window if ps and all(p.kind != "sanction" for p in ps)]
    top_is_sanction = bool(window) and any(p.kind == "sanction" for p in window[0][1])
    if DUTY_WORDS.search(question) or MUST.search(question) or omits(question):
        # the best-ranked sanction stands when a duty it punishes is among the first five;
        # else what punishes the best-ranked duty in view
        top = str(docs[window[0][0] - 1].metadata["id"]) if top_is_sanction else None
        punished = [  # the first five duties' sanctions
            str(unit)
            for n, ps in annotated[:5]
            if is_duty((n, ps))
            for unit in index.sanctions_for(str(docs[n - 1].metadata["id"]))
        ]
        backed = top is not None and top in punished
        chosen = None if backed else punishing([item for item in acts if is_duty(item)])
        if chosen is not None:
            return chosen
    if top_is_sanction:
        return window[0]
    return punishing(acts) or next(
        ((n, ps) for n, ps in window if any(p.kind == "sanction" for p in ps)), None
    )
