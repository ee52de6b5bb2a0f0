"""Writing the register: a terminal table, CSV, JSON and an Excel workbook.

CSV and xlsx hold the flat rows of :func:`~assistant.obligations.model.flat` (one row per
obligation, one column per field); JSON holds the register itself.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from assistant.obligations.model import COLUMNS, Register, flat
from ingest.errors import FilterError

FORMATS: tuple[str, ...] = ("table", "csv", "json", "xlsx")
SHEET = "Obligations"


def format_for(out: Path | None, given: str | None) -> str:
    """The format asked for, else the one the output file's suffix names, else a table."""
    chosen = given or (out.suffix.lstrip(".").lower() if out and out.suffix else "table")
    if chosen not in FORMATS:
        raise FilterError(
            f"Unknown format {chosen!r}.", hint=f"Choose one of: {', '.join(FORMATS)}."
        )
    if chosen == "xlsx" and out is None:
        raise FilterError("An xlsx register needs a file.", hint="Add --out register.xlsx.")
    return chosen


def to_json(register: Register) -> str:
    return json.dumps(register.model_dump(mode="json"), ensure_ascii=False, indent=2)


def to_csv(register: Register) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(COLUMNS))
    writer.writeheader()
    for row in register.obligations:
        writer.writerow(flat(row))
    return buffer.getvalue()


def to_table(register: Register) -> str:
    """A table for a terminal (rich), the register's notice beneath."""
    from rich.console import Console
    from rich.table import Table

    table = Table(title=f"Obligations of the Rules, {register.wording} wording", show_lines=True)
    for name in ("provision", "actor", "what", "deadline", "sanction"):
        table.add_column(name, overflow="fold")
    for row in register.obligations:
        cells = flat(row)
        sanction = "\n".join(
            f"{s.id}: " + "; ".join(m.short() for m in s.measures) for s in row.sanctions
        )
        table.add_row(
            f"{row.label}\n{row.id}", cells["actor"], cells["what_en"], cells["deadline"], sanction
        )
    console = Console(record=True, width=160, file=io.StringIO())
    console.print(table)
    console.print(f"{register.count} obligations. {register.notice}")
    return console.export_text()


def write_xlsx(register: Register, path: Path) -> None:
    """A workbook: the rows on "Obligations" (bold frozen header, filters), then "About"."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = SHEET
    sheet.append(list(COLUMNS))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in register.obligations:
        sheet.append([flat(row)[c] for c in COLUMNS])
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = sheet.dimensions
    wide = {"what_en": 70, "what_zh": 45, "measures": 50, "actor": 35}
    for k, name in enumerate(COLUMNS, start=1):
        letter = sheet.cell(row=1, column=k).column_letter
        sheet.column_dimensions[letter].width = wide.get(name, 22)
    for cells in sheet.iter_rows(min_row=2):
        for cell in cells:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    about = book.create_sheet("About")
    for pair in (
        ("wording", register.wording),
        ("index generation", register.generation),
        ("actor filter", register.actor or ""),
        ("kind filter", register.kind or ""),
        ("obligations", str(register.count)),
        ("notice", register.notice),
    ):
        about.append(list(pair))
    book.save(path)


def write(register: Register, fmt: str, out: Path | None) -> str | None:
    """Write the register to ``out`` (or return the text for stdout when there is none)."""
    if fmt == "xlsx":
        assert out is not None
        write_xlsx(register, out)
        return None
    text = {"json": to_json, "csv": to_csv, "table": to_table}[fmt](register)
    if out is None:
        return text
    out.write_text(text, encoding="utf-8", newline="")
    return None
