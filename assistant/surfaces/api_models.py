"""Request and response bodies of the HTTP API (OpenAPI at /docs)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictBool, StringConstraints

from assistant.questions import NOT_BLANK

#: Text with at least one character that is not a space (what a question needs).
Text = Annotated[str, StringConstraints(min_length=1, pattern=NOT_BLANK)]


class TextPart(BaseModel):
    type: Literal["text"] = "text"
    text: Text


class Message(BaseModel):
    role: Literal["system", "user", "assistant", "tool", "developer"]
    content: Text | Annotated[list[TextPart], Field(min_length=1)] = Field(
        description="Text, or a list of text parts."
    )

    def text(self) -> str:
        if isinstance(self.content, list):
            return " ".join(p.text for p in self.content)
        return self.content


class AskRequest(BaseModel):
    question: Text = Field(max_length=4000, description="The question (at most 4,000 characters).")
    history: list[Message] = Field(
        default_factory=list, description="Earlier messages, oldest first."
    )
    generator: str | None = Field(default=None, description="extractive, local, openai or ollama.")


class MemoRequest(BaseModel):
    question: Text = Field(max_length=4000, description="The question to answer and record.")
    history: list[Message] = Field(
        default_factory=list, description="Earlier messages, oldest first."
    )
    format: Literal["docx", "md"] = Field(default="docx", description="Word (.docx) or Markdown.")


class ChatCompletionRequest(BaseModel):
    model_config = ConfigDict(extra="allow")

    model: str = "regqa-extractive"
    messages: list[Message] = Field(
        min_length=1,
        description="The conversation; the last user message is the question.",
        json_schema_extra={
            "contains": {
                "type": "object",
                "properties": {"role": {"const": "user"}},
                "required": ["role"],
            }
        },
    )
    stream: StrictBool = False


class FeedbackRequest(BaseModel):
    question: str = Field(max_length=4000)
    answer: str = Field(default="", max_length=20_000)
    citations: list[str] = Field(default_factory=list, max_length=50)
    abstained: StrictBool = False
    vote: Literal["up", "down"]
    history: list[Message] = Field(default_factory=list, max_length=50)
    comment: str | None = Field(default=None, max_length=2000)


class ErrorBody(BaseModel):
    code: str
    message: str


class ErrorResponse(BaseModel):
    error: ErrorBody


class UnitText(BaseModel):
    lang: str
    title: str
    text: str
    source: str
    start: int
    end: int
    parts: list[dict[str, Any]]


class UnitResponse(BaseModel):
    id: str
    doc: str
    version: str | None
    locator: str
    status: str
    texts: dict[str, UnitText]
    versions: list[str] = Field(description="Ids of the same unit in every version.")
    links: list[dict[str, Any]] = Field(description="References this unit makes.")
    linked_from: list[str] = Field(description="Units that refer to this one.")


class UnitSummary(BaseModel):
    id: str
    doc: str
    version: str | None
    title: str
    langs: list[str]
    score: float | None = None
