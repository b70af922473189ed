"""Editing a target in kpi_tree.yml changes the marts and the assertions, with no other edit.

The project is copied to a temporary folder (so the repository's kpi_tree.yml is never
touched) and the monthly-MQL target raised from 200 to 400. After `kpi-compile`, only the KPI
layer is rebuilt on a copy of the session's demo warehouse (the facts are already there).
Expected: the KPI mart and the tree carry the new target, the judged month turns to missed,
an alert appears, and the KPI's assertion warns with a message naming the KPI, the actual and
the target. With the severity set to error in the file, the same assertion fails the run.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest
import yaml

from common_kpi import PROJECT_DIR
from common_kpi.kpi_config import compile_kpi_tree

pytestmark = pytest.mark.slow

COPIED = ["dbt_project.yml", "profiles.yml", "kpi_tree.yml", "models", "macros", "seeds", "tests", "analyses"]
KPI_ID = "monthly_mql_count"
NEW_TARGET = 400


def _copy_project(destination: Path) -> Path:
    ignore = shutil.ignore_patterns("__pycache__")  # generated files are committed: copied too
    destination.mkdir(parents=True)
    for name in COPIED:
        source = PROJECT_DIR / name
        if source.is_dir():
            shutil.copytree(source, destination / name, ignore=ignore)
        elif source.exists():
            shutil.copy2(source, destination / name)
    return destination


def _set_target(project: Path, node_id: str, target: float, severity: str) -> None:
    tree_file = project / "kpi_tree.yml"
    tree = yaml.safe_load(tree_file.read_text(encoding="utf-8"))
    (node,) = [node for node in tree["nodes"] if node["id"] == node_id]
    node["target"] = target
    node["severity"] = severity
    tree_file.write_text(yaml.safe_dump(tree, allow_unicode=True, sort_keys=False), encoding="utf-8")


def _dbt(project: Path, warehouse: Path, target_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ)
    env.update(
        {
            "DBT_PROFILES_DIR": str(project),
            "COMMON_KPI_DUCKDB_PATH": str(warehouse),
            "DBT_TARGET_PATH": str(target_path),
            "DBT_LOG_PATH": str(target_path / "logs"),
        }
    )
    return subprocess.run(
        [str(Path(sys.executable).with_name("dbt")), *args],
        cwd=project,
        env=env,
        text=True,
        capture_output=True,
        check=False,
    )


@pytest.fixture(scope="module")
def edited_build(built_warehouse: Path, tmp_path_factory: pytest.TempPathFactory):
    """Target 400 at severity warn: rebuild the KPI layer; then severity error: rerun the test."""
    work = tmp_path_factory.mktemp("target_edit")
    project = _copy_project(work / "project")
    warehouse = work / "warehouse.duckdb"
    shutil.copy2(built_warehouse, warehouse)

    _set_target(project, KPI_ID, NEW_TARGET, "warn")
    compile_kpi_tree(project)
    seeded = _dbt(
        project, warehouse, work / "seed", "seed", "--select", "kpi_tree_nodes", "kpi_tree_settings"
    )
    assert seeded.returncode == 0, seeded.stdout[-3000:]
    warned = _dbt(
        project,
        warehouse,
        work / "warn",
        "build",
        "--select",
        "kpi_scored_monthly+",
        "--exclude-resource-type",
        "unit_test",
    )

    _set_target(project, KPI_ID, NEW_TARGET, "error")
    compile_kpi_tree(project)
    failed = _dbt(
        project, warehouse, work / "error", "test", "--select", f"assert_kpi_meets_target__{KPI_ID}"
    )
    return warehouse, _results(work / "warn"), warned, _results(work / "error"), failed


def _results(target_path: Path) -> dict[str, dict]:
    results = json.loads((target_path / "run_results.json").read_text(encoding="utf-8"))["results"]
    return {result["unique_id"]: result for result in results}


def _assertion(results: dict[str, dict]) -> dict:
    prefix = f"test.common_kpi.assert_kpi_meets_target__{KPI_ID}"
    (assertion,) = [result for unique_id, result in results.items() if unique_id.startswith(prefix)]
    return assertion


def test_new_target_reaches_the_kpi_mart_and_the_tree(edited_build, built_warehouse: Path) -> None:
    warehouse, _, warned, _, _ = edited_build
    assert warned.returncode == 0, warned.stdout[-3000:]
    query = (
        "select distinct target from main_marts.kpi_new_customers_monthly "
        "where kpi_id = ? and fiscal_year = 2026"
    )
    with duckdb.connect(str(built_warehouse), read_only=True) as before:
        assert before.execute(query, [KPI_ID]).fetchall() == [(200,)]
    with duckdb.connect(str(warehouse), read_only=True) as after:
        assert after.execute(query, [KPI_ID]).fetchall() == [(NEW_TARGET,)]
        tree = after.execute(
            "select target, status from main_marts.kpi_tree where node_id = ? and is_latest_complete_period",
            [KPI_ID],
        ).fetchall()
        assert tree == [(NEW_TARGET, "missed")]
        alerts = after.execute(
            "select count(*) from main_marts.kpi_alerts where kpi_id = ?", [KPI_ID]
        ).fetchone()
        assert alerts == (1,)


def test_the_kpi_assertion_warns_at_severity_warn_and_names_the_miss(edited_build) -> None:
    _, warn_results, warned, _, _ = edited_build
    assert _assertion(warn_results)["status"] == "warn"
    message = re.search(rf"KPI .*\[{KPI_ID}\].*", warned.stdout)
    assert message, warned.stdout[-3000:]
    assert "400" in message.group(0) and "missed" in message.group(0)


def test_the_kpi_assertion_fails_the_run_at_severity_error(edited_build) -> None:
    _, _, _, error_results, failed = edited_build
    assert _assertion(error_results)["status"] == "fail"
    assert failed.returncode != 0
