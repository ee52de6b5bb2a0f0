"""Admission control: a bounded number of answers in flight and a bounded queue per process.

Past the queue a request is refused at once (:class:`Overloaded` → 503 with ``Retry-After``)
instead of waiting in an unbounded line: a caller that would wait many seconds has given up
already, and a load balancer can steer to another replica (``/readyz`` says "not ready" while
the queue is full). Model-written answers (tens of seconds each on two cores) have their own,
smaller lane so they cannot starve extractive answers.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any


class Overloaded(Exception):
    def __init__(self, lane: str, retry_after: int) -> None:
        super().__init__(f"The {lane} lane is full.")
        self.lane, self.retry_after = lane, retry_after


@dataclass
class Lane:
    name: str
    inflight: int  # answers computed at once
    queue: int  # answers waiting for a slot
    retry_after: int = 1
    waiting: int = 0
    running: int = 0
    _slots: asyncio.Semaphore | None = field(default=None, repr=False)

    @property
    def full(self) -> bool:
        return self.waiting >= self.queue and self.running >= self.inflight

    @contextlib.asynccontextmanager
    async def slot(self) -> AsyncIterator[None]:
        """Hold one answer slot for the block; refuse at once when the queue is full."""
        if self._slots is None:  # made on first use, inside the serving event loop
            self._slots = asyncio.Semaphore(self.inflight)
        if self.full or (self._slots.locked() and self.waiting >= self.queue):
            raise Overloaded(self.name, self.retry_after)
        self.waiting += 1
        try:
            await self._slots.acquire()
        finally:
            self.waiting -= 1
        self.running += 1
        try:
            yield
        finally:
            self.running -= 1
            self._slots.release()


@dataclass
class Admission:
    """The lanes of one process: extractive answers and model-written ones."""

    answers: Lane
    models: Lane

    def lane(self, model_written: bool) -> Lane:
        return self.models if model_written else self.answers

    @property
    def saturated(self) -> bool:
        return self.answers.full


_HEALTHY = b'{"status":"ok"}'


class FrontDoor:
    """The outermost ASGI layer: ``/healthz`` is answered here at once, and a request to an
    answering route is refused here when the answer lane is full — before its body is read or
    any other layer runs, so shedding costs next to nothing and health stays fast."""

    def __init__(
        self, app: Any, admission: Admission, answering: frozenset[str], retry_after: int
    ) -> None:
        self.app, self.admission, self.answering = app, admission, answering
        self.retry_after = retry_after

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] == "http":
            path = scope.get("path", "")
            if path == "/healthz" and scope.get("method") in ("GET", "HEAD"):
                await _reply(send, 200, _HEALTHY)
                return
            if path in self.answering and self.admission.saturated:
                body = (
                    b'{"error":{"code":"overloaded","message":"The server is answering as many '
                    b'questions as it can; retry in %d s."}}' % self.retry_after
                )
                await _reply(send, 503, body, [(b"retry-after", str(self.retry_after).encode())])
                return
        await self.app(scope, receive, send)


async def _reply(
    send: Any, status: int, body: bytes, headers: list[tuple[bytes, bytes]] | None = None
) -> None:
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [(b"content-type", b"application/json"), *(headers or [])],
        }
    )
    await send({"type": "http.response.body", "body": body})
