"""Codes that a filter leaves out are not gaps: not in the gap map's views, the PNG title, migmap gaps or the report."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from migmap.charts.gapmap import finding_lines
from migmap.cli import app
from migmap.domain.filters import Filters
from migmap.reports.markdown import render_markdown
from migmap.services.analysis import build_report_data, compute_gap_map, compute_gaps

RETURN = Filters(stages=["return_reintegration"])
OTHER_STAGES = ("Pre-departure", "Transit", "Arrival", "Long-term")


def test_the_gap_map_keeps_only_the_stage_asked_about(sample_db):
    gm = compute_gap_map(sample_db, "stages", "actor_type", RETURN)
    assert gm.rows_in_scope == ["return_reintegration"]
    assert {c.row for c in gm.cells_in_scope} == {"return_reintegration"}
    assert len(gm.cells_in_scope) == len(gm.cols)
    empty = sum(1 for c in gm.cells_in_scope if c.count == 0)
    assert f"{len(gm.cells_in_scope) - empty} of {len(gm.cells_in_scope)} cells" in gm.message
    title = " ".join(finding_lines(gm))
    assert f"of {len(gm.cells_in_scope)} combinations" in title or "No combination is empty" in title


def test_gaps_never_name_a_filtered_out_stage(sample_db):
    report = compute_gaps(sample_db, "stages", "actor_type", RETURN, thin=5, min_expected=0)
    assert {g.row for g in report.gaps} <= {"return_reintegration"}
    # the other stages occur nowhere among return initiatives of the sample: before, they were "nothing mapped"
    assert any(not report.gap_map.row_totals[s] for s in ("pre_departure", "transit", "arrival"))
    assert report.unmapped_rows == []
    assert not any(stage in note for note in report.notes for stage in OTHER_STAGES)


def test_cli_gaps_and_map_say_nothing_of_other_stages(sample_db):
    runner = CliRunner()
    out = runner.invoke(app, ["gaps", "--db", sample_db.url, "--stage", "return_reintegration", "--format", "json"])
    assert out.exit_code == 0, out.output
    data = json.loads(out.output)
    assert {g["row"] for g in data["gaps"]} <= {"return_reintegration"}
    assert data["unmapped_rows"] == []
    table = runner.invoke(app, ["map", "--db", sample_db.url, "--stage", "return_reintegration"])
    assert table.exit_code == 0, table.output
    assert "Return" in table.output and not any(stage in table.output for stage in ("Pre-departure", "Transit", "Long-term"))


def test_the_report_shows_only_the_stage_asked_about(sample_db, tmp_path):
    data = build_report_data(sample_db, RETURN, charts=False)
    path = render_markdown(data, tmp_path / "report.md")
    text = path.read_text(encoding="utf-8")
    gap_section = text.split("## Gap map", 1)[1].split("## Gaps", 1)[0]
    assert "Return" in gap_section
    assert not any(f"| {stage}" in gap_section for stage in OTHER_STAGES)
    nothing = [line for line in text.splitlines() if "Nothing mapped at all for" in line]
    assert not any(stage in line for line in nothing for stage in OTHER_STAGES)
