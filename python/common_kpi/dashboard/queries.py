"""The SQL behind every dashboard page and the meeting pack, against the marts only.

Each function takes a `Warehouse` and returns a DataFrame whose columns the views render as
they are: no figure is recomputed in Python, so what a page shows is what the mart says, and
the browser tests compare the page with the same marts.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd

from common_kpi import labels
from common_kpi.dashboard.customer_records import CUSTOMER_RECORD_SETS, Window, customer_records_sql
from common_kpi.tree import KPI_MARTS, kpi_tree_sql
from common_kpi.warehouse import Warehouse

KPI_COLUMNS = (
    "kpi_id, month_start_date, fiscal_year, unit, judged_period, numerator, denominator, actual, "
    "judged_actual, target_value, target, achievement_rate, gap, status, fytd_actual, "
    "trailing_3_month_actual, is_mature"
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
    """Every period the KPI tree has (complete months), latest first."""
    relation = warehouse.relation("kpi_tree")
    frame = warehouse.query(
        f"select distinct month_start_date from {relation} order by month_start_date desc"
    )
    return [pd.Timestamp(value).date() for value in frame["month_start_date"]]


def department_labels(warehouse: Warehouse) -> dict[str, tuple[str, str]]:
    """Owner department code -> (Japanese, English) label, from the `departments` seed
    (what `labels.department_label` names codes with)."""
    if not warehouse.has_table("departments"):
        return {}
    relation = warehouse.relation("departments")
    frame = warehouse.query(
        f"select department_code, label_ja, label_en from {relation} order by department_order"
    )
    return {row.department_code: (row.label_ja, row.label_en) for row in frame.itertuples(index=False)}


def with_owner_labels(warehouse: Warehouse, frame: pd.DataFrame) -> pd.DataFrame:
    """Add owner_department_en (the marts carry the code list and the Japanese label)."""
    names = department_labels(warehouse)

    def english(codes: object) -> str:
        return labels.department_label(codes, names, "en")

    return frame.assign(owner_department_en=frame["owner_department"].map(english))


def kpi_tree(warehouse: Warehouse, month_start_date: dt.date) -> pd.DataFrame:
    """Every KGI / KSF / KPI node of one period, in the tree's sort order, with the annual
    target and months judged of its evaluated month (how its target was pro-rated)."""
    with warehouse.connect() as connection:
        frame = connection.execute(
            kpi_tree_sql(connection, "tree.month_start_date = ?"), [month_start_date]
        ).df()
    return with_owner_labels(warehouse, frame)


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


def with_prior_year(monthly: pd.DataFrame) -> pd.DataFrame:
    """KPI x month rows with the same KPI's month a year earlier beside them (前年同月:
    prior_year_judged_actual, yoy_change) and its fiscal-year-to-date actual at the same
    point of the previous fiscal year (前年度: prior_year_fytd_actual)."""
    prior = monthly[["kpi_id", "month_start_date", "judged_actual", "fytd_actual"]].assign(
        month_start_date=lambda frame: pd.to_datetime(frame["month_start_date"]) + pd.DateOffset(years=1)
    )
    prior = prior.rename(
        columns={"judged_actual": "prior_year_judged_actual", "fytd_actual": "prior_year_fytd_actual"}
    )
    merged = monthly.assign(month_start_date=pd.to_datetime(monthly["month_start_date"])).merge(
        prior, on=["kpi_id", "month_start_date"], how="left"
    )
    return merged.assign(yoy_change=merged["judged_actual"] - merged["prior_year_judged_actual"])


def kpi_definitions(warehouse: Warehouse) -> pd.DataFrame:
    """One row per KGI / KSF / KPI node: level, parent, names, unit, owner (from kpi_tree)."""
    relation = warehouse.relation("kpi_tree")
    frame = warehouse.query(
        f"""
        select distinct
            node_id as kpi_id,
            node_level,
            parent_node_id,
            sort_order,
            name_ja,
            name_en,
            unit,
            judged_period,
            owner_department,
            owner_department_ja
        from {relation}
        order by sort_order
        """
    )
    return with_owner_labels(warehouse, frame)


def priorities(warehouse: Warehouse) -> pd.DataFrame:
    """The KPI gaps with their annual revenue impact (kpi_priorities) in the meeting's order
    (`labels.meeting_order`: missed and at-risk first), numbered by meeting_rank."""
    relation = warehouse.relation("kpi_priorities")
    frame = warehouse.query(f"select * from {relation} order by priority_rank")
    rows = labels.meeting_order(frame.to_dict("records"))
    ordered = pd.DataFrame(rows, columns=[*frame.columns, "meeting_rank"])
    return with_owner_labels(warehouse, ordered)


def alerts(warehouse: Warehouse) -> pd.DataFrame:
    """The KGIs / KPIs that missed their target in the latest complete month (kpi_alerts)."""
    relation = warehouse.relation("kpi_alerts")
    return with_owner_labels(warehouse, warehouse.query(f"select * from {relation} order by sort_order"))


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
    """Lead-handoff SLA of the MQLs of one month, by the IS rep who owns the lead, with the
    rep's name from dim_users (rep_name)."""
    sla = warehouse.relation("fct_sla_responses")
    leads = warehouse.relation("fct_lead_funnel")
    users = warehouse.relation("dim_users")
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
            -- the SLA KPI's population: the MQLs of the MQL KPIs' basis
            where sla.is_kpi_mql and date_trunc('month', sla.mql_at) = ?
        ),
        by_rep as (
            select
                rep_user_id,
                count(*) filter (where is_sla_due) as due_count,
                count(*) filter (where is_sla_due and is_sla_met) as met_count,
                count(*) filter (where is_sla_due and is_sla_met)
                    / nullif(count(*) filter (where is_sla_due), 0) as sla_compliance_rate,
                median(sla_business_hours) as median_business_hours
            from mqls
            group by rep_user_id
        ),
        final as (
            select by_rep.*, users.staff_name as rep_name
            from by_rep
            left join {users} as users on users.user_id = by_rep.rep_user_id
        )
        select * from final order by sla_compliance_rate nulls last, rep_name, rep_user_id
        """,
        [month_start_date],
    )


def abm_tiers(warehouse: Warehouse, month_start_date: dt.date | None = None) -> pd.DataFrame | None:
    """ABM tiers of one month (default: the latest complete one) with their Japanese and
    English labels, or None while the ABM marts are not built."""
    if not (warehouse.has_table("abm_accounts") and warehouse.has_table("abm_tier_months")):
        return None
    months = warehouse.relation("abm_tier_months")
    tiers = warehouse.relation("abm_tiers")
    if month_start_date is None:
        latest = warehouse.query(f"select max(month_start_date) as month from {months} where is_complete")
        month_start_date = pd.Timestamp(latest["month"].iloc[0]).date()
    return warehouse.query(
        f"""
        select tier_months.*, tiers.tier_label_ja, tiers.tier_label_en
        from {months} as tier_months
        inner join {tiers} as tiers on tiers.tier_code = tier_months.tier_code
        where tier_months.month_start_date = ?
        order by tier_months.tier_number
        """,
        [month_start_date],
    )


def abm_months(warehouse: Warehouse) -> list[dt.date]:
    """The complete months of abm_tier_months, latest first."""
    relation = warehouse.relation("abm_tier_months")
    frame = warehouse.query(
        f"select distinct month_start_date from {relation} where is_complete order by month_start_date desc"
    )
    return [pd.Timestamp(value).date() for value in frame["month_start_date"]]


# --- names, not ids -------------------------------------------------------------------------


def staff_names(warehouse: Warehouse) -> dict[str, str]:
    """Salesforce user id → staff name (dim_users; pseudonyms when the company set that)."""
    if not warehouse.has_table("dim_users"):
        return {}
    frame = warehouse.query(f"select user_id, staff_name from {warehouse.relation('dim_users')}")
    return dict(zip(frame["user_id"], frame["staff_name"], strict=True))


def channel_labels(warehouse: Warehouse) -> dict[str, tuple[str, str]]:
    """Channel code → (Japanese, English) label, from the lead_source_channels seed."""
    if not warehouse.has_table("lead_source_channels"):
        return {}
    frame = warehouse.query(
        f"""
        select channel, min(channel_label_ja) as label_ja, min(channel_label_en) as label_en
        from {warehouse.relation("lead_source_channels")}
        group by channel
        """
    )
    return {row.channel: (row.label_ja, row.label_en) for row in frame.itertuples(index=False)}


# --- drill-down: the records behind a KPI value ---------------------------------------------

RECORD_COLUMNS: tuple[str, ...] = (
    "record_id",
    "salesforce_lead_ids",
    "hubspot_contact_ids",
    "opportunity_id",
    "company_name",
    "owner_name",
    "business_unit",
    "channel",
    "counted_at",
    "outcome_at",
    "stage",
    "is_counted_in_numerator",
)
"""Every record set has these columns: counted_at puts the record in the month (MQL time,
close date, MQL time of an SLA), outcome_at is what followed (opportunity created, the
opportunity's creation for a closed deal, first response); is_counted_in_numerator says
whether the record is in the KPI's numerator (converted, won, answered in time)."""

DRILLDOWN_KPIS: dict[str, str] = {
    # kpi_id: the record set behind its value (one SQL each below)
    "monthly_mql_count": "mql_cohort",
    "mql_to_opportunity_rate": "mql_cohort",
    "win_rate": "closed_new_business",
    "lead_handoff_sla_rate": "sla_due",
    **{kpi_id: "customer" for kpi_id in CUSTOMER_RECORD_SETS},
}
"""KPIs whose value can be opened down to the records it counts. Each record set lists ids,
company, owner, dates and stage, never a person's name, email or phone. The lead-side sets
have RECORD_COLUMNS; the "customer" ones (継続率, NPS, アップセル率, クロスセル率 and the KGIs)
CUSTOMER_RECORD_COLUMNS, over the KPI's judged window (customer_records.py)."""

FUNNEL_DRILLDOWN_STAGES: tuple[str, ...] = tuple(stage for stage, _, _ in FUNNEL_STAGES)


FURTHEST_STAGE_SQL = """
    case
        when funnel.won_at is not null then 'won'
        when funnel.lost_at is not null then 'lost'
        when funnel.opportunity_created_at is not null then 'opportunity'
        when funnel.sql_at is not null then 'sql'
        else 'mql'
    end
"""


def _funnel_people_sql(
    warehouse: Warehouse, *, counted_at: str, stage: str, in_numerator: str, where: str, order_by: str
) -> str:
    """People of fct_lead_funnel as drill-down records (RECORD_COLUMNS): their SFA lead and
    HubSpot contact ids, first opportunity, company, owner by name, and the given columns."""
    funnel = warehouse.relation("fct_lead_funnel")
    return f"""
        select
            funnel.person_id as record_id,
            people.salesforce_lead_ids,
            people.hubspot_contact_ids,
            funnel.first_opportunity_id as opportunity_id,
            companies.company_name,
            users.staff_name as owner_name,
            funnel.business_unit,
            funnel.channel,
            {counted_at} as counted_at,
            funnel.opportunity_created_at as outcome_at,
            {stage} as stage,
            {in_numerator} as is_counted_in_numerator
        from {funnel} as funnel
        left join {warehouse.relation("dim_people")} as people on people.person_id = funnel.person_id
        left join {warehouse.relation("dim_companies")} as companies
            on companies.company_id = funnel.company_id
        left join {warehouse.relation("dim_users")} as users on users.user_id = funnel.owner_user_id
        where {where}
        order by {order_by}
    """


def _drilldown_sql(warehouse: Warehouse, record_set: str) -> str:
    users = warehouse.relation("dim_users")
    companies = warehouse.relation("dim_companies")
    people = warehouse.relation("dim_people")
    if record_set == "mql_cohort":
        # The MQL cohort of the month: the people kpi_new_customers_monthly counts (mql_at in
        # the month); is_counted_in_numerator = a new-business opportunity within the window.
        return _funnel_people_sql(
            warehouse,
            counted_at="funnel.mql_at",
            stage=FURTHEST_STAGE_SQL,
            in_numerator="funnel.has_opportunity_within_window",
            # The KPI's basis (kpi_tree.yml): ma_handoff counts only people whose first lead
            # came from MA (lead_origin 'ma'), all_leads every MQL.
            where="funnel.mql_at is not null and funnel.mql_month_start_date = ? "
            "and (coalesce(?, 'all_leads') = 'all_leads' or funnel.lead_origin = 'ma')",
            order_by="funnel.mql_at, funnel.person_id",
        )
    if record_set == "closed_new_business":
        opportunities = warehouse.relation("fct_opportunities")
        return f"""
            select
                opportunities.opportunity_id as record_id,
                cast(null as varchar) as salesforce_lead_ids,
                cast(null as varchar) as hubspot_contact_ids,
                opportunities.opportunity_id,
                companies.company_name,
                users.staff_name as owner_name,
                opportunities.business_unit,
                opportunities.channel,
                cast(opportunities.close_date as timestamp) as counted_at,
                opportunities.created_at as outcome_at,
                case when opportunities.is_won then 'won' else 'lost' end as stage,
                opportunities.is_won as is_counted_in_numerator
            from {opportunities} as opportunities
            left join {companies} as companies on companies.company_id = opportunities.company_id
            left join {users} as users on users.user_id = opportunities.owner_user_id
            where opportunities.opportunity_type = 'new_business' and opportunities.is_closed
                and opportunities.close_month_start_date = ?
            order by opportunities.close_date, opportunities.opportunity_id
        """
    if record_set == "sla_due":
        sla = warehouse.relation("fct_sla_responses")
        funnel = warehouse.relation("fct_lead_funnel")
        return f"""
            select
                sla.person_id as record_id,
                people.salesforce_lead_ids,
                people.hubspot_contact_ids,
                cast(null as varchar) as opportunity_id,
                companies.company_name,
                users.staff_name as owner_name,
                funnel.business_unit,
                funnel.channel,
                sla.mql_at as counted_at,
                sla.first_response_at as outcome_at,
                case when sla.is_sla_met then 'met' else 'not_met' end as stage,
                sla.is_sla_met as is_counted_in_numerator
            from {sla} as sla
            left join {funnel} as funnel on funnel.person_id = sla.person_id
            left join {people} as people on people.person_id = sla.person_id
            left join {companies} as companies on companies.company_id = funnel.company_id
            left join {users} as users
                on users.user_id = coalesce(funnel.owner_user_id, sla.first_response_user_id)
            where sla.is_sla_due and sla.is_kpi_mql and date_trunc('month', sla.mql_at) = ?
            order by sla.mql_at, sla.person_id
        """
    raise ValueError(f"unknown record set {record_set!r}")


def kpi_records(warehouse: Warehouse, kpi_id: str, month_start_date: dt.date) -> pd.DataFrame | None:
    """The records behind a KPI's value in a month (its judged month: the cohort month for
    商談化率), or None when the KPI has no drill-down yet."""
    record_set = DRILLDOWN_KPIS.get(kpi_id)
    if record_set is None:
        return None
    if record_set == "customer":
        window = judged_window(warehouse, kpi_id, month_start_date)
        sql = customer_records_sql(warehouse, kpi_id, kpi_basis(warehouse, kpi_id))
        return warehouse.query(sql, [window.first_month, window.last_month])
    params: list[object] = [month_start_date]
    if record_set == "mql_cohort":
        params.append(kpi_basis(warehouse, kpi_id))
    return warehouse.query(_drilldown_sql(warehouse, record_set), params)


def judged_window(warehouse: Warehouse, kpi_id: str, month_start_date: dt.date) -> Window:
    """The months a KPI's judged value of `month_start_date` covers: the month itself, or its
    fiscal quarter / fiscal year to date (kpi_tree `judged_period`)."""
    months = warehouse.relation("dim_months")
    frame = warehouse.query(
        f"""
        select
            tree.judged_period,
            months.fiscal_year_start_date,
            months.fiscal_month_number
        from {warehouse.relation("kpi_tree")} as tree
        inner join {months} as months on months.month_start_date = tree.month_start_date
        where tree.node_id = ? and tree.month_start_date = ?
        """,
        [kpi_id, month_start_date],
    )
    if frame.empty:
        return Window(month_start_date, month_start_date)
    row = frame.iloc[0]
    if row["judged_period"] == "fiscal_year":
        first = pd.Timestamp(row["fiscal_year_start_date"]).date()
    elif row["judged_period"] == "fiscal_quarter":
        first = (
            pd.Timestamp(month_start_date) - pd.DateOffset(months=(int(row["fiscal_month_number"]) - 1) % 3)
        ).date()
    else:
        first = month_start_date
    return Window(first, month_start_date)


def kpi_basis(warehouse: Warehouse, kpi_id: str) -> str | None:
    """The KPI's definition basis in kpi_tree (null when the KPI has no choice or the
    warehouse predates the setting)."""
    if "basis" not in warehouse.columns("kpi_tree"):
        return None
    frame = warehouse.query(
        f"select max(basis) as basis from {warehouse.relation('kpi_tree')} where node_id = ?", [kpi_id]
    )
    value = frame["basis"].iloc[0]
    return None if labels.is_null(value) else str(value)


def funnel_stage_records(warehouse: Warehouse, selection: FunnelFilter, stage: str) -> pd.DataFrame:
    """The people behind one funnel bar (same selection and counting as `funnel`)."""
    column = dict((name, timestamp) for name, timestamp, _ in FUNNEL_STAGES)[stage]
    filters: list[str] = []
    params: list[object] = [selection.month_start_date]
    for name in ("business_unit", "channel", "owner_user_id"):
        value = getattr(selection, name)
        if value is not None:
            filters.append(f"funnel.{name} = ?")
            params.append(value)
    if selection.mode == "cohort":
        reached = f"date_trunc('month', funnel.lead_created_at) = ? and funnel.{column} is not null"
    else:
        reached = f"date_trunc('month', funnel.{column}) = ?"
    sql = _funnel_people_sql(
        warehouse,
        counted_at=f"funnel.{column}",
        stage=f"'{stage}'",
        in_numerator="cast(null as boolean)",
        where=" and ".join([reached, *filters]),
        order_by=f"funnel.{column}, funnel.person_id",
    )
    return warehouse.query(sql, params)
