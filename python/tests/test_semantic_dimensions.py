"""The semantic layer's ABM tier and owner-department dimensions give the marts' numbers.

- Tier: the saved query `abm_tiers_monthly` groups account measures and funnel metrics by
  `company__tier_code`, the tier the account holds in the month (a slowly changing dimension
  of the company on abm_account_months). Every tier and month of abm_tier_months must come
  out with the same accounts, pipeline, won amount, MQLs, mature MQLs and MQL→opportunity rate.
- Department: `department_kpi_month__owner_department` on the KPI marts. Each KPI's actual by
  department and month, and the KPIs judged / achieved / missed per department and month,
  must equal the marts with their comma-separated owner_department split (a KPI owned by
  営業・CS counts under both), computed here in Python independently of the dbt model.
"""

from __future__ import annotations

import math
from collections import Counter
from pathlib import Path

import duckdb
import pandas as pd
import pytest
from dashboard_harness import warehouse_under_test

from common_kpi.dashboard.semantic_layer import query_metrics, semantic_engine
from common_kpi.dashboard.warehouse import Warehouse

pytestmark = pytest.mark.slow

KPI_MARTS = (
    "kgi_monthly",
    "kpi_new_customers_monthly",
    "kpi_retention_monthly",
    "kpi_revenue_per_customer_monthly",
)
DEPARTMENTS = {"marketing", "inside_sales", "sales", "customer_success", "all"}
JUDGED = {"achieved", "at_risk", "missed"}

# saved-query metric -> abm_tier_months column
TIER_COLUMNS: dict[str, str] = {
    "abm_accounts": "account_count",
    "abm_open_pipeline": "open_pipeline_amount_jpy",
    "abm_weighted_pipeline": "weighted_pipeline_amount_jpy",
    "abm_won_amount": "won_amount_jpy",
    "abm_mqls": "mql_count",
    "mature_mqls": "mature_mql_count",
    "mature_mql_to_opportunity_rate": "mql_to_opportunity_rate",
}


@pytest.fixture(scope="module")
def semantic(request: pytest.FixtureRequest):
    published, target = warehouse_under_test(request)
    engine = semantic_engine(target / "semantic_manifest.json", published)
    return engine, published


def read(published: Path, sql: str) -> pd.DataFrame:
    with duckdb.connect(str(published), read_only=True) as connection:
        return connection.execute(sql).df()


def number(value: object) -> float | None:
    """A cell as a float, None for SQL null / NaN."""
    if value is None or pd.isna(value):
        return None
    return float(value)


def same(expected: float | None, actual: float | None) -> bool:
    """Equal figures; a zero count may come out of MetricFlow as no row (None)."""
    if expected is None or actual is None:
        return (expected or 0.0) == (actual or 0.0)
    return math.isclose(expected, actual, rel_tol=1e-9, abs_tol=1e-6)


def test_tier_saved_query_equals_abm_tier_months(semantic) -> None:
    engine, published = semantic
    mart = read(published, f"select * from {Warehouse(published).relation('abm_tier_months')}")
    result = query_metrics(engine, saved_query="abm_tiers_monthly")
    result = result[result["company__tier_code"].notna()]
    by_key = {
        (row["company__tier_code"], pd.Timestamp(row["metric_time__month"])): row
        for row in result.to_dict("records")
    }
    months_with_accounts = mart[mart["account_count"] > 0]
    assert len(months_with_accounts) > 0
    problems = []
    for row in months_with_accounts.to_dict("records"):
        key = (row["tier_code"], pd.Timestamp(row["month_start_date"]))
        got = by_key.get(key)
        if got is None:
            problems.append(f"{key[0]} {key[1]:%Y-%m}: missing from the saved query")
            continue
        for metric, column in TIER_COLUMNS.items():
            if not same(number(row[column]), number(got[metric])):
                label = f"{key[0]} {key[1]:%Y-%m} {metric}"
                problems.append(f"{label}: mart {row[column]!r}, metric {got[metric]!r}")
    # no tier-month in the semantic layer that the mart does not have
    mart_keys = zip(mart["tier_code"], mart["month_start_date"].map(pd.Timestamp), strict=True)
    extra = set(by_key) - set(mart_keys)
    problems += [f"{tier} {month:%Y-%m}: not in abm_tier_months" for tier, month in sorted(extra)]
    assert not problems, "abm_tiers_monthly differs from abm_tier_months:\n" + "\n".join(problems[:12])


def test_tier_of_the_mql_month_is_used(semantic) -> None:
    """MQLs by tier add up, over the tiers, to the MQLs (those 月間MQL獲得数 counts on its
    kpi_tree.yml basis) of people whose company was scored that month."""
    engine, published = semantic
    relation = Warehouse(published).relation
    expected = read(
        published,
        f"""
        select funnel.mql_month_start_date as month, count(*) as mqls
        from {relation("fct_lead_funnel")} as funnel
        inner join {relation("abm_account_months")} as accounts
            on funnel.company_id = accounts.company_id
            and funnel.mql_month_start_date = accounts.month_start_date
        where funnel.is_kpi_mql
        group by 1
        """,
    )
    result = query_metrics(engine, ["mqls"], ["metric_time__month", "company__tier_code"])
    tiered = result[result["company__tier_code"].notna()]
    actual = tiered.groupby("metric_time__month")["mqls"].sum()
    got = {pd.Timestamp(month): float(value) for month, value in actual.items()}
    problems = [
        f"{pd.Timestamp(month):%Y-%m}: mart {mqls}, metric {got.get(pd.Timestamp(month))}"
        for month, mqls in expected.itertuples(index=False)
        if not same(float(mqls), got.get(pd.Timestamp(month)))
    ]
    assert not problems, "\n".join(problems[:12])


def kpi_department_rows(published: Path) -> pd.DataFrame:
    """The KPI marts' rows, one per owner department (split in Python, not by the dbt model)."""
    relation = Warehouse(published).relation
    frames = [
        read(
            published,
            f"select kpi_id, month_start_date, owner_department, actual, status from {relation(mart)}",
        )
        for mart in KPI_MARTS
    ]
    marts = pd.concat(frames, ignore_index=True)
    marts["department"] = marts["owner_department"].str.split(",")
    return marts.explode("department")


def test_kpi_actual_by_owner_department_equals_the_marts(semantic) -> None:
    engine, published = semantic
    expected = kpi_department_rows(published)
    assert set(expected["department"]) == DEPARTMENTS
    assert (expected.groupby("kpi_id")["department"].nunique() > 1).any(), "no shared KPI to check"
    result = query_metrics(
        engine,
        ["kpi_actual"],
        ["metric_time__month", "department_kpi_month__owner_department", "department_kpi_month__kpi_id"],
    )
    got = {
        (kpi, department, pd.Timestamp(month)): number(value)
        for month, department, kpi, value in zip(
            result["metric_time__month"],
            result["department_kpi_month__owner_department"],
            result["department_kpi_month__kpi_id"],
            result["kpi_actual"],
            strict=True,
        )
    }
    problems = []
    for row in expected.to_dict("records"):
        key = (row["kpi_id"], row["department"], pd.Timestamp(row["month_start_date"]))
        if key not in got:
            problems.append(f"{key}: missing")
        elif not same(number(row["actual"]), got[key]):
            problems.append(f"{key}: mart {row['actual']!r}, metric {got[key]!r}")
    assert len(got) == len(expected), f"{len(got)} metric rows, {len(expected)} KPI x department x month rows"
    assert not problems, "kpi_actual differs from the KPI marts:\n" + "\n".join(problems[:12])


def test_kpi_status_counts_by_owner_department_equal_the_marts(semantic) -> None:
    engine, published = semantic
    rows = kpi_department_rows(published)
    keys = zip(rows["department"], rows["month_start_date"].map(pd.Timestamp), strict=True)
    judged: Counter[tuple[str, pd.Timestamp]] = Counter()
    achieved: Counter[tuple[str, pd.Timestamp]] = Counter()
    missed: Counter[tuple[str, pd.Timestamp]] = Counter()
    for key, status in zip(keys, rows["status"], strict=True):
        judged[key] += status in JUDGED
        achieved[key] += status == "achieved"
        missed[key] += status == "missed"
    assert sum(judged.values()) > 0, "no judged KPI month in the marts"
    result = query_metrics(
        engine,
        ["kpis_judged", "kpis_achieved", "kpis_missed", "kpi_achievement_share"],
        ["metric_time__month", "department_kpi_month__owner_department"],
    )
    problems = []
    for row in result.to_dict("records"):
        key = (row["department_kpi_month__owner_department"], pd.Timestamp(row["metric_time__month"]))
        label = f"{key[0]} {key[1]:%Y-%m}"
        counters = {"kpis_judged": judged, "kpis_achieved": achieved, "kpis_missed": missed}
        for metric, counter in counters.items():
            if not same(float(counter[key]), number(row[metric])):
                problems.append(f"{label} {metric}: marts {counter[key]}, metric {row[metric]!r}")
        share = achieved[key] / judged[key] if judged[key] else None
        if not same(share, number(row["kpi_achievement_share"])):
            problems.append(f"{label} share: marts {share}, metric {row['kpi_achievement_share']!r}")
    assert set(judged) == {
        (department, pd.Timestamp(month))
        for department, month in zip(
            result["department_kpi_month__owner_department"], result["metric_time__month"], strict=True
        )
    }
    assert not problems, "department KPI counts differ from the marts:\n" + "\n".join(problems[:12])
