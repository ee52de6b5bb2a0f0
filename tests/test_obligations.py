"""The obligations register (fast tier: the real corpus and annotations, the fake embedder)."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
import yaml
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from assistant.obligations import build_register, changed_rows
from assistant.obligations.export import format_for, to_csv, to_json, write_xlsx
from assistant.obligations.model import COLUMNS, flat
from ingest.citations import CitationId
from ingest.errors import FilterError
from ingest.wording import normalise, same_text

from .conftest import CORPUS

REVIEW = CORPUS / "annotations" / "review"


def _locators(register) -> list[str]:
    return [CitationId.parse(r.id).locator for r in register.obligations]


@pytest.mark.parametrize("wording", ["2024", "2011"])
def test_lists_exactly_the_reviewed_duties_and_prohibitions(rules_index, wording: str) -> None:
    reviewed = yaml.safe_load((REVIEW / "obligations.yaml").read_text("utf-8"))["wordings"]
    register = build_register(rules_index, wording)
    assert register.wording == wording
    assert sorted(_locators(register)) == sorted(reviewed[wording])
    assert all(r.id.startswith(f"rules@{wording}#") for r in register.obligations)


def test_the_default_is_the_wording_in_force(rules_index) -> None:
    assert build_register(rules_index).wording == "2024"


def test_links_follow_the_text(rules_index) -> None:
    rows = {CitationId.parse(r.id).locator: r for r in build_register(rules_index).obligations}

    def punished_by(locator: str) -> list[str]:
        return [CitationId.parse(s.id).locator for s in rows[locator].sanctions]

    assert punished_by("art-12.p1") == ["art-22.p1"]
    assert punished_by("art-14.p1") == punished_by("art-14.p2") == ["art-21.p1"]
    assert punished_by("art-16.p1") == ["art-23.p1"]
    assert all(punished_by(f"art-15.i{n}") == ["art-20.p1"] for n in range(1, 10))
    assert punished_by("art-7.p1") == ["art-19.p1"]
    assert punished_by("art-8.p1") == ["art-19.p2"]
    assert punished_by("art-17.p1") == []
    # The reviewed sanction graph, both ways: a row has a sanction iff the graph says so.
    graph = yaml.safe_load((REVIEW / "sanction-links.yaml").read_text("utf-8"))["punished"]
    for locator, row in rows.items():
        expected = sorted(
            {
                s
                for t, ss in graph.items()
                for s in ss
                if locator == t or locator.startswith(t + ".")
            }
        )
        assert sorted(punished_by(locator)) == expected, locator
        assert row.citations == [row.id, *(s.id for s in row.sanctions)]


def test_measures_come_in_order_with_the_fine(rules_index) -> None:
    row = next(r for r in build_register(rules_index).obligations if r.id.endswith("art-7.p1"))
    types = [m.type for m in row.sanctions[0].measures]
    assert types == ["order_to_correct", "confiscation", "fine", "fine", "closure"]
    assert [m.value for m in row.sanctions[0].measures if m.type == "fine"] == [
        "3-5 times illegal gains",
        "RMB 100000-1000000",
    ]


def test_every_cell_that_states_a_fact_is_the_texts_words(rules_index) -> None:
    for wording in ("2011", "2024"):
        for row in build_register(rules_index, wording).obligations:
            unit = CitationId.parse(row.unit)
            texts = {c.lang: normalise(c.text) for c in rules_index.chunks_of(unit)}
            assert row.what.en and row.what.zh
            assert normalise(row.what.en) in texts["en"] and normalise(row.what.zh) in texts["zh"]
            for term in row.deadlines:
                assert normalise(term.words.en or "") in normalise(row.what.en)
                assert normalise(term.words.zh or "") in normalise(row.what.zh)
            for actor in row.actor:  # the text's words (a plural may be the text's singular;
                lowered = texts["en"].lower()  # "no one may" binds anyone)
                said = actor.lower() in lowered or actor.lower().rstrip("s") in lowered
                assert said or (actor == "anyone" and "no one" in lowered), actor
            for sanction in row.sanctions:
                words = {c.lang: normalise(c.text) for c in rules_index.chunks_of(sanction.id)}
                for m in sanction.measures:
                    assert normalise(m.words.en or "") in words["en"]
                    assert normalise(m.words.zh or "") in words["zh"]


def test_the_wordings_registers_differ_exactly_where_the_wordings_differ(rules_index) -> None:
    old, new = build_register(rules_index, "2011"), build_register(rules_index, "2024")
    differing_units = set()
    for unit in rules_index.unit_ids():
        if unit.doc != "rules" or unit.version != "2024":
            continue
        for lang in ("en", "zh"):
            a = rules_index.unit(unit.with_version("2011"), lang).text
            b = rules_index.unit(unit, lang).text
            if not same_text(a, b):
                differing_units.add(unit.locator)
    changed = changed_rows(old, new)
    assert changed == ["art-5.p1"]
    assert {CitationId.parse(f"rules#{c}").unit.locator for c in changed} == differing_units
    row = next(r for r in old.obligations if r.id.endswith("art-5.p1"))
    assert "medical devices" in (row.what.en or "")


def test_filters(rules_index) -> None:
    access = build_register(rules_index, actor="ACCESS")
    assert _locators(access) == ["art-14.p1", "art-14.p2"]
    prohibitions = build_register(rules_index, kind="prohibition")
    assert {r.kind for r in prohibitions.obligations} == {"prohibition"}
    assert "art-15.i6" in _locators(prohibitions) and prohibitions.count == 13
    assert build_register(rules_index, actor="no such actor").count == 0
    with pytest.raises(FilterError, match="2011, 2024"):
        build_register(rules_index, wording="2019")
    with pytest.raises(FilterError, match="duty, prohibition"):
        build_register(rules_index, kind="right")


def test_csv_and_xlsx_read_back_to_the_json_rows(rules_index, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    register = build_register(rules_index)
    expected = [flat(r) for r in register.obligations]
    # json → the same rows
    data = json.loads(to_json(register))
    from assistant.obligations.model import Obligation

    assert [flat(Obligation.model_validate(o)) for o in data["obligations"]] == expected
    assert data["count"] == len(expected) == 30
    # csv → the same rows
    assert list(csv.DictReader(io.StringIO(to_csv(register)))) == expected
    # xlsx → the same rows, header frozen and filtered
    path = tmp_path / "register.xlsx"
    write_xlsx(register, path)
    sheet = load_workbook(path)["Obligations"]
    values = list(sheet.iter_rows(values_only=True))
    assert list(values[0]) == list(COLUMNS)
    assert [dict(zip(COLUMNS, (v or "" for v in row), strict=True)) for row in values[1:]] == (
        expected
    )
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref == sheet.dimensions


def test_formats() -> None:
    assert format_for(None, None) == "table"
    assert format_for(Path("r.xlsx"), None) == "xlsx"
    assert format_for(Path("r.csv"), "json") == "json"
    with pytest.raises(FilterError, match="--out"):
        format_for(None, "xlsx")
    with pytest.raises(FilterError, match="table, csv, json, xlsx"):
        format_for(Path("r.pdf"), None)


def test_cli(rules_settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from regqa.cli import app

    monkeypatch.setenv("REGQA_DATA_DIR", str(rules_settings.data_dir))
    runner = CliRunner()
    got = runner.invoke(app, ["obligations", "--format", "json", "--actor", "access"])
    assert got.exit_code == 0, got.output
    assert [o["id"] for o in json.loads(got.stdout)["obligations"]] == [
        "rules@2024#art-14.p1",
        "rules@2024#art-14.p2",
    ]
    out = tmp_path / "r.xlsx"
    got = runner.invoke(app, ["obligations", "--out", str(out), "--wording", "2011"])
    assert got.exit_code == 0 and out.exists()
    table = runner.invoke(app, ["obligations", "--kind", "duty"])
    assert "Article 14, paragraph 2" in table.stdout and "60 days" in table.stdout
    bad = runner.invoke(app, ["obligations", "--wording", "1999"])
    assert bad.exit_code != 0 and isinstance(bad.exception, FilterError)


def test_api_route(rules_settings) -> None:
    from assistant import Assistant
    from assistant.surfaces.api import create_app

    app = create_app(Assistant.from_settings(rules_settings))
    with TestClient(app) as client:
        ok = client.get("/v1/obligations", params={"actor": "access", "wording": "2011"})
        assert ok.status_code == 200
        assert [o["id"] for o in ok.json()["obligations"]] == [
            "rules@2011#art-14.p1",
            "rules@2011#art-14.p2",
        ]
        bad = client.get("/v1/obligations", params={"wording": "1999"})
        assert bad.status_code == 422 and bad.json()["error"]["code"] == "bad_filter"
        bad = client.get("/v1/obligations", params={"kind": "right"})
        assert bad.status_code == 422 and "'duty'" in bad.json()["error"]["message"]
        bad = client.get("/v1/obligations", params={"wording": ""})
        assert bad.status_code == 422 and bad.json()["error"]["code"] == "bad_filter"
        schema = client.get("/openapi.json").json()
        params = {p["name"]: p for p in schema["paths"]["/v1/obligations"]["get"]["parameters"]}
        assert params["wording"]["schema"]["enum"] == ["2011", "2024"]
        schema = client.get("/openapi.json").json()
        assert "/v1/obligations" in schema["paths"]
        assert "422" in schema["paths"]["/v1/obligations"]["get"]["responses"]


def test_register_tab_html(rules_index) -> None:
    from assistant.surfaces.register_html import register_html
    from assistant.surfaces.render import panel_html

    register = build_register(rules_index, actor="access")
    html = register_html(rules_index, register)
    assert html.count("<tr data-id=") == 2 and 'data-ref="rules@2024#art-21:en|' in html
    ref = html.split('data-ref="', 1)[1].split('"', 1)[0]
    panel = panel_html(rules_index, ref)
    assert "record the information content" in panel and '<mark class="regqa-span">' in panel
