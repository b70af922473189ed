-- The lead funnel (リードファネル): one row per person who is a lead, with the first time (JST)
-- each stage was reached, how the MQL and SQL were decided, the first new-business
-- opportunity, the MQL response SLA and the MQL→opportunity window flags the KPI marts read.
-- Stage rules: int_lead_records_unioned (MQL / SQL criteria), int_lead_funnel_stages
-- (first times, inference, monotonic order), fct_sla_responses (SLA).
with

funnel as (
    select * from {{ ref('int_lead_funnel_stages') }}
),

sla_responses as (
    select * from {{ ref('fct_sla_responses') }}
),

kpi_nodes as (
    select * from {{ ref('kpi_tree_nodes') }}
),

-- The MQL population of the two MQL KPIs (kpi_tree.yml `basis`: ma_handoff = people who came
-- in through MA, all_leads = also leads created directly in SFA), as flags the semantic
-- layer sums, so its metrics follow the definition the KPI marts use: is_kpi_mql from
-- fct_sla_responses (every MQL has a row there; the SLA counts the same population).
mql_bases as (
    select max(case when node_id = 'mql_to_opportunity_rate' then basis end) as mql_conversion_basis
    from kpi_nodes
),

final as (
    select
        funnel.person_id,
        funnel.company_id,
        funnel.business_unit,
        funnel.channel,
        funnel.lead_origin,
        funnel.owner_user_id,
        funnel.owner_team,
        funnel.lead_created_at,
        funnel.mql_at,
        funnel.sql_at,
        funnel.opportunity_created_at,
        funnel.won_at,
        funnel.lost_at,
        funnel.is_mql_inferred,
        funnel.is_sql_inferred,
        funnel.mql_criterion,
        funnel.sql_criterion,
        funnel.first_opportunity_id,
        funnel.first_opportunity_rule,
        funnel.new_business_opportunity_count,
        sla_responses.first_response_at,
        sla_responses.sla_response_hours,
        sla_responses.sla_business_hours,
        sla_responses.is_sla_met,
        funnel.days_lead_to_mql,
        funnel.days_mql_to_sql,
        funnel.days_sql_to_opportunity,
        funnel.days_opportunity_to_close,
        funnel.mql_month_start_date,
        funnel.has_opportunity_within_window,
        funnel.is_mql_cohort_mature,
        coalesce(sla_responses.is_kpi_mql, false) as is_kpi_mql,
        coalesce(
            funnel.mql_at is not null
            and (mql_bases.mql_conversion_basis = 'all_leads' or funnel.lead_origin = 'ma'),
            false
        ) as is_kpi_mql_cohort
    from funnel
    cross join mql_bases
    left join sla_responses
        on funnel.person_id = sla_responses.person_id
)

select * from final
