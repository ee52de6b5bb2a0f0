"""Human-readable evaluation reports: ``report.md`` and a self-contained ``report.html``.

Both files are built from one list of blocks, so the HTML mirrors the Markdown; the HTML
adds inline SVG plots (no scripts, no external resources: it renders offline).
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from evals.results import SUMMARY_KEYS, CaseResult, EvalRun

DASH = "—"
MAX_CELL = 160
LABELS = {k: k.replace("_", " ").replace("alce", "ALCE") for k in SUMMARY_KEYS} | {
    "mrr": "MRR",
    "n_cases": "cases",
    "citation_f1": "citation F1",
}
# fmt: off
COMPARISON = [
    ("n_cases", "n_cases"), ("citation_precision", "cit. P"), ("citation_recall", "cit. R"),
    ("citation_f1", "cit. F1"), ("invented_citations", "invented"), ("dropped_citations", "dropped"),
    ("dropped_sentences", "dropped sent."), ("fallback_rate", "fallback"),
    ("retrieval_recall_at_5", "R@5"), ("mrr", "MRR"), ("alce_citation_recall", "ALCE R"),
    ("alce_citation_precision", "ALCE P"), ("keypoint_recall", "keypoint R"),
    ("abstention_accuracy", "abstention acc."), ("latency_p50_ms", "p50 ms"),
    ("latency_p95_ms", "p95 ms"),
]
TAG_METRICS = ["citation_f1", "keypoint_recall", "abstention_accuracy", "retrieval_recall_at_5"]
CONFUSION_ROWS = [("should abstain", "true_abstain", "missed_abstain"),
                  ("should answer", "false_abstain", "true_answer")]
# fmt: on
STYLE = """body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:2em auto;
max-width:72em;padding:0 1em;color:#222;line-height:1.4}
table{border-collapse:collapse;margin:.5em 0 1.5em}
th,td{border:1px solid #bbb;padding:.25em .6em;text-align:left;vertical-align:top}
th{background:#f0f0f0}svg{display:block;margin:.5em 0 1.5em;font-size:12px}"""


@dataclass
class _Table:
    headers: list[str]
    rows: list[list[str]]


@dataclass
class _Block:
    kind: Literal["h1", "h2", "h3", "p", "ul", "table", "svg"]
    text: str = ""
    items: list[str] = field(default_factory=list)
    table: _Table | None = None
    html_only: bool = False


def _fmt(key: str, value: float | int | None, integral: bool = True) -> str:
    if value is None:
        return DASH
    if integral and key in (
        "n_cases",
        "invented_citations",
        "dropped_citations",
        "dropped_sentences",
    ):
        return str(int(value))
    return f"{value:.1f}" if key.endswith("_ms") else f"{value:.3f}"


def _delta(key: str, base: float | int | None, value: float | int | None) -> str:
    if base is None or value is None:
        return DASH
    diff = value - base
    if key in ("invented_citations", "dropped_citations", "dropped_sentences"):
        return f"{int(diff):+d}"
    return f"{diff:+.1f}" if key.endswith("_ms") else f"{diff:+.3f}"


def _trunc(text: str, limit: int = MAX_CELL) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _md(text: str) -> str:
    """Escape text for a Markdown table cell or line: pipes, raw HTML, newlines."""
    text = text.replace("\\", "\\\\").replace("|", "\\|").replace("<", "\\<")
    return " ".join(text.splitlines())


def _comparison(runs: list[EvalRun], delta: bool = False) -> _Table:
    headers = ["config", *(label for key, label in COMPARISON if not delta or key != "n_cases")]
    rows = []
    base = runs[0].summary.model_dump()
    for run in runs[1:] if delta else runs:
        data = run.summary.model_dump()
        if delta:
            cells = [_delta(k, base[k], data[k]) for k, _ in COMPARISON if k != "n_cases"]
        else:
            cells = [_fmt(k, data[k]) for k, _ in COMPARISON]
        rows.append([run.summary.config, *cells])
    return _Table(headers, rows)


def _summary_table(run: EvalRun) -> _Table:
    data = run.summary.model_dump()
    rows = []
    for key in SUMMARY_KEYS:
        low_high = run.summary.intervals.get(key)
        interval = DASH
        if low_high and len(low_high) == 2:
            interval = f"[{_fmt(key, low_high[0], False)}, {_fmt(key, low_high[1], False)}]"
        rows.append([LABELS.get(key, key), _fmt(key, data[key]), interval])
    return _Table(["metric", "value", "95 % interval"], rows)


def _tag_table(run: EvalRun) -> _Table | None:
    by_tag = run.summary.by_tag
    keys = [k for k in TAG_METRICS if any(k in metrics for metrics in by_tag.values())]
    if not by_tag or not keys:
        return None
    rows = [[tag, *(_fmt(k, by_tag[tag].get(k)) for k in keys)] for tag in sorted(by_tag)]
    return _Table(["tag", *keys], rows)


def _confusion_table(run: EvalRun) -> _Table:
    conf = run.summary.confusion
    rows = [[label, str(conf.get(a, 0)), str(conf.get(b, 0))] for label, a, b in CONFUSION_ROWS]
    return _Table(["", "abstained", "answered"], rows)


def _expected(case: CaseResult) -> str:
    if not case.answerable:
        return "abstain"
    parts = [", ".join(case.gold) or "(no gold ids)"]
    if case.keypoints:
        parts.append("keypoints: " + "; ".join(case.keypoints))
    return " — ".join(parts)


def _got(case: CaseResult) -> str:
    if case.error:
        return f"error: {case.error}"
    if case.abstained:
        return f"abstained: {case.reason or 'no reason given'}"
    return ", ".join(case.cited) or "(no citations)"


def _failures_table(run: EvalRun) -> _Table | None:
    failing = [case for case in run.cases if case.failures]
    if not failing:
        return None
    cells = [(c.id, c.question, _expected(c), _got(c), "; ".join(c.failures)) for c in failing]
    rows = [[_trunc(text) for text in row] for row in cells]
    return _Table(["id", "question", "expected", "got", "why"], rows)


# --- SVG plots (inline, no xmlns URL needed inside HTML5) ------------------------------------


def _svg(width: int, height: int, title: str, body: list[str]) -> str:
    label = html.escape(title)
    return (
        f'<svg width="{width}" height="{height}" viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="{label}"><title>{label}</title>' + "".join(body) + "</svg>"
    )


def _text(x: float, y: float, text: str, anchor: str = "start", extra: str = "") -> str:
    return f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}"{extra}>{html.escape(text)}</text>'


def _tag_bars_svg(run: EvalRun) -> str | None:
    by_tag = run.summary.by_tag
    if not by_tag:
        return None
    series = [("citation_f1", "#4a7bb7"), ("keypoint_recall", "#e29a3b")]
    left, scale, bar, gap = 160, 320, 11, 10
    body = []
    for i, (key, color) in enumerate(series):
        body.append(f'<rect x="{left + i * 130}" y="4" width="10" height="10" fill="{color}"/>')
        body.append(_text(left + i * 130 + 14, 13, key))
    y = 26
    for tag in sorted(by_tag):
        body.append(_text(left - 6, y + bar + 3, _trunc(tag, 24), "end"))
        for j, (key, color) in enumerate(series):
            value = by_tag[tag].get(key)
            top = y + j * (bar + 1)
            width = max(0.0, min(1.0, value or 0.0)) * scale
            body.append(
                f'<rect x="{left}" y="{top}" width="{width:.1f}" height="{bar}" fill="{color}">'
                f"<title>{html.escape(f'{tag} {key}: {_fmt(key, value)}')}</title></rect>"
            )
            body.append(_text(left + width + 4, top + bar - 1, _fmt(key, value)))
        y += 2 * bar + gap
    return _svg(left + scale + 60, y + 4, f"Per-tag scores ({run.summary.config})", body)


def _latency_svg(run: EvalRun, bins: int = 15) -> str | None:
    values = [case.latency_ms for case in run.cases]
    if not values:
        return None
    low, high = min(values), max(values)
    step = (high - low) / bins if high > low else 1.0
    counts = [0] * bins
    for value in values:
        counts[min(int((value - low) / step), bins - 1)] += 1
    left, top, plot_w, plot_h = 40, 10, 450, 160
    bar_w, peak = plot_w / bins, max(counts)
    body = [
        f'<line x1="{left}" y1="{top + plot_h}" x2="{left + plot_w}" y2="{top + plot_h}" '
        'stroke="#444"/>',
        _text(left - 4, top + 10, str(peak), "end"),
        _text(left - 4, top + plot_h, "0", "end"),
        _text(left, top + plot_h + 16, f"{low:.1f} ms", "start"),
        _text(left + plot_w, top + plot_h + 16, f"{low + step * bins:.1f} ms", "end"),
        _text(left + plot_w / 2, top + plot_h + 32, "latency per case (ms)", "middle"),
    ]
    for i, count in enumerate(counts):
        height = plot_h * count / peak
        edge = low + i * step
        tip = f"{edge:.1f}–{edge + step:.1f} ms: {count}"
        body.append(
            f'<rect x="{left + i * bar_w + 1:.1f}" y="{top + plot_h - height:.1f}" '
            f'width="{bar_w - 2:.1f}" height="{height:.1f}" fill="#6a9f58">'
            f"<title>{html.escape(tip)}</title></rect>"
        )
    return _svg(left + plot_w + 10, top + plot_h + 40, f"Latency ({run.summary.config})", body)


def _confusion_svg(run: EvalRun) -> str:
    conf = run.summary.confusion
    left, top, cell_w, cell_h = 110, 24, 130, 60
    big = ' font-size="18" font-weight="bold"'
    body = [
        _text(left + cell_w * (i + 0.5), 16, h, "middle")
        for i, h in enumerate(["abstained", "answered"])
    ]
    for r, (label, *keys) in enumerate(CONFUSION_ROWS):
        y = top + r * cell_h
        body.append(_text(left - 8, y + cell_h / 2 + 4, label, "end"))
        for c, key in enumerate(keys):
            color = "#cfe8cf" if r == c else "#f4c7c3"
            x = left + c * cell_w
            body.append(
                f'<rect x="{x}" y="{y}" width="{cell_w}" height="{cell_h}" fill="{color}" '
                'stroke="#666"/>'
            )
            count = str(conf.get(key, 0))
            body.append(_text(x + cell_w / 2, y + cell_h / 2 + 2, count, "middle", big))
            body.append(_text(x + cell_w / 2, y + cell_h - 8, key, "middle", ' fill="#555"'))
    return _svg(left + 2 * cell_w + 10, top + 2 * cell_h + 10, "Abstention confusion", body)


# --- document model and rendering ------------------------------------------------------------


def _describe(run: EvalRun, default: bool) -> str:
    s = run.summary
    return (
        f"{s.config}{' (default)' if default else ''}: generator {s.generator}; "
        f"embedder {s.embedder}; retrieval {s.retrieval}; judge {s.judge}; date {s.date}; "
        f"dataset {s.dataset}; {s.n_cases} cases"
    )


def _blocks(runs: list[EvalRun]) -> list[_Block]:
    first = runs[0]
    name = first.summary.config
    datasets = ", ".join(dict.fromkeys(run.summary.dataset for run in runs))
    blocks = [
        _Block("h1", "regqa evaluation report"),
        _Block("p", f"Date: {first.summary.date} · Dataset: {datasets}"),
        _Block("h2", "Runs"),
        _Block(
            "ul", items=[_describe(run, i == 0 and len(runs) > 1) for i, run in enumerate(runs)]
        ),
    ]
    for run in runs:
        blocks += [
            _Block("h2", f"Summary: {run.summary.config}"),
            _Block("table", table=_summary_table(run)),
        ]
    if len(runs) > 1:
        blocks += [
            _Block("h2", "Comparison"),
            _Block("p", f"Default: {name}; the other runs are compared against it."),
            _Block("table", table=_comparison(runs)),
            _Block("h3", f"Difference from {name}"),
            _Block("table", table=_comparison(runs, delta=True)),
        ]
    tags = _tag_table(first)
    blocks.append(_Block("h2", f"Per-tag breakdown: {name}"))
    blocks.append(_Block("table", table=tags) if tags else _Block("p", "No tags."))
    blocks += [
        _Block("h2", f"Abstention confusion: {name}"),
        _Block("table", table=_confusion_table(first)),
        _Block("svg", _confusion_svg(first)),
    ]
    plots = [svg for svg in (_tag_bars_svg(first), _latency_svg(first)) if svg]
    if plots:
        blocks.append(_Block("h2", f"Plots: {name}", html_only=True))
        blocks += [_Block("svg", svg) for svg in plots]
    failing = _failures_table(first)
    n_failed = sum(1 for case in first.cases if case.failures)
    blocks.append(_Block("h2", f"Failing cases: {name}"))
    if failing:
        blocks.append(_Block("p", f"{n_failed} of {len(first.cases)} cases failed."))
        blocks.append(_Block("table", table=failing))
    else:
        blocks.append(_Block("p", f"No failing cases ({len(first.cases)} cases)."))
    return blocks


def _md_table(table: _Table) -> str:
    lines = [
        "| " + " | ".join(_md(h) for h in table.headers) + " |",
        "|" + "---|" * len(table.headers),
    ]
    lines += ["| " + " | ".join(_md(cell) for cell in row) + " |" for row in table.rows]
    return "\n".join(lines)


def _render_md(blocks: list[_Block]) -> str:
    out = []
    for block in (b for b in blocks if not b.html_only):
        if block.kind in ("h1", "h2", "h3"):
            out.append("#" * int(block.kind[1]) + " " + _md(block.text))
        elif block.kind == "p":
            out.append(_md(block.text))
        elif block.kind == "ul":
            out.append("\n".join("- " + _md(item) for item in block.items))
        elif block.kind == "table" and block.table:
            out.append(_md_table(block.table))
    return "\n\n".join(out) + "\n"


def _html_table(table: _Table) -> str:
    head = "".join(f"<th>{html.escape(h)}</th>" for h in table.headers)
    body = "".join(
        "<tr>" + "".join(f"<td>{html.escape(cell)}</td>" for cell in row) + "</tr>"
        for row in table.rows
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _render_html(blocks: list[_Block], title: str) -> str:
    out = []
    for block in blocks:
        if block.kind in ("h1", "h2", "h3", "p"):
            out.append(f"<{block.kind}>{html.escape(block.text)}</{block.kind}>")
        elif block.kind == "ul":
            out.append("<ul>" + "".join(f"<li>{html.escape(i)}</li>" for i in block.items))
            out[-1] += "</ul>"
        elif block.kind == "table" and block.table:
            out.append(_html_table(block.table))
        elif block.kind == "svg":
            out.append(block.text)  # built by this module, every text node escaped
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{html.escape(title)}</title>\n<style>\n{STYLE}\n</style>\n</head>\n<body>\n"
        + "\n".join(out)
        + "\n</body>\n</html>\n"
    )


def comparison_table(runs: list[EvalRun]) -> str:
    """Markdown table: one row per run (config name), main metrics; None shown as '—'."""
    return _md_table(_comparison(runs))


def write_report(runs: list[EvalRun], out_dir: Path) -> tuple[Path, Path]:
    """Write out_dir/report.md and a self-contained out_dir/report.html; return both paths."""
    if not runs:
        raise ValueError("write_report needs at least one run")
    blocks = _blocks(runs)
    out_dir.mkdir(parents=True, exist_ok=True)
    md_path, html_path = out_dir / "report.md", out_dir / "report.html"
    md_path.write_text(_render_md(blocks), encoding="utf-8")
    title = f"regqa evaluation report: {runs[0].summary.config}"
    html_path.write_text(_render_html(blocks, title), encoding="utf-8")
    return md_path, html_path
