"""The MetricFlow metrics give the same numbers as the KPI marts.

Each KGI / KPI metric is queried by month through MetricFlow's engine (the planner and DuckDB
renderer behind `mf query`) on the published warehouse, and compared month by month with its
mart: counts and yen with the mart's numerator, rates and NPS with the mart's actual
(numerator x scale / denominator). A month the mart has a value for must be in the metric's
result, and every value must agree.
"""

from __future__ import annotations

import math
from pathlib import Path

import duckdb
import pandas as pd
import pytest
from dashboard_harness import warehouse_under_test

from common_kpi.dashboard.semantic_layer import query_metrics, semantic_engine
from common_kpi.dashboard.warehouse import Warehouse

pytestmark = pytest.mark.slow

# kpi_id -> (mart, the mart column the metric equals month by month)
KPI_METRICS: dict[str, tuple[str, str]] = {
    "kgi_revenue": ("kgi_monthly", "numerator"),
    "kgi_operating_margin": ("kgi_monthly", "actual"),
    "monthly_mql_count": ("kpi_new_customers_monthly", "numerator"),
    "mql_to_opportunity_rate": ("kpi_new_customers_monthly", "actual"),
    "win_rate": ("kpi_new_customers_monthly", "actual"),
    "lead_handoff_sla_rate": ("kpi_new_customers_monthly", "actual"),
    "retention_rate": ("kpi_retention_monthly", "actual"),
    "nps": ("kpi_retention_monthly", "actual"),
    "upsell_rate": ("kpi_revenue_per_customer_monthly", "actual"),
    "cross_sell_rate": ("kpi_revenue_per_customer_monthly", "actual"),
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
    by_month = result.groupby("metric_time__month")["monthly_mql_count"].sum(min_count=1)
    actual = {pd.Timestamp(month): float(value) for month, value in by_month.items() if not pd.isna(value)}
    expected = mart_values(published, "kpi_new_customers_monthly", "monthly_mql_count", "numerator")
    assert not mismatches(expected, actual)


def test_every_saved_query_runs(semantic) -> None:
    engine, _ = semantic
    names = [saved_query.name for saved_query in engine.list_saved_queries()]
    assert {"kpi_tree_monthly", "funnel_by_business_unit_and_channel", "sla_by_owner"} <= set(names)
    for name in names:
        assert not query_metrics(engine, saved_query=name).empty, name
