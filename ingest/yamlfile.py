"""Reading a corpus YAML file (the manifest, an annotation file): text, data and node tree, with
errors that name the file and line."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from ingest.errors import CorpusError


def read_yaml(path: Path, missing_hint: str | None = None) -> tuple[str, Any, yaml.Node | None]:
    """(raw text, parsed data, node tree for line numbers) of a UTF-8 YAML file."""
    try:
        raw = path.read_text(encoding="utf-8")
        return raw, yaml.safe_load(raw), yaml.compose(raw)
    except FileNotFoundError:
        raise CorpusError(path, "no such file.", hint=missing_hint) from None
    except UnicodeDecodeError as err:
        raise CorpusError(path, f"not valid UTF-8 ({err.reason}).") from None
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        raise CorpusError(
            path,
            f"not valid YAML: {getattr(err, 'problem', err)}.",
            line=mark.line + 1 if mark else None,
        ) from None
