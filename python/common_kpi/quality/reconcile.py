"""KPI reconciliation: every KPI of the latest months, recomputed straight from the staged
tables and compared with the KPI marts.

The SQL below is written from the KPI definitions (kpi_tree.yml, docs/marts_contract.md and
the business rules in the dbt vars), not from the dbt models: it reads only stg_* models,
plus the person identity mapping (int_person_identity) for the KPIs that count people.
Numerator and denominator of every compared month must be equal; the actual may differ
only by float rounding (`tolerance` in quality.yml). Thresholds and windows are read from
the dbt vars, the same configuration the models read, never restated here.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import yaml

from common_kpi import PROJECT_DIR
from common_kpi.quality.frames import WarehouseReader
from common_kpi.quality.report import Failure

CHECK_NAME = "kpi"

# Each query returns month_start_date, numerator, denominator (null for a count KPI).
# $name parameters are dbt vars (see kpi_parameters).
PERSON_FIRST_MQL = """
with
identity as (
    select source_table, source_record_id, person_id from {int_person_identity}
),
hubspot_contacts as (
    select * from {stg_hubspot__contacts}
),
salesforce_leads as (
    select * from {stg_salesforce__leads}
),
-- a HubSpot contact is a lead record once any stage from `lead` on is dated or current
hubspot_lead_records as (
    select
        identity.person_id,
        hubspot_contacts.became_mql_at,
        case
            when hubspot_contacts.hubspot_score >= $mql_score_threshold
                then coalesce(
                    synced_leads.created_at, hubspot_contacts.became_lead_at, hubspot_contacts.created_at
                )
        end as score_mql_at,
        hubspot_contacts.became_sql_at,
        hubspot_contacts.became_opportunity_at
    from hubspot_contacts
    inner join identity
        on identity.source_table = 'hubspot.contact'
        and identity.source_record_id = hubspot_contacts.hubspot_contact_id
    left join salesforce_leads as synced_leads
        on synced_leads.lead_id = hubspot_contacts.salesforce_lead_id
    where
        coalesce(
            hubspot_contacts.became_lead_at, hubspot_contacts.became_mql_at, hubspot_contacts.became_sql_at,
            hubspot_contacts.became_opportunity_at, hubspot_contacts.became_customer_at
        ) is not null
        or lower(hubspot_contacts.lifecycle_stage) in (
            'lead', 'marketingqualifiedlead', 'salesqualifiedlead', 'opportunity', 'customer', 'evangelist'
        )
),
salesforce_lead_records as (
    select
        identity.person_id,
        salesforce_leads.lead_id,
        salesforce_leads.converted_opportunity_id,
        least(
            case when salesforce_leads.is_converted
                then cast(salesforce_leads.converted_date as timestamp) end,
            case when list_contains($sql_lead_status_codes, salesforce_leads.lead_status_code)
                then salesforce_leads.last_modified_at end
        ) as sql_at
    from salesforce_leads
    inner join identity
        on identity.source_table = 'salesforce.lead'
        and identity.source_record_id = salesforce_leads.lead_id
),
contact_persons as (
    select source_record_id as contact_id, person_id
    from identity
    where source_table = 'salesforce.contact'
),
new_business as (
    select * from {stg_salesforce__opportunities}
    where opportunity_type = 'new_business'
),
person_opportunities as (
    select salesforce_lead_records.person_id, new_business.*
    from salesforce_lead_records
    inner join new_business on new_business.opportunity_id = salesforce_lead_records.converted_opportunity_id
    union all
    select contact_persons.person_id, new_business.*
    from contact_persons
    inner join new_business on new_business.contact_id = contact_persons.contact_id
),
lead_persons as (
    select person_id from hubspot_lead_records
    union
    select person_id from salesforce_lead_records
),
observed as (
    select person_id, coalesce(became_mql_at, score_mql_at) as mql_at, became_sql_at as sql_at,
        became_opportunity_at as opportunity_at
    from hubspot_lead_records
    union all
    select person_id, null, sql_at, null from salesforce_lead_records
    union all
    select person_id, null, null, created_at from person_opportunities
),
-- stages are cumulative: a person who reached a later stage reached the MQL stage by then
first_mql as (
    select observed.person_id, min(least(observed.mql_at, observed.sql_at, observed.opportunity_at)) as mql_at
    from observed
    inner join lead_persons on lead_persons.person_id = observed.person_id
    group by observed.person_id
),
first_opportunity as (
    select person_id, min(created_at) as opportunity_created_at
    from person_opportunities
    group by person_id
)
"""

QUERIES: dict[str, str] = {
    "monthly_mql_count": PERSON_FIRST_MQL
    + """
select cast(date_trunc('month', mql_at) as date) as month_start_date, count(*) as numerator,
    cast(null as bigint) as denominator
from first_mql
where mql_at is not null
group by 1
""",
    "mql_to_opportunity_rate": PERSON_FIRST_MQL
    + """
select
    cast(date_trunc('month', first_mql.mql_at) as date) as month_start_date,
    count(
        case when first_opportunity.opportunity_created_at
            <= first_mql.mql_at + to_days(cast($mql_to_opportunity_window_days as integer)) then 1 end
    ) as numerator,
    count(*) as denominator
from first_mql
left join first_opportunity on first_opportunity.person_id = first_mql.person_id
where first_mql.mql_at is not null
group by 1
""",
    "win_rate": """
select
    cast(date_trunc('month', close_date) as date) as month_start_date,
    count(case when is_won then 1 end) as numerator,
    count(*) as denominator
from {stg_salesforce__opportunities}
where opportunity_type = 'new_business' and is_closed
group by 1
""",
    "nps": """
select
    cast(date_trunc('month', responded_at) as date) as month_start_date,
    count(case when nps_score >= $nps_promoter_min_score then 1 end)
        - count(case when nps_score <= $nps_detractor_max_score then 1 end) as numerator,
    count(*) as denominator
from {stg_crm__nps_responses}
group by 1
""",
    "retention_rate": """
with contracts as (
    select * from {stg_crm__contracts}
),
renewed as (
    select distinct previous_terms.contract_id
    from contracts as previous_terms
    inner join contracts as next_terms
        on next_terms.customer_id = previous_terms.customer_id
        and next_terms.product_line = previous_terms.product_line
        and next_terms.contract_id != previous_terms.contract_id
        and next_terms.start_date > previous_terms.start_date
        and next_terms.start_date <= previous_terms.end_date + to_days(cast($renewal_grace_days as integer))
        and (
            next_terms.start_date > previous_terms.end_date
            or (
                next_terms.contract_type = 'renewal'
                and next_terms.previous_contract_id = previous_terms.contract_id
            )
        )
)
select
    cast(date_trunc('month', contracts.end_date) as date) as month_start_date,
    count(renewed.contract_id) as numerator,
    count(*) as denominator
from contracts
left join renewed on renewed.contract_id = contracts.contract_id
group by 1
""",
    "upsell_rate": """
with contracts as (select * from {stg_crm__contracts}),
months as (
    select distinct cast(date_trunc('month', day) as date) as month_start_date
    from (
        select unnest(generate_series(min(start_date), max(end_date), interval 1 day)) as day
        from contracts
    )
),
active_at_start as (
    select distinct months.month_start_date, contracts.customer_id
    from months
    inner join contracts
        on contracts.start_date <= months.month_start_date and contracts.end_date >= months.month_start_date
),
expanded as (
    select distinct cast(date_trunc('month', start_date) as date) as month_start_date, customer_id
    from contracts
    where contract_type = $contract_type
)
select
    active_at_start.month_start_date,
    count(expanded.customer_id) as numerator,
    count(*) as denominator
from active_at_start
left join expanded
    on expanded.month_start_date = active_at_start.month_start_date
    and expanded.customer_id = active_at_start.customer_id
group by 1
""",
    # Contract revenue is recognised evenly over the term's months, counted from its start month;
    # a term lasts its days divided by the average month (365.25 / 12 days), at least one month.
    "kgi_revenue": """
with terms as (
    select
        amount_jpy,
        cast(date_trunc('month', start_date) as date) as first_month_start_date,
        greatest(1, cast(round((datediff('day', start_date, end_date) + 1) / (365.25 / 12)) as integer))
            as term_months
    from {stg_crm__contracts}
),
recognised as (
    select
        cast(first_month_start_date + to_months(cast(month_number as integer)) as date) as month_start_date,
        amount_jpy / term_months as revenue_jpy
    from terms, range(term_months) as months(month_number)
)
select month_start_date, sum(revenue_jpy) as numerator, cast(null as double) as denominator
from recognised
group by 1
""",
    "kgi_operating_margin": """
select
    month_start_date,
    sum(case when line_item = 'revenue' then amount_jpy else -amount_jpy end) as numerator,
    sum(case when line_item = 'revenue' then amount_jpy end) as denominator
from {stg_finance__pl_monthly}
group by 1
""",
}
QUERIES["cross_sell_rate"] = QUERIES["upsell_rate"]
QUERY_PARAMETERS: dict[str, dict[str, Any]] = {
    "upsell_rate": {"contract_type": "upsell"},
    "cross_sell_rate": {"contract_type": "cross_sell"},
}


def dbt_vars(project_dir: Path = PROJECT_DIR) -> dict[str, Any]:
    document = yaml.safe_load((project_dir / "dbt_project.yml").read_text(encoding="utf-8")) or {}
    return document.get("vars") or {}


def kpi_parameters(query: str, kpi_id: str, variables: dict[str, Any]) -> dict[str, Any]:
    """The $parameters a query uses: dbt vars (named in quality.yml) and per-KPI constants."""
    mapping = {
        "mql_score_threshold": variables["mql_hubspot_score_threshold"],
        "sql_lead_status_codes": list(variables["sql_lead_status_codes"]),
        "mql_to_opportunity_window_days": variables["mql_to_opportunity_window_days"],
        "nps_promoter_min_score": variables["nps_promoter_min_score"],
        "nps_detractor_max_score": variables["nps_detractor_max_score"],
        "renewal_grace_days": variables["renewal_grace_days"],
        **QUERY_PARAMETERS.get(kpi_id, {}),
    }
    return {name: value for name, value in mapping.items() if f"${name}" in query}


def _number(value: Any) -> float | None:
    if value is None:
        return None
    number = float(value)
    return None if math.isnan(number) else number


def _same(left: float | None, right: float | None, tolerance: float) -> bool:
    if left is None or right is None:
        return left is None and right is None
    return math.isclose(left, right, rel_tol=tolerance, abs_tol=tolerance)


def _text(value: float | None) -> str:
    return "null" if value is None else f"{value:.6g}"


def reconcile_kpis(connection: Any, config: dict[str, Any]) -> tuple[int, list[Failure]]:
    """Compare numerator, denominator and actual of every configured KPI over the latest months."""
    reader = WarehouseReader(connection)
    variables = dbt_vars()
    months = int(config["months"])
    tolerance = float(config["tolerance"])
    period = reader.frame(relation=config["reporting_period_model"]).iloc[0]
    last_month = period[config["last_month_column"]]
    failures: list[Failure] = []
    evaluated = 0
    for kpi_id, spec in config["kpis"].items():
        mart = spec["mart"]
        scale = float(spec.get("value_scale", 1))
        query = QUERIES[kpi_id]
        independent = {
            row[0]: (_number(row[1]), _number(row[2]))
            for row in connection.execute(
                reader.render(query), kpi_parameters(query, kpi_id, variables)
            ).fetchall()
            if row[0] is not None
        }
        mart_rows = connection.execute(
            f"select month_start_date, numerator, denominator, actual from {reader.relation(mart)} "
            "where kpi_id = ? and month_start_date <= ? order by month_start_date desc limit ?",
            [kpi_id, last_month, months],
        ).fetchall()
        if not mart_rows:
            evaluated += 1
            failures.append(Failure(CHECK_NAME, mart, "kpi_id", kpi_id, "no rows for the latest months"))
            continue
        for month, numerator, denominator, actual in mart_rows:
            evaluated += 1
            if month in independent:
                mine_numerator, mine_denominator = independent[month]
            elif spec.get("empty_month_is_null"):
                mine_numerator, mine_denominator = None, None
            else:
                mine_numerator, mine_denominator = 0.0, (None if spec.get("count") else 0.0)
            if spec.get("count"):
                mine_denominator = None
            mine_actual = (
                mine_numerator
                if mine_denominator is None
                else (None if not mine_denominator else scale * mine_numerator / mine_denominator)
            )
            theirs = (_number(numerator), _number(denominator), _number(actual))
            mine = (mine_numerator, mine_denominator, mine_actual)
            if all(_same(a, b, tolerance) for a, b in zip(theirs, mine, strict=True)):
                continue
            failures.append(
                Failure(
                    CHECK_NAME,
                    mart,
                    "numerator / denominator = actual",
                    f"{kpi_id} {month:%Y-%m}",
                    f"mart {_text(theirs[0])} / {_text(theirs[1])} = {_text(theirs[2])}, "
                    f"recomputed {_text(mine[0])} / {_text(mine[1])} = {_text(mine[2])}",
                )
            )
    return evaluated, failures
