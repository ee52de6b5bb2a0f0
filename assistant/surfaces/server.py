"""`regqa serve`: the API and the chat in one ASGI app under uvicorn."""

from __future__ import annotations

import ipaddress
import logging
import os
import socket

from fastapi import FastAPI

from assistant.core import Assistant
from assistant.settings import Settings
from assistant.surfaces.api import create_app
from ingest.errors import SettingsError

log = logging.getLogger("regqa.api")


def is_loopback(host: str) -> bool:
    if host in ("localhost", ""):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        try:
            return ipaddress.ip_address(socket.gethostbyname(host)).is_loopback
        except OSError:
            return False


def check_exposure(settings: Settings, host: str, insecure: bool) -> None:
    """Refuse to serve without keys off loopback, unless told ``--insecure``."""
    if settings.api_keys or is_loopback(host):
        return
    if not insecure:
        raise SettingsError(
            f"Refusing to serve on {host} without API keys.",
            hint="Set REGQA_API_KEYS (comma-separated bearer keys), bind to 127.0.0.1, or pass --insecure.",
        )
    log.warning(
        "Serving on %s WITHOUT API keys (--insecure): anyone who can reach it may use it.", host
    )


def build_server_app(assistant: Assistant, settings: Settings, with_chat: bool = True) -> FastAPI:
    app = create_app(assistant, settings)
    if with_chat:
        import gradio as gr

        from assistant.surfaces.chat_app import build_chat, launch_kwargs

        demo = build_chat(assistant, settings)
        demo.queue(default_concurrency_limit=settings.max_inflight, max_size=settings.max_queue)
        app = gr.mount_gradio_app(app, demo, path="/", **launch_kwargs())
    return app


def serve(
    settings: Settings, host: str, port: int, insecure: bool = False, with_chat: bool = True
) -> None:
    import uvicorn

    os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
    check_exposure(settings, host, insecure)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    assistant = Assistant.from_settings(settings)
    assistant.warm()
    app = build_server_app(assistant, settings, with_chat)
    print(
        f"regqa API on http://{host}:{port}/v1 (docs at /docs){' and chat at /' if with_chat else ''}",
        flush=True,
    )
    uvicorn.run(app, host=host, port=port, log_level="warning", access_log=False)
