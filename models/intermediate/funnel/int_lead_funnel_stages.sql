-- One row per person who is a lead, with the first time (JST) each funnel stage was reached.
-- Stages are cumulative (lead → MQL → SQL → opportunity → won / lost): a later stage implies
-- the earlier ones. Rule for a skipped stage (var stage_inference_rule):
--   later_stage_time  the skipped stage takes the time of the next stage reached (a lead
--                     converted in Salesforce before HubSpot marked it MQL is an MQL at its
--                     SQL time), flagged is_mql_inferred / is_sql_inferred;
--   none              a skipped stage stays empty.
-- Either way an observed stage time later than the next stage's time is moved back to it,
-- so that stage times never go backwards (also flagged as inferred), and the lead time is
-- the earliest of all. The opportunity is the first new-business one
-- (int_lead_first_opportunities); won_at / lost_at are its closing day, never before its
-- creation. The person's origin is the system of their earliest lead record (MA first on a
-- tie) and their channel that record's source mapped by seed lead_source_channels; business
-- unit and owner come from their earliest Salesforce lead, else their earliest lead record.
{#- true: a skipped stage takes the next stage's time (rule later_stage_time) -#}
{%- set infer_skipped_stages = 'true' if var('stage_inference_rule') == 'later_stage_time' else 'false' %}
with

lead_records as (
    select * from {{ ref('int_lead_records_unioned') }}
),

first_opportunities as (
    select * from {{ ref('int_lead_first_opportunities') }}
),

person_company as (
    select * from {{ ref('int_person_company') }}
),

users as (
    select * from {{ ref('stg_salesforce__users') }}
),

reporting_period as (
    select * from {{ ref('reporting_period') }}
),

kpi_settings as (
    select * from {{ ref('kpi_tree_settings') }}
),

ranked_records as (
    select
        *,
        row_number() over (
            partition by person_id
            order by
                lead_created_at,
                case when source_system = 'hubspot' then 0 else 1 end,
                source_record_id
        ) as record_rank,
        row_number() over (
            partition by person_id
            order by
                case when source_system = 'salesforce' then 0 else 1 end,
                lead_created_at,
                source_record_id
        ) as salesforce_first_rank,
        row_number() over (
            partition by person_id
            order by
                case when mql_at is null then 1 else 0 end,
                mql_at,
                source_record_id
        ) as mql_rank,
        row_number() over (
            partition by person_id
            order by
                case when sql_at is null then 1 else 0 end,
                sql_at,
                source_record_id
        ) as sql_rank
    from lead_records
    where person_id is not null
),

observed as (
    select
        person_id,
        min(lead_created_at) as observed_lead_at,
        min(mql_at) as observed_mql_at,
        min(sql_at) as observed_sql_at,
        max(case when record_rank = 1 then source_system end) as first_source_system,
        max(case when record_rank = 1 then channel end) as origin_channel,
        max(case when salesforce_first_rank = 1 then business_unit end) as preferred_business_unit,
        max(case when salesforce_first_rank = 1 then owner_user_id end) as owner_user_id,
        max(case when mql_rank = 1 then mql_criterion end) as mql_criterion,
        max(case when sql_rank = 1 then sql_criterion end) as sql_criterion,
        max(case when record_rank = 1 then business_unit end) as first_record_business_unit,
        count(*) as lead_record_count
    from ranked_records
    group by person_id
),

with_opportunity as (
    select
        observed.*,
        first_opportunities.first_opportunity_id,
        first_opportunities.first_opportunity_rule,
        coalesce(first_opportunities.new_business_opportunity_count, 0) as new_business_opportunity_count,
        first_opportunities.opportunity_created_at,
        -- the closing day as a time, never before the opportunity was created
        case
            when first_opportunities.is_won
                then case
                    when
                        cast(first_opportunities.close_date as {{ dbt.type_timestamp() }})
                        >= first_opportunities.opportunity_created_at
                        then cast(first_opportunities.close_date as {{ dbt.type_timestamp() }})
                    else first_opportunities.opportunity_created_at
                end
        end as won_at,
        case
            when first_opportunities.is_closed and not first_opportunities.is_won
                then case
                    when
                        cast(first_opportunities.close_date as {{ dbt.type_timestamp() }})
                        >= first_opportunities.opportunity_created_at
                        then cast(first_opportunities.close_date as {{ dbt.type_timestamp() }})
                    else first_opportunities.opportunity_created_at
                end
        end as lost_at
    from observed
    left join first_opportunities
        on observed.person_id = first_opportunities.person_id
),

sql_stage as (
    select
        *,
        case
            when
                observed_sql_at is not null
                and (opportunity_created_at is null or observed_sql_at <= opportunity_created_at)
                then observed_sql_at
            when
                opportunity_created_at is not null
                and ({{ infer_skipped_stages }} or observed_sql_at is not null)
                then opportunity_created_at
        end as sql_at
    from with_opportunity
),

mql_stage as (
    select
        *,
        case
            when
                observed_mql_at is not null
                and (
                    coalesce(sql_at, opportunity_created_at) is null
                    or observed_mql_at <= coalesce(sql_at, opportunity_created_at)
                )
                then observed_mql_at
            when
                coalesce(sql_at, opportunity_created_at) is not null
                and ({{ infer_skipped_stages }} or observed_mql_at is not null)
                then coalesce(sql_at, opportunity_created_at)
        end as mql_at
    from sql_stage
),

stages as (
    select
        mql_stage.*,
        case
            when
                coalesce(mql_stage.mql_at, mql_stage.sql_at, mql_stage.opportunity_created_at)
                < mql_stage.observed_lead_at
                then coalesce(mql_stage.mql_at, mql_stage.sql_at, mql_stage.opportunity_created_at)
            else mql_stage.observed_lead_at
        end as lead_created_at,
        coalesce(
            mql_stage.mql_at is not null
            and (mql_stage.observed_mql_at is null or mql_stage.observed_mql_at > mql_stage.mql_at),
            false
        )
            as is_mql_inferred,
        coalesce(
            mql_stage.sql_at is not null
            and (mql_stage.observed_sql_at is null or mql_stage.observed_sql_at > mql_stage.sql_at),
            false
        )
            as is_sql_inferred
    from mql_stage
),

final as (
    select
        stages.person_id,
        person_company.company_id,
        coalesce(stages.preferred_business_unit, stages.first_record_business_unit) as business_unit,
        stages.origin_channel as channel,
        case when stages.first_source_system = 'hubspot' then 'ma' else 'sfa_direct' end as lead_origin,
        stages.owner_user_id,
        users.department_code as owner_team,
        stages.lead_record_count,
        stages.lead_created_at,
        stages.mql_at,
        stages.sql_at,
        stages.opportunity_created_at,
        stages.won_at,
        stages.lost_at,
        stages.is_mql_inferred,
        stages.is_sql_inferred,
        case when stages.is_mql_inferred then 'inferred_from_later_stage' else stages.mql_criterion end
            as mql_criterion,
        case when stages.is_sql_inferred then 'inferred_from_later_stage' else stages.sql_criterion end
            as sql_criterion,
        stages.observed_mql_at,
        stages.observed_sql_at,
        stages.first_opportunity_id,
        stages.first_opportunity_rule,
        stages.new_business_opportunity_count,
        {{ dbt.datediff('stages.lead_created_at', 'stages.mql_at', 'day') }}
            as days_lead_to_mql,
        {{ dbt.datediff('stages.mql_at', 'stages.sql_at', 'day') }}
            as days_mql_to_sql,
        {{ dbt.datediff('stages.sql_at', 'stages.opportunity_created_at', 'day') }}
            as days_sql_to_opportunity,
        {{ dbt.datediff('stages.opportunity_created_at', 'coalesce(stages.won_at, stages.lost_at)', 'day') }}
            as days_opportunity_to_close,
        cast({{ dbt.date_trunc('month', 'stages.mql_at') }} as date) as mql_month_start_date,
        coalesce(
            stages.mql_at is not null
            and stages.opportunity_created_at
            <= {{ dbt.dateadd('day', 'kpi_settings.mql_to_opportunity_window_days', 'stages.mql_at') }},
            false
        ) as has_opportunity_within_window,
        coalesce(
            cast({{ dbt.dateadd('day', 'kpi_settings.mql_to_opportunity_window_days', 'stages.mql_at') }} as date)
            <= reporting_period.as_of_date,
            false
        ) as is_mql_cohort_mature
    from stages
    cross join reporting_period
    cross join kpi_settings
    left join person_company
        on stages.person_id = person_company.person_id
    left join users
        on stages.owner_user_id = users.user_id
)

select * from final
