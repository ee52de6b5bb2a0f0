"""The OpenAI-compatible routes: ``/v1/models`` and ``/v1/chat/completions`` (streamed or not).

Generators appear as models named ``regqa-<generator>``; citations ride on the response and
on the final stream chunk.
"""

from __future__ import annotations

import contextlib
import json
import logging
import re
import time
import uuid
from collections.abc import AsyncIterator
from typing import Any

from fastapi import APIRouter, Depends
from fastapi.responses import StreamingResponse
from starlette.concurrency import iterate_in_threadpool, run_in_threadpool

from assistant.answer import Answer
from assistant.surfaces.api_deps import ERRORS, ApiError, ServicesDep, client, history
from assistant.surfaces.api_models import ChatCompletionRequest
from ingest.errors import RegqaError

log = logging.getLogger("regqa.api")
MODEL_PREFIX = "regqa-"
router = APIRouter(tags=["openai"], dependencies=[Depends(client)])


_TOKEN = re.compile(r"[\u3400-\u9fff]|\w+|[^\w\s]")


def count_tokens(text: str) -> int:
    """Tokens as regqa counts them (no model tokenizer is involved in an extractive answer):
    each word, each CJK character and each punctuation mark is one token."""
    return len(_TOKEN.findall(text))


def usage(prompt: list[str], completion: str) -> dict[str, int]:
    p, c = sum(count_tokens(t) for t in prompt), count_tokens(completion)
    return {"prompt_tokens": p, "completion_tokens": c, "total_tokens": p + c}


def citations(answer: Answer) -> list[dict[str, Any]]:
    return [
        {
            "id": c.id,
            "title": c.title,
            "quote": c.quote,
            "lang": c.lang,
            "start": c.start,
            "end": c.end,
        }
        for c in answer.citations
    ]


@router.get("/v1/models", responses=ERRORS)
async def models(svc: ServicesDep) -> dict[str, Any]:
    """Generators as OpenAI model names."""
    return {
        "object": "list",
        "data": [
            {"id": f"{MODEL_PREFIX}{g}", "object": "model", "created": 0, "owned_by": "regqa"}
            for g in svc.assistant.generator_names()
        ],
    }


def _generator(svc: ServicesDep, model: str) -> str:
    name = model.removeprefix(MODEL_PREFIX)
    if not model.startswith(MODEL_PREFIX) or name not in svc.assistant.generator_names():
        raise ApiError(
            404, "model_not_found", f"Unknown model {model!r}; GET /v1/models lists them."
        )
    return name


@router.post(
    "/v1/chat/completions",
    responses={
        **ERRORS,
        200: {
            "description": "A chat completion, or with `stream` server-sent chunks.",
            "content": {"application/json": {}, "text/event-stream": {}},
        },
    },
)
async def chat_completions(body: ChatCompletionRequest, svc: ServicesDep) -> Any:
    """OpenAI-compatible chat; citations ride on the response and the final stream chunk."""
    generator = _generator(svc, body.model)
    users = [i for i, m in enumerate(body.messages) if m.role == "user"]
    if not users:
        raise ApiError(422, "invalid_request", "messages must contain a user message.")
    question = body.messages[users[-1]].text()
    past = history(body.messages[: users[-1]])
    if svc.settings.log_questions:
        log.info("question: %s", question[:500])
    created, cid = int(time.time()), f"chatcmpl-{uuid.uuid4().hex[:24]}"
    lane = svc.lane(generator)
    if not body.stream:
        async with lane.slot():
            answer = await run_in_threadpool(svc.assistant.ask, question, past, generator)
        return {
            "id": cid,
            "object": "chat.completion",
            "created": created,
            "model": body.model,
            "choices": [
                {
                    "index": 0,
                    "message": {"role": "assistant", "content": answer.answer},
                    "finish_reason": "stop",
                }
            ],
            "usage": usage([m.text() for m in body.messages], answer.answer),
            "citations": citations(answer),
            "abstained": answer.abstained,
        }
    slot = contextlib.AsyncExitStack()
    await slot.enter_async_context(lane.slot())  # shed now (503), or hold it for the stream
    try:
        pieces = svc.assistant.stream(question, past, generator)  # a bad question fails here
    except BaseException:
        await slot.aclose()
        raise

    def chunk(delta: dict[str, Any], finish: str | None = None, **extra: Any) -> str:
        payload = {
            "id": cid,
            "object": "chat.completion.chunk",
            "created": created,
            "model": body.model,
            "choices": [{"index": 0, "delta": delta, "finish_reason": finish}],
            **extra,
        }
        return f"data: {json.dumps(payload, ensure_ascii=False)}\n\n"

    async def events() -> AsyncIterator[str]:
        async with slot:
            async for event in _events():
                yield event

    async def _events() -> AsyncIterator[str]:
        yield chunk({"role": "assistant", "content": ""})
        try:
            async for item in iterate_in_threadpool(pieces):
                if isinstance(item, Answer):
                    used = usage([m.text() for m in body.messages], item.answer)
                    yield chunk(
                        {},
                        "stop",
                        citations=citations(item),
                        abstained=item.abstained,
                        usage=used,
                    )
                else:
                    yield chunk({"content": item})
        except RegqaError as err:
            yield f"data: {json.dumps({'error': {'code': err.code, 'message': str(err)}})}\n\n"
        yield "data: [DONE]\n\n"

    return StreamingResponse(
        events(), media_type="text/event-stream", headers={"Cache-Control": "no-cache"}
    )
