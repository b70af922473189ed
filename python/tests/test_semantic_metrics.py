"""The MetricFlow metrics give the same numbers as the KPI marts.

Each KGI / KPI metric (generated from kpi_tree.yml) is queried by month through MetricFlow's
engine (the planner and DuckDB renderer behind `mf query`) on the published warehouse, and
compared month by month with the mart its KSF shows it in: counts and yen with the mart's
numerator, rates and NPS with the mart's actual (numerator x scale / denominator). A month the
mart has a value for must be in the metric's result, and every value must agree. The metrics
at the grain of the facts (to slice a KPI by a dimension) must agree with the KPI metric too.
"""

from __future__ import annotations

import math
from pathlib import Path

import duckdb
import pandas as pd
import pytest
from dashboard_harness import warehouse_under_test
from metricflow.engine.metricflow_engine import MetricFlowQueryRequest

from common_kpi import PROJECT_DIR
from common_kpi.dashboard.semantic_layer import query_metrics, semantic_engine
from common_kpi.dashboard.warehouse import Warehouse
from common_kpi.kpi_config import load_kpi_tree

pytestmark = pytest.mark.slow

# kpi_id -> (mart, the mart column the metric equals month by month), for every measured node
KPI_METRICS: dict[str, tuple[str, str]] = {
    node.id: (node.mart or "", "numerator" if node.unit in ("count", "jpy") else "actual")
    for node in load_kpi_tree(PROJECT_DIR).measured_nodes
}
# metric at the grain of the facts (sliceable by person / owner) -> the KPI metric it equals
SLICING_METRICS = {
    "mqls": "monthly_mql_count",
    "mql_conversion_rate": "mql_to_opportunity_rate",
    "sla_compliance_rate": "lead_handoff_sla_rate",
}


@pytest.fixture(scope="module")
def semantic(request: pytest.FixtureRequest):
    published, target = warehouse_under_test(request)
    engine = semantic_engine(target / "semantic_manifest.json", published)
    return engine, published


def mart_values(published: Path, mart: str, kpi_id: str, column: str) -> dict[pd.Timestamp, float]:
    relation = Warehouse(published).relation(mart)
    with duckdb.connect(str(published), read_only=True) as connection:
        frame = connection.execute(
            f"select month_start_date, {column} as value from {relation} "
            f"where kpi_id = ? and {column} is not null",
            [kpi_id],
        ).df()
    return {pd.Timestamp(month): float(value) for month, value in frame.itertuples(index=False)}


def mismatches(expected: dict[pd.Timestamp, float], actual: dict[pd.Timestamp, float]) -> list[str]:
    """Months where the metric is missing or differs from the mart (ignoring all-zero months)."""
    problems = []
    for month, value in sorted(expected.items()):
        got = actual.get(month)
        if got is None or (isinstance(got, float) and math.isnan(got)):
            if value != 0:
                problems.append(f"{month:%Y-%m}: mart {value!r}, metric missing")
        elif not math.isclose(got, value, rel_tol=1e-9, abs_tol=1e-9):
            problems.append(f"{month:%Y-%m}: mart {value!r}, metric {got!r}")
    return problems


@pytest.mark.parametrize("kpi_id", sorted(KPI_METRICS))
def test_metric_equals_mart_month_by_month(semantic, kpi_id: str) -> None:
    engine, published = semantic
    mart, column = KPI_METRICS[kpi_id]
    expected = mart_values(published, mart, kpi_id, column)
    assert expected, f"{mart} has no {column} for {kpi_id}"
    result = query_metrics(engine, [kpi_id], ["metric_time__month"])
    actual = {
        pd.Timestamp(month): float(value)
        for month, value in zip(result["metric_time__month"], result[kpi_id], strict=True)
        if month is not None and value is not None
    }
    problems = mismatches(expected, actual)
    assert not problems, f"{kpi_id}: metric differs from {mart}.{column}:\n" + "\n".join(problems[:12])


def monthly(engine, metric: str) -> dict[pd.Timestamp, float]:
    result = query_metrics(engine, [metric], ["metric_time__month"])
    return {
        pd.Timestamp(month): float(value)
        for month, value in zip(result["metric_time__month"], result[metric], strict=True)
        if month is not None and value is not None and not pd.isna(value)
    }


@pytest.mark.parametrize("metric", sorted(SLICING_METRICS))
def test_fact_grain_metric_equals_the_kpi_metric(semantic, metric: str) -> None:
    engine, _ = semantic
    expected = monthly(engine, SLICING_METRICS[metric])
    problems = mismatches(expected, monthly(engine, metric))
    assert not problems, f"{metric} differs from {SLICING_METRICS[metric]}:\n" + "\n".join(problems[:12])


def test_yen_prints_in_whole_yen(semantic) -> None:
    """`mf query --metrics kgi_revenue` prints 563083861, not 5.63e+08: yen metrics are integers."""
    engine, _ = semantic
    yen_metrics = [node_id for node_id, (_, column) in KPI_METRICS.items() if column == "numerator"]
    request = MetricFlowQueryRequest.create(metric_names=yen_metrics, group_by_names=["metric_time__month"])
    table = engine.query(request).result_df
    assert table is not None
    printed = table.text_format()
    assert "e+" not in printed, printed[:400]
    column = list(table.column_names).index("kgi_revenue")
    values = [row[column] for row in table.rows if row[column] is not None]
    assert values and all(isinstance(value, int) for value in values), values[:3]


def test_revenue_by_fiscal_year_uses_the_april_fiscal_year(semantic) -> None:
    """The custom granularity fiscal_year groups like dim_months (April to March)."""
    engine, published = semantic
    kgi, months = (Warehouse(published).relation(name) for name in ("kgi_monthly", "dim_months"))
    with duckdb.connect(str(published), read_only=True) as connection:
        expected = {
            pd.Timestamp(start): float(total)
            for start, total in connection.execute(
                f"""
                select months.fiscal_year_start_date, sum(kgi.numerator)
                from {kgi} as kgi
                inner join {months} as months using (month_start_date)
                where kgi.kpi_id = 'kgi_revenue'
                group by months.fiscal_year_start_date
                """
            ).fetchall()
        }
    result = query_metrics(engine, saved_query="revenue_by_fiscal_year")
    actual = {
        pd.Timestamp(start): float(value)
        for start, value in zip(result["metric_time__fiscal_year"], result["kgi_revenue"], strict=True)
        if start is not None and value is not None
    }
    assert not mismatches(expected, actual)


def test_funnel_saved_query_adds_up_to_the_mart(semantic) -> None:
    """MQLs by business unit and channel add up to the monthly MQL KPI of every month."""
    engine, published = semantic
    result = query_metrics(engine, saved_query="funnel_by_business_unit_and_channel")
    by_month = result.groupby("metric_time__month")["mqls"].sum(min_count=1)
    actual = {pd.Timestamp(month): float(value) for month, value in by_month.items() if not pd.isna(value)}
    expected = mart_values(published, "kpi_new_customers_monthly", "monthly_mql_count", "numerator")
    assert not mismatches(expected, actual)


def test_every_saved_query_runs(semantic) -> None:
    engine, _ = semantic
    names = [saved_query.name for saved_query in engine.list_saved_queries()]
    assert {"kpi_tree_monthly", "funnel_by_business_unit_and_channel", "sla_by_owner"} <= set(names)
    for name in names:
        assert not query_metrics(engine, saved_query=name).empty, name
