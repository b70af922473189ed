"""KPI reconciliation: every KPI, over the full history, recomputed straight from the staged
tables with the business definitions and compared with the KPI marts.

The SQL below is written from the KPI definitions (kpi_tree.yml, docs/marts_contract.md and
the business rules in the dbt vars), not from the dbt models: it reads only stg_* models,
the identity mappings (int_person_identity, int_company_identity) for the KPIs that count
people or companies, and the holiday seed for the SLA clocks. Each KPI is recomputed on the
definition chosen in kpi_tree.yml (node `basis`) with the kpi_tree.yml settings (windows,
grace period, SLA hours); the other business rules are read from the dbt vars, never
restated here. Numerator and denominator of every month must be equal; the actual may
differ only by float rounding (`tolerance` in quality.yml).
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import yaml

from common_kpi import PROJECT_DIR
from common_kpi.kpi_config import KpiTree, load_kpi_tree
from common_kpi.quality.frames import WarehouseReader
from common_kpi.quality.report import Failure

CHECK_NAME = "kpi"

# Each query returns month_start_date, numerator, denominator (null for a count KPI).
# $name parameters are kpi_tree.yml settings and bases, and dbt vars (see kpi_parameters).
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
-- a HubSpot contact is a lead record once any stage from `lead` on is dated or current; its
-- MQL is the MA→SFA handoff, dated at the earliest evidence: the lifecycle-stage date or the
-- creation of the Salesforce lead the sync made (not before the contact became a lead); a
-- score-only MQL never synced at its lead date
hubspot_lead_records as (
    select
        identity.person_id,
        coalesce(hubspot_contacts.became_lead_at, hubspot_contacts.created_at) as lead_at,
        case
            when hubspot_contacts.became_mql_at is not null or synced_leads.created_at is not null
                then least(hubspot_contacts.became_mql_at, synced_leads.created_at)
            when hubspot_contacts.hubspot_score >= $mql_score_threshold
                then coalesce(hubspot_contacts.became_lead_at, hubspot_contacts.created_at)
        end as mql_at,
        hubspot_contacts.became_sql_at,
        hubspot_contacts.became_opportunity_at
    from hubspot_contacts
    inner join identity
        on identity.source_table = 'hubspot.contact'
        and identity.source_record_id = hubspot_contacts.hubspot_contact_id
    left join salesforce_leads as synced_leads
        on synced_leads.lead_id = hubspot_contacts.salesforce_lead_id
        and synced_leads.created_at >= coalesce(hubspot_contacts.became_lead_at, hubspot_contacts.created_at)
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
        salesforce_leads.created_at,
        salesforce_leads.converted_opportunity_id,
        -- a conversion happens when the converted contact was created on the conversion
        -- date, else at the start of that date, never before the lead itself
        least(
            case when salesforce_leads.is_converted then
                case
                    when cast(converted_contacts.created_at as date) = salesforce_leads.converted_date
                        and converted_contacts.created_at >= salesforce_leads.created_at
                        then converted_contacts.created_at
                    else greatest(
                        cast(salesforce_leads.converted_date as timestamp), salesforce_leads.created_at
                    )
                end
            end,
            case when list_contains($sql_lead_status_codes, salesforce_leads.lead_status_code)
                then salesforce_leads.last_modified_at end
        ) as sql_at
    from salesforce_leads
    inner join identity
        on identity.source_table = 'salesforce.lead'
        and identity.source_record_id = salesforce_leads.lead_id
    left join {stg_salesforce__contacts} as converted_contacts
        on converted_contacts.contact_id = salesforce_leads.converted_contact_id
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
-- where a person came from: the system of their earliest lead record (MA first on a tie)
lead_origins as (
    select person_id, lead_at, 0 as system_rank, 'ma' as lead_origin from hubspot_lead_records
    union all
    select person_id, created_at, 1, 'sfa_direct' from salesforce_lead_records
),
lead_persons as (
    select person_id, arg_min(lead_origin, (lead_at, system_rank)) as lead_origin
    from lead_origins
    group by person_id
),
observed as (
    select person_id, mql_at, became_sql_at as sql_at, became_opportunity_at as opportunity_at
    from hubspot_lead_records
    union all
    select person_id, null, sql_at, null from salesforce_lead_records
    union all
    select person_id, null, null, created_at from person_opportunities
),
-- stages are cumulative: a person who reached a later stage reached the MQL stage by then
first_mql as (
    select
        observed.person_id,
        any_value(lead_persons.lead_origin) as lead_origin,
        min(least(observed.mql_at, observed.sql_at, observed.opportunity_at)) as mql_at
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

# The MQLs of the basis: ma_handoff = people who came in through MA only; all_leads = also
# the leads created directly in SFA.
MQL_POPULATION = "first_mql.mql_at is not null and ($mql_basis = 'all_leads' or first_mql.lead_origin = 'ma')"

# Contract terms with their term months, MRR (whole yen) and their renewal: the next term of
# the same customer and product line starting after the term started and at most the grace
# period after its end, and either after its end or a CRM renewal naming it; the best one is
# the one naming it, then the earliest, then the smallest id.
CONTRACT_TERMS = """
with
contracts as (
    select
        *,
        greatest(1, cast(round((datediff('day', start_date, end_date) + 1) / (365.25 / 12)) as integer))
            as term_months
    from {stg_crm__contracts}
),
terms as (
    select *, round(amount_jpy / term_months) as mrr_jpy
    from contracts
),
renewal_candidates as (
    select
        previous_terms.contract_id,
        next_terms.contract_id as renewal_contract_id,
        next_terms.mrr_jpy as renewal_mrr_jpy,
        row_number() over (
            partition by previous_terms.contract_id
            order by
                case when next_terms.contract_type = 'renewal'
                    and next_terms.previous_contract_id = previous_terms.contract_id then 0 else 1 end,
                next_terms.start_date,
                next_terms.contract_id
        ) as candidate_rank
    from terms as previous_terms
    inner join terms as next_terms
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
),
renewals as (
    select contract_id, renewal_contract_id, renewal_mrr_jpy
    from renewal_candidates
    where candidate_rank = 1
),
due_terms as (
    select
        terms.*,
        cast(date_trunc('month', terms.end_date) as date) as end_month_start_date,
        renewals.renewal_contract_id,
        renewals.renewal_mrr_jpy
    from terms
    left join renewals on renewals.contract_id = terms.contract_id
)
"""

QUERIES: dict[str, str] = {
    "monthly_mql_count": PERSON_FIRST_MQL
    + f"""
select cast(date_trunc('month', mql_at) as date) as month_start_date, count(*) as numerator,
    cast(null as bigint) as denominator
from first_mql
where {MQL_POPULATION}
group by 1
""",
    "mql_to_opportunity_rate": PERSON_FIRST_MQL
    + f"""
select
    cast(date_trunc('month', first_mql.mql_at) as date) as month_start_date,
    count(
        case when first_opportunity.opportunity_created_at
            <= first_mql.mql_at + to_days(cast($mql_to_opportunity_window_days as integer)) then 1 end
    ) as numerator,
    count(*) as denominator
from first_mql
left join first_opportunity on first_opportunity.person_id = first_mql.person_id
where {MQL_POPULATION}
group by 1
""",
    # The SLA, over the MQLs of the MQL KPIs' population: the first completed call or email
    # (var sla_activity_types) on one of the
    # person's Salesforce leads or contacts at or after the MQL, within the SLA hours on the
    # clock of the basis: calendar hours; business days (24 h of each business day);
    # business hours (var business_day_start_hour..end_hour of each business day). A business
    # day is a weekday that is no public holiday (seed japanese_holidays) and no closure day.
    # Elapsed business time is the overlap of [MQL, moment] with the business part of each day,
    # counted over 30 days at most (any clock has passed the SLA by then).
    "lead_handoff_sla_rate": PERSON_FIRST_MQL
    + f""",
period as (
    select cast(as_of_date + interval 1 day as timestamp) as clock_end_at from {{reporting_period}}
),
mqls as (
    select first_mql.person_id, first_mql.mql_at
    from first_mql
    where {MQL_POPULATION}
),
responses as (
    select identity.person_id, tasks.created_at
    from {{stg_salesforce__tasks}} as tasks
    inner join identity
        on (identity.source_table = 'salesforce.lead' and identity.source_record_id = tasks.lead_id)
        or (identity.source_table = 'salesforce.contact' and identity.source_record_id = tasks.contact_id)
    where tasks.is_completed and list_contains($sla_activity_types, tasks.task_type)
),
first_responses as (
    select mqls.person_id, mqls.mql_at, min(responses.created_at) as response_at
    from mqls
    left join responses on responses.person_id = mqls.person_id and responses.created_at >= mqls.mql_at
    group by mqls.person_id, mqls.mql_at
),
moments as (
    select
        first_responses.*,
        least(coalesce(response_at, clock_end_at), mql_at + interval 30 day) as until_at
    from first_responses
    cross join period
),
days as (
    select
        cast(day as date) as calendar_date,
        isodow(day) < 6
        and cast(day as date) not in (select cast(holiday_date as date) from {{japanese_holidays}})
        and not list_contains($closure_month_days, strftime(day, '%m-%d')) as is_business_day
    from (
        select unnest(generate_series(
            cast(min(mql_at) as date), cast(max(until_at) as date), interval 1 day
        )) as day
        from moments
    )
),
business_seconds as (
    select
        moments.person_id,
        sum(
            greatest(0, datediff(
                'second',
                greatest(moments.mql_at, cast(days.calendar_date as timestamp)),
                least(moments.until_at, cast(days.calendar_date as timestamp) + interval 1 day)
            ))
        ) as business_day_seconds,
        sum(
            greatest(0, datediff(
                'second',
                greatest(moments.mql_at, cast(days.calendar_date as timestamp) + to_hours($day_start_hour)),
                least(moments.until_at, cast(days.calendar_date as timestamp) + to_hours($day_end_hour))
            ))
        ) as business_hour_seconds
    from moments
    inner join days
        on days.calendar_date between cast(moments.mql_at as date) and cast(moments.until_at as date)
        and days.is_business_day
    group by moments.person_id
),
clocked as (
    select
        moments.person_id,
        moments.mql_at,
        moments.response_at,
        case $sla_clock
            when 'calendar' then datediff('second', moments.mql_at, moments.until_at)
            when 'business_days' then coalesce(business_seconds.business_day_seconds, 0)
            when 'business_hours' then coalesce(business_seconds.business_hour_seconds, 0)
        end as elapsed_seconds
    from moments
    left join business_seconds on business_seconds.person_id = moments.person_id
)
select
    cast(date_trunc('month', mql_at) as date) as month_start_date,
    count(case when response_at is not null and elapsed_seconds <= $sla_hours * 3600 then 1 end) as numerator,
    count(*) as denominator
from clocked
where response_at is not null or elapsed_seconds >= $sla_hours * 3600
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
    # 継続率 on its basis: contract = terms renewed / terms ending in the month; customer =
    # customers who renewed a term ending in the month or kept another term running past
    # them / customers with a term ending; revenue_mrr = renewed MRR (each renewal's MRR capped
    # at the MRR of the terms it renews) / MRR ending in the month.
    "retention_rate": CONTRACT_TERMS
    + """,
by_contract as (
    select end_month_start_date as month_start_date, count(renewal_contract_id) as numerator,
        count(*) as denominator
    from due_terms
    group by 1
),
customers_due as (
    select end_month_start_date, customer_id, bool_or(renewal_contract_id is not null) as has_renewal,
        max(end_date) as last_end_date
    from due_terms
    group by 1, 2
),
by_customer as (
    select
        customers_due.end_month_start_date as month_start_date,
        count(case when customers_due.has_renewal or exists (
            select 1 from terms as running
            where running.customer_id = customers_due.customer_id
                and running.start_date <= customers_due.last_end_date
                and running.end_date > customers_due.last_end_date
        ) then 1 end) as numerator,
        count(*) as denominator
    from customers_due
    group by 1
),
renewal_groups as (
    select end_month_start_date, renewal_contract_id,
        least(max(renewal_mrr_jpy), sum(mrr_jpy)) as retained_mrr_jpy
    from due_terms
    where renewal_contract_id is not null
    group by 1, 2
),
by_revenue as (
    select
        due.month_start_date,
        coalesce(retained.retained_mrr_jpy, 0) as numerator,
        due.due_mrr_jpy as denominator
    from (
        select end_month_start_date as month_start_date, sum(mrr_jpy) as due_mrr_jpy from due_terms group by 1
    ) as due
    left join (
        select end_month_start_date as month_start_date, sum(retained_mrr_jpy) as retained_mrr_jpy
        from renewal_groups group by 1
    ) as retained on retained.month_start_date = due.month_start_date
)
select * from by_contract where $retention_basis = 'contract'
union all
select * from by_customer where $retention_basis = 'customer'
union all
select * from by_revenue where $retention_basis = 'revenue_mrr'
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
    # クロスセル率 by company (basis company): companies (the CRM customers of every business
    # unit of one company together) active at the month start; cross-sold when a term that
    # renews nothing starts a product line the company did not hold (other terms started
    # earlier and running until the day before), whatever the business unit.
    "cross_sell_rate_company": CONTRACT_TERMS
    + """,
company_terms as (
    select
        due_terms.*,
        coalesce(companies.company_id, 'customer:' || due_terms.customer_id) as company_key,
        due_terms.contract_id in (select renewal_contract_id from renewals) as is_renewal
    from due_terms
    left join {int_company_identity} as companies
        on companies.source_table = 'crm.customers' and companies.source_record_id = due_terms.customer_id
),
months as (
    select distinct cast(date_trunc('month', day) as date) as month_start_date
    from (
        select unnest(generate_series(min(start_date), max(end_date), interval 1 day)) as day
        from company_terms
    )
),
active_at_start as (
    select distinct months.month_start_date, company_terms.company_key
    from months
    inner join company_terms
        on company_terms.start_date <= months.month_start_date
        and company_terms.end_date >= months.month_start_date
),
cross_sold as (
    select distinct cast(date_trunc('month', new_terms.start_date) as date) as month_start_date,
        new_terms.company_key
    from company_terms as new_terms
    where not new_terms.is_renewal
        and exists (
            select 1 from company_terms as held
            where held.company_key = new_terms.company_key and held.contract_id != new_terms.contract_id
                and held.start_date < new_terms.start_date and held.end_date >= new_terms.start_date - 1
        )
        and not exists (
            select 1 from company_terms as held
            where held.company_key = new_terms.company_key and held.contract_id != new_terms.contract_id
                and held.start_date < new_terms.start_date and held.end_date >= new_terms.start_date - 1
                and held.product_line = new_terms.product_line
        )
)
select
    active_at_start.month_start_date,
    count(cross_sold.company_key) as numerator,
    count(*) as denominator
from active_at_start
left join cross_sold
    on cross_sold.month_start_date = active_at_start.month_start_date
    and cross_sold.company_key = active_at_start.company_key
group by 1
""",
    # Contract revenue is recognised over the term's months, counted from its start month; a
    # term lasts its days divided by the average month (365.25 / 12 days), at least one month.
    # Whole yen: amount / term months rounded, the last month taking the remainder.
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
        case
            when month_number = term_months - 1
                then amount_jpy - round(amount_jpy / term_months) * (term_months - 1)
            else round(amount_jpy / term_months)
        end as revenue_jpy
    from terms, range(term_months) as months(month_number)
)
select month_start_date, sum(revenue_jpy) as numerator, cast(null as double) as denominator
from recognised
where $revenue_basis = 'contract_revenue'
group by 1
union all
select month_start_date, sum(amount_jpy) as numerator, cast(null as double) as denominator
from {stg_finance__pl_monthly}
where $revenue_basis = 'pl_revenue' and line_item = 'revenue'
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
QUERIES["cross_sell_rate_business_unit"] = QUERIES["upsell_rate"]
QUERY_PARAMETERS: dict[str, dict[str, Any]] = {
    "upsell_rate": {"contract_type": "upsell"},
    "cross_sell_rate": {"contract_type": "cross_sell"},
}
# The query of a KPI whose definition choice changes the population (else QUERIES[kpi_id]).
QUERY_BY_BASIS: dict[tuple[str, str], str] = {
    ("cross_sell_rate", "company"): "cross_sell_rate_company",
    ("cross_sell_rate", "business_unit"): "cross_sell_rate_business_unit",
}


def dbt_vars(project_dir: Path = PROJECT_DIR) -> dict[str, Any]:
    document = yaml.safe_load((project_dir / "dbt_project.yml").read_text(encoding="utf-8")) or {}
    return document.get("vars") or {}


def kpi_query(kpi_id: str, basis: str | None) -> str:
    """The independent SQL of a KPI on its basis."""
    return QUERIES[QUERY_BY_BASIS.get((kpi_id, basis or ""), kpi_id)]


def kpi_parameters(query: str, kpi_id: str, variables: dict[str, Any], tree: KpiTree) -> dict[str, Any]:
    """The $parameters a query uses: kpi_tree.yml settings and bases, dbt vars, per-KPI constants."""
    settings = tree.settings
    bases = {node.id: node.basis for node in tree.nodes}
    mapping = {
        "mql_score_threshold": variables["mql_hubspot_score_threshold"],
        "sql_lead_status_codes": list(variables["sql_lead_status_codes"]),
        "mql_to_opportunity_window_days": settings.mql_to_opportunity_window_days,
        # the MQL KPIs' population, which the SLA counts too (one basis for both MQL KPIs)
        "mql_basis": bases.get("monthly_mql_count") or bases.get("mql_to_opportunity_rate") or "ma_handoff",
        "nps_promoter_min_score": settings.nps_promoter_min_score,
        "nps_detractor_max_score": settings.nps_detractor_max_score,
        "renewal_grace_days": settings.renewal_grace_period_days,
        "retention_basis": bases.get("retention_rate"),
        "revenue_basis": bases.get("kgi_revenue"),
        "sla_clock": bases.get("lead_handoff_sla_rate"),
        "sla_hours": settings.lead_handoff_sla_hours,
        "sla_activity_types": list(variables["sla_activity_types"]),
        "closure_month_days": list(variables["business_closure_month_days"]),
        "day_start_hour": int(variables["business_day_start_hour"]),
        "day_end_hour": int(variables["business_day_end_hour"]),
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
    """Compare numerator, denominator and actual of every configured KPI in every month of its
    mart up to the as-of month (the full history), on the definition chosen in kpi_tree.yml."""
    reader = WarehouseReader(connection)
    variables = dbt_vars()
    tree = load_kpi_tree(PROJECT_DIR)
    bases = {node.id: node.basis for node in tree.nodes}
    nodes = {node.id: node for node in tree.measured_nodes}
    tolerance = float(config["tolerance"])
    period = reader.frame(relation=config["reporting_period_model"]).iloc[0]
    last_month = period[config["last_month_column"]]
    failures: list[Failure] = []
    evaluated = 0
    for kpi_id, spec in config["kpis"].items():
        if kpi_id not in nodes:
            continue  # not in this company's tree
        # the mart that shows the KPI (its KSF's) and whether its value is the numerator
        mart = nodes[kpi_id].mart or ""
        is_count = nodes[kpi_id].unit in ("count", "jpy")
        scale = float(spec.get("value_scale", 1))
        basis = bases[kpi_id]
        query = kpi_query(kpi_id, basis)
        independent = {
            row[0]: (_number(row[1]), _number(row[2]))
            for row in connection.execute(
                reader.render(query), kpi_parameters(query, kpi_id, variables, tree)
            ).fetchall()
            if row[0] is not None
        }
        mart_rows = connection.execute(
            f"select month_start_date, numerator, denominator, actual from {reader.relation(mart)} "
            "where kpi_id = ? and month_start_date <= ? order by month_start_date desc",
            [kpi_id, last_month],
        ).fetchall()
        if not mart_rows:
            evaluated += 1
            failures.append(Failure(CHECK_NAME, mart, "kpi_id", kpi_id, "no rows for the latest months"))
            continue
        null_bases = spec.get("empty_month_is_null_bases", [])
        empty_month_is_null = spec.get("empty_month_is_null") or basis in null_bases
        for month, numerator, denominator, actual in mart_rows:
            evaluated += 1
            if month in independent:
                mine_numerator, mine_denominator = independent[month]
            elif empty_month_is_null:
                mine_numerator, mine_denominator = None, None
            else:
                mine_numerator, mine_denominator = 0.0, (None if is_count else 0.0)
            if is_count:
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
                    f"{kpi_id} ({basis or 'no basis'}) {month:%Y-%m}",
                    f"mart {_text(theirs[0])} / {_text(theirs[1])} = {_text(theirs[2])}, "
                    f"recomputed {_text(mine[0])} / {_text(mine[1])} = {_text(mine[2])}",
                )
            )
    return evaluated, failures
