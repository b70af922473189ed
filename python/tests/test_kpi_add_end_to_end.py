"""Adding a KPI is one SQL branch and one kpi_tree.yml node: everything else follows.

The project is copied to a temporary folder, and a throw-away KPI 新規受注件数 (new-business
deals won in the month, a count under the KSF 新規顧客獲得) is added with exactly two edits: a
branch in models/marts/kpi/kpi_measures_monthly.sql and a node in kpi_tree.yml. Then only what
a user runs: `kpi-compile` (which regenerates the seeds, the target test and the semantic
metrics) and dbt on the KPI layer of a copy of the demo warehouse (the facts are already
there). Expected, with no other edit: the KPI is in kpi_tree, in its KSF's mart
(kpi_new_customers_monthly) with the value counted independently from fct_opportunities, in
the semantic layer (a metric queried through MetricFlow's engine) and in the printed tree.
"""

from __future__ import annotations

import filecmp
import shutil
from pathlib import Path

import duckdb
import pytest
import yaml
from dashboard_harness import warehouse_under_test
from test_kpi_target_edit_end_to_end import _copy_project, _dbt

from common_kpi import PROJECT_DIR
from common_kpi.dashboard.semantic_layer import query_metrics, semantic_engine
from common_kpi.dashboard.warehouse import Warehouse
from common_kpi.kpi_config import MEASURES_SQL, compile_kpi_tree
from common_kpi.tree import render_tree

pytestmark = pytest.mark.slow

KPI_ID = "new_business_won_count"
BRANCH = """
    -- 新規受注件数 / new_business_won_count: new-business deals won in the month.
    select
        'new_business_won_count' as kpi_id,
        cast(null as {{ dbt.type_string() }}) as basis,
        months.month_start_date,
        months.fiscal_year,
        months.fiscal_quarter,
        coalesce(closed_new_business.won_count, 0) as numerator,
        cast(null as {{ kpi_type_double() }}) as denominator,
        false as is_ratio,
        1 as value_scale,
        months.is_complete as is_mature,
        true as accumulates_over_period
    from months
    left join closed_new_business
        on months.month_start_date = closed_new_business.month_start_date

    union all
"""
# the branch goes in front of the SLA branch of additive_measures
ANCHOR = "    -- リード引継ぎSLA遵守率 / lead_handoff_sla_rate"
NODE = {
    "id": KPI_ID,
    "level": "kpi",
    "name_ja": "新規受注件数",
    "name_en": "New-business deals won",
    "parent": "ksf_new_customers",
    "owner": "sales",
    "definition": "New-business opportunities closed won in the month.",
    "target": 10,
    "unit": "count",
    "period": "month",
    "direction": "higher_is_better",
    "severity": "warn",
    "smart": {
        "specific": "新規商談の受注件数を月10件にする",
        "measurable": "fct_opportunities の new_business 受注件数(close_date の月)",
        "achievable_baseline": "前年度の受注件数",
        "relevant_to": "KSF1 新規顧客獲得",
        "time_bound": "毎月",
    },
}
# What kpi-compile writes: generated, not edited by hand.
GENERATED = ("seeds/generated/", "tests/generated/", "models/semantic/generated/")


def _add_kpi(project: Path) -> None:
    sql_file = project / MEASURES_SQL
    sql = sql_file.read_text(encoding="utf-8")
    assert sql.count(ANCHOR) == 1
    sql_file.write_text(sql.replace(ANCHOR, BRANCH.lstrip("\n") + "\n" + ANCHOR), encoding="utf-8")
    tree_file = project / "kpi_tree.yml"
    tree = yaml.safe_load(tree_file.read_text(encoding="utf-8"))
    tree["nodes"].append(NODE)
    tree_file.write_text(yaml.safe_dump(tree, allow_unicode=True, sort_keys=False), encoding="utf-8")


def _changed_files(project: Path) -> set[str]:
    """Files of the copy that differ from the repository (or are new in it)."""
    changed = set()
    for path in project.rglob("*"):
        if not path.is_file() or "__pycache__" in path.parts:
            continue
        relative = path.relative_to(project).as_posix()
        original = PROJECT_DIR / relative
        if not original.exists() or not filecmp.cmp(path, original, shallow=False):
            changed.add(relative)
    return changed


@pytest.fixture(scope="module")
def added_kpi(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory):
    published, _ = warehouse_under_test(request)
    work = tmp_path_factory.mktemp("kpi_add")
    project = _copy_project(work / "project")
    warehouse = work / "warehouse.duckdb"
    shutil.copy2(published, warehouse)

    _add_kpi(project)
    compile_kpi_tree(project)
    seeded = _dbt(
        project,
        warehouse,
        work / "seed",
        *("seed", "--full-refresh", "--select", "kpi_tree_nodes", "kpi_tree_settings"),
    )
    assert seeded.returncode == 0, seeded.stdout[-3000:]
    ran = _dbt(project, warehouse, work / "run", "run", "--select", "kpi_measures_monthly+")
    assert ran.returncode == 0, ran.stdout[-3000:]
    return project, warehouse, work / "run"


def test_only_the_branch_and_the_node_were_edited(added_kpi) -> None:
    project, _, _ = added_kpi
    edited = {path for path in _changed_files(project) if not path.startswith(GENERATED)}
    assert edited == {MEASURES_SQL.as_posix(), "kpi_tree.yml"}


def test_the_kpi_is_in_its_ksf_mart_and_the_tree(added_kpi) -> None:
    _, warehouse, _ = added_kpi
    relation = Warehouse(warehouse).relation
    with duckdb.connect(str(warehouse), read_only=True) as connection:
        mart = dict(
            connection.execute(
                f"select month_start_date, numerator from {relation('kpi_new_customers_monthly')} "
                "where kpi_id = ?",
                [KPI_ID],
            ).fetchall()
        )
        independent = dict(
            connection.execute(
                f"select close_month_start_date, count(*) from {relation('fct_opportunities')} "
                "where opportunity_type = 'new_business' and is_closed and is_won group by 1"
            ).fetchall()
        )
        tree = connection.execute(
            f"select parent_node_id, actual, status from {relation('kpi_tree')} "
            "where node_id = ? and is_latest_complete_period",
            [KPI_ID],
        ).fetchall()
        printed = render_tree(connection)
    assert independent and {month: mart.get(month) for month in independent} == {
        month: float(count) for month, count in independent.items()
    }
    ((parent, actual, status),) = tree
    assert parent == "ksf_new_customers"
    assert actual is not None and status in {"achieved", "at_risk", "missed"}
    assert "新規受注件数 (New-business deals won)" in printed


def test_the_kpi_is_a_semantic_metric(added_kpi) -> None:
    _, warehouse, target = added_kpi
    engine = semantic_engine(target / "semantic_manifest.json", warehouse)
    result = query_metrics(engine, [KPI_ID], ["metric_time__month"])
    mart = Warehouse(warehouse).relation("kpi_new_customers_monthly")
    with duckdb.connect(str(warehouse), read_only=True) as connection:
        expected = dict(
            connection.execute(
                f"select month_start_date, numerator from {mart} where kpi_id = ?", [KPI_ID]
            ).fetchall()
        )
    months, values = result["metric_time__month"], result[KPI_ID]
    got = {month.date(): value for month, value in zip(months, values, strict=True)}
    assert got and all(got.get(month) == value for month, value in expected.items() if value), (
        list(got.items())[:3],
        list(expected.items())[:3],
    )

