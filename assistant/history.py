"""Chat history in the shapes callers send, and follow-up questions made standalone."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from assistant.query import expansions, names_draft
from assistant.questions import without_control
from assistant.subjects import moved_regime, subject_of, without_subject
from assistant.wordings import names_wording, without_wording
from ingest.lexical import tokenize

_FOLLOW_UP = re.compile(
    # an acknowledgement first ("ok and …", "thanks, what about …", "好的，那…") still leans on
    # the turn before
    r"^\s*(?:(?:ok(?:ay)?|right|thanks|thank you|thx|cool|got it|great|i see)[,.!]*\s+)?"
    r"(?:and|but|also|so|then|what about|how about|what if|if|or)\b"
    r"|^\s*(?:(?:好的?|嗯|明白了?|谢谢|了解)[，,。！!]?\s*)?"
    r"(?:等等|那么|那|还有|如果|另外|并且|要是|假如|万一)"  # no \b between Chinese characters
    r"|\b(?:it|its|it's|they|them|their|this|that|these|those|there|such|same|the above|instead)\b"
    r"|它|其|该|这|那|上述|此",
    re.IGNORECASE,
)

#: Leans on what the conversation was about without a pronoun: a condition on a duty left
#: undone ("没保存的话…", "要是我们没管…", "不备案会怎样"), someone finding out.
REFERS_BACK = re.compile(
    r"的话|^\s*(?:没有?|未|不)[\u3400-\u9fff]"
    r"|(?:要是|如果|假如|万一|若是?)[^，。？?]{0,8}(?:没有?|未|不)[\u3400-\u9fff]"
    r"|\b(?:finds?|found|finding) (?:it |that |this )?out\b|\bcatch(?:es)? (?:us|me|them|it)\b"
    r"|\b(?:gets?|got) caught\b"
    # the case just told ("这种情况", "像这样", "over this")
    r"|这种情况|这个情况|这样的情况|像这样|这种事|\b(?:over|for|about) (?:this|that)\s*[?？]",
    re.IGNORECASE,
)

History = Sequence[Any]


def normalise(history: History | None) -> list[tuple[str, str]]:
    """``[(role, text)]`` from OpenAI-style dicts, (user, assistant) pairs or plain strings."""
    out: list[tuple[str, str]] = []
    for item in history or []:
        if isinstance(item, dict):
            role = str(item.get("role", "user"))
            content = item.get("content", "")
            if isinstance(content, list):  # multimodal parts
                content = " ".join(str(p.get("text", "")) for p in content if isinstance(p, dict))
            out.append(("assistant" if role == "assistant" else "user", str(content or "")))
        elif isinstance(item, (list, tuple)) and len(item) == 2:
            user, assistant = item
            if user:
                out.append(("user", str(user)))
            if assistant:
                out.append(("assistant", str(assistant)))
        elif isinstance(item, str):
            out.append(("user", item))
    return [(r, without_control(t)) for r, t in out if t.strip()]


def is_bare(question: str, words: int = 4) -> bool:
    """Too few words to carry a topic of its own ("and if not?", "不放会怎样？"): at most
    ``words`` content words, or eight Chinese characters."""
    han = len(re.findall(r"[\u3400-\u9fff]", question))
    if han:  # Chinese is searched by characters and their pairs: count the characters
        return han + len(re.findall(r"[A-Za-z0-9]+", question)) <= 8
    return len([t for t in tokenize(question) if not t.isdigit()]) <= words


#: Chinese words that ask what follows or how much, without naming what about ("会被怎么处罚？
#: 罚多少", "一般要交多少钱吗"): a question made of them alone leans on the turn before.
_NO_TOPIC_ZH = re.compile(
    r"会不会|会被|要不要|是不是|有没有|怎么样?|怎样|如何|咋|处罚|处理|罚款|罚|多少|交钱|钱|后果|一般|大概"
    r"|吗|呢|啥|什么|会|被|要|得|的|了|啊|呀|我们|咱们"
)


def has_no_topic(question: str) -> bool:
    """A Chinese question made only of words that ask what follows or how much."""
    if not re.search(r"[\u3400-\u9fff]", question) or re.search(r"[A-Za-z0-9]", question):
        return False
    return len(re.findall(r"[\u3400-\u9fff]", _NO_TOPIC_ZH.sub("", question))) <= 1


def is_follow_up(question: str) -> bool:
    return (
        is_bare(question)
        or has_no_topic(question)
        or bool(_FOLLOW_UP.search(question) or REFERS_BACK.search(question))
    )


def conversation_topic(previous: list[str]) -> str:
    """What the user's earlier turns (oldest first) are about: from the last turn that did not
    lean on the one before (a third "and in 2011?" keeps the first's topic, and what the second
    added)."""
    start = next(
        (i for i in range(len(previous) - 1, -1, -1) if not _FOLLOW_UP.search(previous[i])), 0
    )
    return " ".join(t.strip() for t in previous[start:])


def last_topic(previous: list[str]) -> str:
    """The latest of the user's earlier turns (oldest first) that carries a topic of its own
    (what "and if not?" is asked about), else what the conversation is about."""
    own = next((t for t in reversed(previous) if not is_bare(t)), None)
    return own.strip() if own else conversation_topic(previous)


#: A follow-up that asks something of its own (where, who, how…) rather than the same question
#: in another scope ("and in the draft?").
ASKS_ANEW = re.compile(
    r"\b(?:where|who|whom|whose|why|which|when)\b|\bhow\b(?!\s+about)"
    r"|哪里|哪儿|在哪|谁|怎么(?!样|规定|说)|为什么|哪个|哪些|何时|什么时候",
    re.IGNORECASE,
)


#: Words for the licence and the filing, and for who provides: every follow-up of this domain
#: may use them; they name no matter of their own.
_REGIME_WORDS = re.compile(
    r"\bicp\b|licen[cs]\w*|\bfil(?:e|ed|ing)\b|bei'?an|备案|许可证?|ICP证|证", re.I
)


def _names_matter(question: str) -> bool:
    """Whether the glossary finds users' words for a matter of the texts in ``question``
    beyond whom it is asked for and the licence or filing ("and the number on the site?")."""
    subject = subject_of(question)
    rest = without_subject(question, subject) if subject else question
    rest = _REGIME_WORDS.sub(" ", rest)
    return bool(expansions(rest, "zh" if re.search(r"[\u4e00-\u9fff]", rest) else "en"))


def standalone(question: str, history: list[tuple[str, str]], has_refs: bool) -> str:
    """Carry the previous question's topic and references into a follow-up (no model needed)."""
    previous = [t for r, t in history if r == "user"]
    if not previous or has_refs or not is_follow_up(question):
        return question
    topic = conversation_topic(previous)
    new, old = subject_of(question), subject_of(topic)
    if new and old and new != old:  # "and for a free site?": the new subject replaces the old
        topic = moved_regime(without_subject(topic, old), old, new)
    if names_wording(question) and not names_draft(question):
        # "那2024年修订后的版本呢？" after a question on the 2011 wording: the wording named now
        # replaces the one named before
        topic = without_wording(topic)
    if ASKS_ANEW.search(question) or _names_matter(question):
        # a question of its own (who, which, where…), or one naming a matter of the texts in
        # users' words ("and the number on the site?"), leans on the topic, not the other way
        return f"{topic} {question.strip()} {question.strip()}"
    return f"{topic} {question.strip()}"
