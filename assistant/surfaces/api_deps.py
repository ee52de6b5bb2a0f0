"""What every API route depends on: the services (assistant, settings, limits, feedback
store) kept on the app, the caller's identity (``HTTPBearer``) and the rate limit, and the
one error type routes raise."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from assistant.core import Assistant
from assistant.feedback import FeedbackStore
from assistant.settings import Settings
from assistant.surfaces.admission import Admission, Lane
from assistant.surfaces.api_models import ErrorResponse, Message
from assistant.surfaces.guards import RateLimiter, check_key

#: Error responses listed in the OpenAPI schema of every guarded route.
ERRORS: dict[int | str, dict[str, Any]] = {
    code: {"model": ErrorResponse} for code in (400, 401, 404, 413, 422, 429, 503)
}

bearer = HTTPBearer(
    auto_error=False,
    description="Send 'Authorization: Bearer <key>' when the server has REGQA_API_KEYS set.",
)


class ApiError(Exception):
    """An error a route returns in the API's envelope: ``{"error": {"code", "message"}}``."""

    def __init__(
        self, status: int, code: str, message: str, headers: dict[str, str] | None = None
    ) -> None:
        super().__init__(message)
        self.status, self.code, self.message, self.headers = status, code, message, headers or {}


@dataclass
class Services:
    assistant: Assistant
    settings: Settings
    keys: list[str]
    limiter: RateLimiter
    feedback: FeedbackStore
    admission: Admission

    def lane(self, generator: str | None) -> Lane:
        """The admission lane of an answer by ``generator`` (the configured one by default)."""
        from assistant.generators.registry import REGISTRY

        spec = REGISTRY.get(generator or self.settings.generator)
        return self.admission.lane(spec is not None and spec.model_written)


def services(request: Request) -> Services:
    found: Services = request.app.state.services
    return found


ServicesDep = Annotated[Services, Depends(services)]


def client(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
    svc: ServicesDep,
) -> str:
    """Authenticate (when keys are set) and rate-limit; the caller's id (key id or address)."""
    who = request.client.host if request.client else "unknown"
    if svc.keys:
        given = f"Bearer {credentials.credentials}" if credentials else None
        found = check_key(given, svc.keys)
        if found is None:
            raise ApiError(
                401,
                "unauthorized",
                "A valid API key is required: send 'Authorization: Bearer <key>'.",
                {"WWW-Authenticate": "Bearer"},
            )
        who = found
    request.state.client_id = who
    wait = svc.limiter.take(who)
    if wait:
        raise ApiError(
            429,
            "rate_limited",
            "Too many requests; retry later.",
            {"Retry-After": str(max(1, int(wait + 0.999)))},
        )
    return who


def history(messages: list[Message]) -> list[dict[str, str]]:
    """User and assistant turns of an OpenAI-style message list."""
    return [
        {"role": m.role, "content": m.text()} for m in messages if m.role in ("user", "assistant")
    ]
