"""Generators backed by a chat model: local llama.cpp, an OpenAI-compatible endpoint, Ollama.

All of them are the same chain — prompt | chat model | text → :class:`Draft` — around a
LangChain ``BaseChatModel``; tests inject a fake one.
"""

from __future__ import annotations

from collections.abc import Iterator

from langchain_core.language_models import BaseChatModel
from langchain_core.output_parsers import StrOutputParser
from langchain_core.runnables import Runnable

from assistant.generators.base import ABSTAIN, Draft, GenerationInput, numbered_context
from assistant.plan import AnswerPlan
from assistant.prompts import answer_prompt, rewrite_prompt
from assistant.settings import Settings
from ingest.errors import GeneratorError

LANGUAGES = {"en": "English", "zh": "Chinese (简体中文)"}


class LLMGenerator:
    def __init__(self, model: BaseChatModel, max_sentences: int = 4, max_sources: int = 3) -> None:
        self.model = model
        self.max_sentences = max_sentences
        #: A small model reads a few sources better than many: the plan's targets, else the
        #: first ``max_sources`` (their numbers kept).
        self.max_sources = max_sources
        self._chain = answer_prompt() | model | StrOutputParser()

    def _vars(self, inp: GenerationInput) -> dict[str, str]:
        lang = inp.analysis.lang
        return {
            "brief": brief(inp.plan),
            "context": numbered_context(inp.documents, self.sources(inp)),
            "question": inp.question,
            "language": LANGUAGES[lang],
            "max_sentences": str(self.max_sentences),
        }

    def sources(self, inp: GenerationInput) -> list[int]:
        """The numbers of the documents the prompt shows."""
        first = list(range(1, min(len(inp.documents), self.max_sources) + 1))
        if inp.plan is None or not inp.plan.targets:
            return first
        return sorted({*inp.plan.targets, *first[:1]})

    def _chain_for(self, inp: GenerationInput) -> Runnable[dict[str, str], str]:
        """The chain; a model that takes a grammar gets one allowing only valid markers."""
        if not getattr(self.model, "takes_grammar", False):
            return self._chain
        from assistant.generators.local import marker_grammar

        model = self.model.bind(grammar=marker_grammar(len(inp.documents)))
        return answer_prompt() | model | StrOutputParser()

    def generate(self, inp: GenerationInput) -> Draft:
        return _draft(self._chain_for(inp).invoke(self._vars(inp)), inp.analysis.lang)

    def stream(self, inp: GenerationInput) -> Iterator[str | Draft]:
        """The LCEL chain's ``.stream()`` as the model writes, then the draft of the whole."""
        pieces: list[str] = []
        for piece in self._chain_for(inp).stream(self._vars(inp)):
            pieces.append(piece)
            yield piece
        yield _draft("".join(pieces), inp.analysis.lang)

    def rewrite(self, question: str, history: list[tuple[str, str]]) -> str | None:
        convo = "\n".join(f"{role}: {text}" for role, text in history[-6:])
        out = (rewrite_prompt() | self.model | StrOutputParser()).invoke(
            {"history": convo, "question": question}
        )
        line = out.strip().splitlines()[0].strip() if out.strip() else ""
        return line if 3 <= len(line) <= 1000 else question


_ASKS = {
    "fact": "a figure (a period, a deadline, an amount, a count or a date)",
    "regime": "which regime applies (licensing or filing)",
    "obligation": "what must be done",
    "permission": "whether something is allowed",
    "sanction": "what follows a breach (the sanction)",
    "definition": "what a term means",
    "comparison": "how two wordings or the Rules and the 2012 draft differ",
    "general": "what the texts say on the subject",
}


def brief(plan: AnswerPlan | None) -> str:
    """The answer plan as the model's brief: what is asked, which sources, which facts."""
    if plan is None:
        return "No plan: answer from the sources' own words."
    lines = [f"- The question asks for {_ASKS.get(plan.intent, plan.intent)}."]
    if plan.subject:
        lines.append(f"- The person asking: {plan.subject}.")
    if plan.targets:
        lines.append(
            "- Answer from these sources only: " + ", ".join(f"[{n}]" for n in plan.targets) + "."
        )
    for f in plan.facts:
        lines.append(f'- State this fact with its marker: {f.value} ("{f.words}") [{f.n}].')
    if plan.measures:
        named = "; ".join(f'"{m.words}" [{m.n}]' for m in plan.measures)
        lines.append(f"- Name the measures in this order, with their markers: {named}.")
    lines += [f"- Note: {note}." for note in plan.notes]
    return "\n".join(lines)


#: What the prompt asks the model to write when no source speaks to the question (a long
#: sentence to copy is a pull small models follow even when a source answers).
NONE = "NONE"


def _draft(text: str, lang: str) -> Draft:
    said = text.strip().strip(".。").strip()
    abstained = said.upper() == NONE or ABSTAIN[lang] in text or ABSTAIN["en"] in text
    if abstained:
        text = ABSTAIN[lang]
    return Draft(
        text=text.strip(),
        abstained=abstained,
        reason="The model found no answer in the retrieved units." if abstained else None,
    )


def chat_model(settings: Settings, name: str) -> BaseChatModel:
    """The chat model behind generator ``name`` (imports its integration lazily)."""
    if name == "openai":
        try:
            from langchain_openai import ChatOpenAI
        except ImportError:
            raise GeneratorError(
                "The openai generator needs langchain-openai.", hint="pip install 'regqa[openai]'"
            ) from None
        if not settings.openai_base_url and settings.openai_api_key is None:
            raise GeneratorError(
                "The openai generator needs REGQA_OPENAI_BASE_URL or REGQA_OPENAI_API_KEY."
            )
        return ChatOpenAI(
            model=settings.openai_model,
            base_url=settings.openai_base_url,
            api_key=settings.openai_api_key or "not-needed",  # type: ignore[arg-type]
            temperature=settings.llm_temperature,
            max_tokens=settings.llm_max_tokens,
        )  # type: ignore[call-arg]
    if name == "ollama":
        try:
            from langchain_ollama import ChatOllama
        except ImportError:
            raise GeneratorError(
                "The ollama generator needs langchain-ollama.", hint="pip install 'regqa[ollama]'"
            ) from None
        return ChatOllama(
            model=settings.ollama_model,
            base_url=settings.ollama_base_url,
            temperature=settings.llm_temperature,
            num_predict=settings.llm_max_tokens,
        )
    if name == "local":
        from assistant.generators.local import local_chat_model

        return local_chat_model(settings)
    from assistant.generators.registry import NAMES

    raise GeneratorError(
        f"Generator {name!r} has no chat model.", hint=f"Use one of {', '.join(NAMES)}."
    )
