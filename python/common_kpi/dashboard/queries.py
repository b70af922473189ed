"""The SQL behind every dashboard page and the meeting pack, against the marts only.

Each function takes a `Warehouse` and returns a DataFrame whose columns the views render as
they are: no figure is recomputed in Python, so what a page shows is what the mart says, and
the browser tests compare the page with the same marts.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd

from common_kpi.dashboard.warehouse import Warehouse

KPI_MARTS: tuple[str, ...] = (
    "kgi_monthly",
    "kpi_new_customers_monthly",
    "kpi_retention_monthly",
    "kpi_revenue_per_customer_monthly",
)
"""The KGI mart and one KPI mart per KSF, all at KPI x month grain with the same columns."""

KPI_COLUMNS = (
    "kpi_id, month_start_date, fiscal_year, numerator, denominator, actual, target, "
    "achievement_rate, gap, status, fytd_actual, trailing_3_month_actual, is_mature"
)

FUNNEL_STAGES: tuple[tuple[str, str, str | None], ...] = (
    # (stage key, timestamp column in fct_lead_funnel, days-from-previous-stage column)
    ("lead", "lead_created_at", None),
    ("mql", "mql_at", "days_lead_to_mql"),
    ("sql", "sql_at", "days_mql_to_sql"),
    ("opportunity", "opportunity_created_at", "days_sql_to_opportunity"),
    ("won", "won_at", "days_opportunity_to_close"),
)


@dataclass(frozen=True)
class FunnelFilter:
    """The funnel page's selection: a month, how to count, and optional dimension filters."""

    month_start_date: dt.date
    mode: str = "month"  # "month": stage reached in the month; "cohort": lead created in it
    business_unit: str | None = None
    channel: str | None = None
    owner_user_id: str | None = None


def reporting_period(warehouse: Warehouse) -> pd.Series:
    """The one row of `reporting_period`: as-of date and latest complete month."""
    relation = warehouse.relation("reporting_period")
    return warehouse.query(f"select * from {relation}").iloc[0]


def kpi_months(warehouse: Warehouse) -> list[dt.date]:
    """Every month the KPI tree has, latest first."""
    relation = warehouse.relation("kpi_tree")
    frame = warehouse.query(
        f"select distinct month_start_date from {relation} order by month_start_date desc"
    )
    return [pd.Timestamp(value).date() for value in frame["month_start_date"]]


def kpi_tree(warehouse: Warehouse, month_start_date: dt.date) -> pd.DataFrame:
    """Every KGI / KSF / KPI node of one month, parents before children."""
    relation = warehouse.relation("kpi_tree")
    return warehouse.query(
        f"""
        select *
        from {relation}
        where month_start_date = ?
        order by node_path
        """,
        [month_start_date],
    )


def kpi_monthly(warehouse: Warehouse, kpi_id: str | None = None) -> pd.DataFrame:
    """KPI x month rows of the KGI and KPI marts (all of them, or one KPI)."""
    parts = [
        f"select '{mart}' as mart_name, {KPI_COLUMNS} from {warehouse.relation(mart)}" for mart in KPI_MARTS
    ]
    union = "\nunion all\n".join(parts)
    where = "where kpi_id = ?" if kpi_id else ""
    return warehouse.query(
        f"select * from ({union}) as kpis {where} order by kpi_id, month_start_date",
        [kpi_id] if kpi_id else [],
    )


def kpi_definitions(warehouse: Warehouse) -> pd.DataFrame:
    """One row per KPI node: names, unit, owner department, level, parent (from kpi_tree)."""
    relation = warehouse.relation("kpi_tree")
    return warehouse.query(
        f"""
        select distinct
            node_id as kpi_id,
            node_level,
            node_path,
            parent_node_id,
            name_ja,
            name_en,
            unit,
            owner_department,
            owner_department_ja,
            owner_department_en
        from {relation}
        order by node_path
        """
    )


def priorities(warehouse: Warehouse) -> pd.DataFrame:
    relation = warehouse.relation("kpi_priorities")
    return warehouse.query(f"select * from {relation} order by priority_rank")


def alerts(warehouse: Warehouse) -> pd.DataFrame:
    relation = warehouse.relation("kpi_alerts")
    return warehouse.query(f"select * from {relation} order by alert_rank")


def funnel_options(warehouse: Warehouse) -> dict[str, list[str]]:
    """The values the funnel filters offer: business units, channels, owners."""
    relation = warehouse.relation("fct_lead_funnel")
    options: dict[str, list[str]] = {}
    for column in ("business_unit", "channel", "owner_user_id"):
        frame = warehouse.query(
            f"select distinct {column} as value from {relation} where {column} is not null order by value"
        )
        options[column] = [str(value) for value in frame["value"]]
    return options


def funnel(warehouse: Warehouse, selection: FunnelFilter) -> pd.DataFrame:
    """Lead → MQL → SQL → opportunity → won for one month, with conversions and days.

    mode "month": people who reached each stage in the month (a flow view: the conversion is
    this month's count over the previous stage's count in the same month).
    mode "cohort": the leads created in the month and how far each of them has got.
    The days between stages are the median over the people counted at that stage.
    """
    relation = warehouse.relation("fct_lead_funnel")
    filters: list[str] = []
    params: list[object] = []
    for column in ("business_unit", "channel", "owner_user_id"):
        value = getattr(selection, column)
        if value is not None:
            filters.append(f"{column} = ?")
            params.append(value)
    dimension_filter = " and ".join(filters) if filters else "true"
    selects: list[str] = []
    all_params: list[object] = []
    for order, (stage, column, days_column) in enumerate(FUNNEL_STAGES, start=1):
        if selection.mode == "cohort":
            reached = f"date_trunc('month', lead_created_at) = ? and {column} is not null"
        else:
            reached = f"date_trunc('month', {column}) = ?"
        days = f"median({days_column})" if days_column else "cast(null as double)"
        selects.append(
            f"""
            select
                {order} as stage_order,
                '{stage}' as stage,
                count(*) as person_count,
                {days} as median_days_from_previous
            from {relation}
            where {reached} and {dimension_filter}
            """
        )
        all_params += [selection.month_start_date, *params]
    sql = f"""
        with stages as ({" union all ".join(selects)}),
        final as (
            select
                stage_order,
                stage,
                person_count,
                person_count / nullif(lag(person_count) over (order by stage_order), 0)
                    as conversion_rate,
                median_days_from_previous
            from stages
        )
        select * from final order by stage_order
    """
    return warehouse.query(sql, all_params)


def sla_by_rep(warehouse: Warehouse, month_start_date: dt.date) -> pd.DataFrame:
    """Lead-handoff SLA of the MQLs of one month, by the IS rep who owns the lead."""
    sla = warehouse.relation("fct_sla_responses")
    leads = warehouse.relation("fct_lead_funnel")
    return warehouse.query(
        f"""
        with mqls as (
            select
                coalesce(leads.owner_user_id, sla.first_response_user_id) as rep_user_id,
                sla.is_sla_due,
                sla.is_sla_met,
                sla.sla_business_hours
            from {sla} as sla
            left join {leads} as leads on leads.person_id = sla.person_id
            where date_trunc('month', sla.mql_at) = ?
        ),
        final as (
            select
                rep_user_id,
                count(*) filter (where is_sla_due) as due_count,
                count(*) filter (where is_sla_due and is_sla_met) as met_count,
                count(*) filter (where is_sla_due and is_sla_met)
                    / nullif(count(*) filter (where is_sla_due), 0) as sla_compliance_rate,
                median(sla_business_hours) as median_business_hours
            from mqls
            group by rep_user_id
        )
        select * from final order by sla_compliance_rate nulls last, rep_user_id
        """,
        [month_start_date],
    )


def abm_tiers(warehouse: Warehouse) -> pd.DataFrame | None:
    """ABM accounts per tier and month, or None while the ABM marts are not built."""
    if not (warehouse.has_table("abm_accounts") and warehouse.has_table("abm_tier_months")):
        return None
    relation = warehouse.relation("abm_tier_months")
    return warehouse.query(f"select * from {relation} order by month_start_date desc")
