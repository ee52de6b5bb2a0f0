"""Thumbs up/down on answers, kept as JSON lines in the data dir; export to eval cases."""

from __future__ import annotations

import fcntl
import json
import time
from pathlib import Path
from typing import Any

import yaml

from assistant.answer import Answer
from ingest.errors import StorageError

FEEDBACK_FILE = "feedback.jsonl"


class FeedbackStore:
    def __init__(self, data_dir: Path) -> None:
        self.path = data_dir / FEEDBACK_FILE

    def add(
        self,
        answer: Answer,
        history: list[dict[str, str]],
        vote: str,
        comment: str | None = None,
        citations: list[str] | None = None,
    ) -> dict[str, Any]:
        if vote not in ("up", "down"):
            raise ValueError("vote must be 'up' or 'down'")
        record = {
            "time": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
            "question": answer.question,
            "history": history,
            "answer": answer.answer,
            "citations": answer.cited_ids if citations is None else citations,
            "abstained": answer.abstained,
            "vote": vote,
            "comment": comment,
            "lang": answer.lang,
            "generator": answer.generator,
        }
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with open(self.path, "a", encoding="utf-8") as fh:
                fcntl.flock(fh.fileno(), fcntl.LOCK_EX)  # whole lines even with concurrent writers
                fh.write(json.dumps(record, ensure_ascii=False) + "\n")
        except OSError as err:
            raise StorageError(
                f"Feedback could not be saved in {self.path.parent}: {err.strerror or err}.",
                hint="The data dir may be read-only or full.",
            ) from None
        return record

    def records(self) -> list[dict[str, Any]]:
        if not self.path.exists():
            return []
        out = []
        for line in self.path.read_text(encoding="utf-8").splitlines():
            try:
                out.append(json.loads(line))
            except ValueError:
                continue  # a torn line from a crash: skip it, keep the rest
        return out


def to_cases(records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Eval-dataset cases to review: up-votes keep the answer's citations as gold."""
    cases = []
    for n, r in enumerate(records, start=1):
        turns = [m["content"] for m in r.get("history", []) if m.get("role") == "user"]
        case: dict[str, Any] = {"id": f"feedback-{n}"}
        if turns:
            case["turns"] = [*turns, r["question"]]
        else:
            case["question"] = r["question"]
        good = r.get("vote") == "up"
        case["answerable"] = not r.get("abstained", False) if good else True
        case["citations"] = list(r.get("citations", [])) if good and case["answerable"] else []
        case["keypoints"] = []
        case["lang"] = r.get("lang", "en")
        case["tags"] = ["feedback", f"vote-{r.get('vote')}", "needs-review"]
        cases.append(case)
    return cases


def export_yaml(store: FeedbackStore, path: Path) -> int:
    cases = to_cases(store.records())
    header = (
        "# Cases made from chat feedback. Review each before adding it to a dataset: down-votes\n"
        "# carry no gold citations, up-votes carry the answer's own citations.\n"
    )
    path.write_text(header + yaml.safe_dump(cases, allow_unicode=True, sort_keys=False), "utf-8")
    return len(cases)
