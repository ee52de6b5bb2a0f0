"""Questions → cited answers. ``from assistant import Assistant; Assistant.from_settings().ask("...")``."""

from assistant.answer import Answer, Citation
from assistant.core import Assistant
from assistant.settings import Settings

__all__ = ["Answer", "Assistant", "Citation", "Settings"]
