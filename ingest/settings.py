"""Settings of the index: where the corpus and the data live, which embedder.

Read from ``REGQA_*`` environment variables (and a ``.env`` file). The
assistant's :class:`assistant.settings.Settings` extends this class, so one
object carries everything; ingest only reads the fields defined here.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

#: ``fake`` has no model (deterministic pseudo-random vectors): for tests and smoke runs only.
EmbedderName = Literal["minilm", "e5", "fake"]

_PROJECT_CORPUS = Path(__file__).resolve().parent.parent / "corpus"


def _default_data_dir() -> Path:
    from platformdirs import user_data_dir

    return Path(user_data_dir("regqa", appauthor=False))


def _default_corpus_dir() -> Path:
    here = Path.cwd() / "corpus"
    return here if (here / "manifest.yaml").is_file() else _PROJECT_CORPUS


class IndexSettings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="REGQA_", env_file=".env", extra="ignore", validate_default=True
    )

    data_dir: Path = Field(
        default_factory=_default_data_dir,
        description="Where index generations live (default: the user data dir, "
        "e.g. ~/.local/share/regqa on Linux).",
    )
    corpus_dir: Path = Field(
        default_factory=_default_corpus_dir,
        description="Folder with manifest.yaml and the project's corpus files.",
    )
    embedder: EmbedderName = "e5"
    chroma_url: str | None = Field(
        default=None,
        description="Use a Chroma server (http://host:port) instead of the embedded store.",
    )
    chroma_token: SecretStr | None = None
    max_corpus_file_bytes: int = 5_000_000
    keep_generations: int = Field(default=2, ge=1)

    @field_validator("data_dir", "corpus_dir", mode="after")
    @classmethod
    def _expand(cls, value: Path) -> Path:
        return value.expanduser()
