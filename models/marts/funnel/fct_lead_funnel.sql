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
        funnel.is_mql_cohort_mature
    from funnel
    left join sla_responses
        on funnel.person_id = sla_responses.person_id
)

select * from final
