"""A standard org, as a new user's connector lands it, builds and publishes the right tree.

- The vendor-documented org (standard_org_fixture.py: default picklists, no custom fields,
  history mode on leads and opportunities, a HubSpot company table with `is_deleted`, email
  event types we do not know) builds and publishes with the project's own source_mapping.yml,
  and October's KPIs equal the values computed by hand in the fixture's docstring.
- The same org with Salesforce in API spelling (Lead.csv: Id, CreatedDate, SystemModstamp)
  stages to the very same rows after one edit of source_mapping.yml (connector: api_export).
- Unknown lead statuses on most leads stop the build at the volume gate with a message naming
  the values and the mapping line; mapping the value in source_mapping.yml lets it pass.
- The generator's `--org standard` story builds, publishes and gives a tree with values.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest
import standard_org_fixture
import yaml

from common_kpi import PROJECT_DIR
from common_kpi.build import build, read_run_results
from common_kpi.kpi_config import compile_kpi_tree
from common_kpi.source_mapping import MAPPING_FILE, compile_source_mapping
from common_kpi.volume_gate import GATE_TEST, explain, gate_failed

pytestmark = pytest.mark.slow

COPIED = [
    "dbt_project.yml",
    "profiles.yml",
    "kpi_tree.yml",
    MAPPING_FILE,
    "models",
    "macros",
    "seeds",
    "tests",
    "analyses",
]
NO_UNIT_TESTS = ["--exclude", "resource_type:unit_test"]


def _published_build(raw: Path, work: Path) -> Path:
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("COMMON_KPI_RAW_PATH", str(raw))
        patch.setenv("COMMON_KPI_RAW_FORMAT", "csv")
        result = build(
            build_file=work / "build" / "common_kpi.duckdb",
            target_file=work / "common_kpi.duckdb",
            target_path=work / "target",
            dbt_args=NO_UNIT_TESTS,
        )
    assert result.is_publishable, f"build failed: {result.failed_nodes}"
    return work / "common_kpi.duckdb"


def _query(warehouse: Path, sql: str) -> list[tuple]:
    with duckdb.connect(str(warehouse), read_only=True) as connection:
        return connection.execute(sql).fetchall()


@pytest.fixture(scope="module")
def fixture_org_warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    work = tmp_path_factory.mktemp("standard_org")
    raw = standard_org_fixture.write(work / "raw", history_mode=True)
    return _published_build(raw, work)


def test_standard_org_publishes_the_hand_computed_kpis(fixture_org_warehouse: Path) -> None:
    actual = dict(
        _query(
            fixture_org_warehouse,
            "select node_id, actual from main_marts.kpi_tree where month_start_date = date '2026-10-01'",
        )
    )
    for kpi_id, expected in standard_org_fixture.EXPECTED_OCTOBER.items():
        assert actual.get(kpi_id) == pytest.approx(expected, abs=1e-9), (kpi_id, actual)


def test_standard_org_loses_no_row(fixture_org_warehouse: Path) -> None:
    audit = {
        row[0]: row[1:]
        for row in _query(
            fixture_org_warehouse,
            "select raw_table_id, raw_row_count, quarantined_row_count, removed_soft_delete_count "
            "from main_staging.stg_load_audit",
        )
    }
    assert all(quarantined == 0 for _, quarantined, _ in audit.values()), audit
    # history mode: the current version of each opportunity only; the deleted company removed
    assert audit["salesforce.opportunity"][0] == 5
    assert audit["hubspot.company"][2] == 1
    event_types = dict(
        _query(
            fixture_org_warehouse,
            "select event_type_raw, event_type from main_staging.stg_hubspot__email_events",
        )
    )
    assert event_types["BLOCKED"] == "other" and event_types["PROCESSED"] == "processed"


def _copy_project(destination: Path, mapping_edit: dict | None = None) -> Path:
    ignore = shutil.ignore_patterns("__pycache__")
    destination.mkdir(parents=True)
    for name in COPIED:
        source = PROJECT_DIR / name
        if source.is_dir():
            shutil.copytree(source, destination / name, ignore=ignore)
        else:
            shutil.copy2(source, destination / name)
    if mapping_edit:
        mapping = yaml.safe_load((destination / MAPPING_FILE).read_text(encoding="utf-8"))
        for key, value in mapping_edit.items():
            if key == "values":
                mapping["values"] = value
            else:
                mapping["systems"][key].update(value)
        (destination / MAPPING_FILE).write_text(yaml.safe_dump(mapping, allow_unicode=True), encoding="utf-8")
    compile_kpi_tree(destination)
    compile_source_mapping(destination)
    return destination


def _staging_build(project: Path, raw: Path, work: Path, dbt_vars: dict | None = None):
    env = dict(os.environ)
    env.update(
        {
            "DBT_PROFILES_DIR": str(project),
            "COMMON_KPI_DUCKDB_PATH": str(work / "staging.duckdb"),
            "COMMON_KPI_RAW_PATH": str(raw),
            "COMMON_KPI_RAW_FORMAT": "csv",
            "DBT_TARGET_PATH": str(work / "target"),
            "DBT_LOG_PATH": str(work / "logs"),
        }
    )
    completed = subprocess.run(
        [
            str(Path(sys.executable).with_name("dbt")),
            "build",
            "-s",
            "+staging",
            "--indirect-selection",
            "cautious",
            *(["--vars", json.dumps(dbt_vars)] if dbt_vars else []),
            *NO_UNIT_TESTS,
            "--quiet",
        ],
        cwd=project,
        env=env,
        text=True,
        capture_output=True,
        check=False,
    )
    return read_run_results(work / "target", completed.returncode), work / "staging.duckdb"


def test_api_spelling_stages_the_same_rows_after_one_mapping_edit(
    fixture_org_warehouse: Path, tmp_path: Path
) -> None:
    raw = standard_org_fixture.write(tmp_path / "raw", spelling="api")
    project = _copy_project(tmp_path / "project", {"salesforce": {"connector": "api_export"}})
    result, warehouse = _staging_build(project, raw, tmp_path)
    assert result.is_publishable, result.failed_nodes
    for model in (
        "stg_salesforce__leads",
        "stg_salesforce__opportunities",
        "stg_salesforce__tasks",
        "stg_salesforce__accounts",
        "stg_salesforce__users",
    ):
        sql = f"select * from main_staging.{model} order by all"
        assert _query(warehouse, sql) == _query(fixture_org_warehouse, sql), model


def test_unknown_lead_statuses_stop_the_build_until_mapped(tmp_path: Path) -> None:
    raw = standard_org_fixture.write(tmp_path / "raw")
    lead_file = raw / "salesforce" / "lead.csv"
    text = lead_file.read_text(encoding="utf-8")
    for status in ("Working - Contacted", "Open - Not Contacted", "Closed - Not Converted"):
        text = text.replace(status, "Contacted - Meeting Set")
    lead_file.write_text(text, encoding="utf-8")

    # this org is tiny: the gate's minimum row count (default 5) is lowered to its 3 rows
    small_org = {"quarantine_gate_min_rows": 1}
    project = _copy_project(tmp_path / "project")
    result, warehouse = _staging_build(project, raw, tmp_path / "unmapped", small_org)
    assert gate_failed(result.failed_nodes), result.failed_nodes
    message = explain(warehouse, project, small_org)
    assert "salesforce.lead: 3 of 4 rows quarantined (75.0%)" in message
    assert "'Contacted - Meeting Set' (3)" in message and "values: salesforce_lead_status" in message

    mapped = _copy_project(
        tmp_path / "mapped", {"values": {"salesforce_lead_status": {"Contacted - Meeting Set": "working"}}}
    )
    result, _ = _staging_build(mapped, raw, tmp_path / "after", small_org)
    assert result.is_publishable and not gate_failed(result.failed_nodes), result.failed_nodes
    assert GATE_TEST in json.dumps(
        json.loads((tmp_path / "after" / "target" / "run_results.json").read_text())
    )


def test_generated_standard_org_publishes_a_tree_with_values(tmp_path: Path) -> None:
    from common_kpi.generator.cli import main as generate

    raw = tmp_path / "raw"
    assert (
        generate(["--scale", "0.1", "--out", str(raw), "--org", "standard", "--history-mode", "--quiet"]) == 0
    )
    warehouse = _published_build(raw, tmp_path)
    statuses = dict(
        _query(warehouse, "select node_id, status from main_marts.kpi_tree where is_latest_complete_period")
    )
    for kpi_id in ("monthly_mql_count", "win_rate", "nps", "retention_rate", "kgi_revenue"):
        assert statuses[kpi_id] != "no_data", (kpi_id, statuses)
