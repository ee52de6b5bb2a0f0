"""The one settings object (env prefix ``REGQA_``): index settings plus the assistant's own."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import NoDecode

from assistant.generators.registry import NAMES
from ingest.settings import IndexSettings


class Settings(IndexSettings):
    generator: str = Field(
        default="extractive", description=f"One of {', '.join(NAMES)} (see the registry)."
    )
    max_question_chars: int = Field(default=4000, ge=1)
    top_k: int = Field(default=5, ge=1, le=20, description="Units handed to the generator.")
    candidates: int = Field(default=20, ge=1, description="Hits taken from each retriever.")
    retrieval_mode: Literal["hybrid", "dense", "bm25"] = "hybrid"
    #: How the retrieval lists are fused (see ``assistant.retriever.HybridRetriever``).
    fusion: Literal["weighted", "rrf"] = "weighted"
    rrf_k: int = 60
    #: Answer only when the top units reach one of these; None = the embedder's tuned default
    #: (see ``assistant.policy.RELEVANCE_GATES``, tuned on evals/datasets/core.yaml).
    min_dense_score: float | None = None
    min_lexical_coverage: float | None = None
    #: The annotation layer's three uses in retrieval (switch one off to measure what it adds).
    annotation_views: bool = True
    sanction_links: bool = True
    revision_links: bool = True
    #: A ranker learned from the views (``assistant.ranker``), fused as one more list.
    learned_ranker: bool = True
    max_quotes: int = Field(default=3, ge=1, le=6)
    quote_floor: float = Field(
        default=0.8, ge=0, le=1, description="Extra quotes must score this share of the best."
    )

    # OpenAI-compatible endpoint (OpenAI, vLLM, llama.cpp server, Ollama /v1)
    openai_base_url: str | None = None
    openai_model: str = "gpt-4o-mini"
    openai_api_key: SecretStr | None = None
    # Ollama's native API
    ollama_base_url: str = "http://127.0.0.1:11434"
    ollama_model: str = "qwen2.5:1.5b-instruct"
    # In-process llama.cpp
    local_model_path: str | None = Field(
        default=None,
        description="GGUF file; default: the packaged model `local_model`, joined once.",
    )
    local_model: Literal["qwen2.5-coder-1.5b", "qwen2.5-coder-0.5b"] = Field(
        default="qwen2.5-coder-1.5b",
        description="Which GGUF shipped on PyPI the local generator loads (see README).",
    )
    local_threads: int | None = Field(default=None, ge=1, description="llama.cpp threads.")
    chat_host: str = "127.0.0.1"
    chat_port: int = Field(default=7860, ge=1, le=65535)
    # HTTP API (`regqa serve`)
    serve_host: str = "127.0.0.1"
    serve_port: int = Field(default=8000, ge=1, le=65535)
    api_keys: Annotated[list[SecretStr], NoDecode] = Field(
        default_factory=list, description="Bearer keys (comma-separated); required off loopback."
    )
    rate_limit_per_minute: int = Field(
        default=120, ge=1, description="Requests per key (or client)."
    )
    cors_origins: Annotated[list[str], NoDecode] = Field(default_factory=list)
    max_body_bytes: int = 65_536
    # Admission control (per process): answers computed at once, and waiting; past that, 503
    max_inflight: int = Field(default=2, ge=1, description="Answers computed at once.")
    max_queue: int = Field(default=32, ge=0, description="Answers waiting for a slot.")
    model_max_inflight: int = Field(default=1, ge=1, description="Model answers at once.")
    model_max_queue: int = Field(default=2, ge=0, description="Model answers waiting.")
    retry_after_s: int = Field(default=1, ge=1, description="Retry-After of a shed request.")
    log_questions: bool = False
    reload_interval_s: float = Field(
        default=2.0, ge=0, description="How often to look for a new index generation."
    )
    llm_max_tokens: int = 256
    llm_temperature: float = 0.0

    @field_validator("generator")
    @classmethod
    def _known_generator(cls, value: str) -> str:
        if value not in NAMES:
            raise ValueError(f"unknown generator {value!r}; use one of {', '.join(NAMES)}")
        return value

    @field_validator("api_keys", "cors_origins", mode="before")
    @classmethod
    def _split_list(cls, value: object) -> object:
        if isinstance(value, str):
            return [p.strip() for p in value.split(",") if p.strip()]
        return value
