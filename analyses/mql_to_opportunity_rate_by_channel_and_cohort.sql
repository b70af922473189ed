-- 商談化率 by channel and MQL cohort / MQL→opportunity rate by channel and cohort month, for
-- the monthly review: which channel's cohorts convert below the kpi_tree.yml target. Same
-- definition as kpi_new_customers_monthly (share of the month's MQLs with a new-business
-- opportunity within the window); immature cohorts are flagged, not judged.
with

lead_funnel as (
    select * from {{ ref('fct_lead_funnel') }}
),

reporting_period as (
    select * from {{ ref('reporting_period') }}
),

kpi_nodes as (
    select * from {{ ref('kpi_tree_nodes') }}
),

kpi_settings as (
    select * from {{ ref('kpi_tree_settings') }}
),

conversion_target as (
    select
        target_value,
        target_fiscal_year
    from kpi_nodes
    where node_id = 'mql_to_opportunity_rate'
),

cohorts as (
    select
        coalesce(lead_funnel.channel, '(unknown)') as channel,
        lead_funnel.mql_month_start_date,
        count(*) as mql_count,
        count(case when lead_funnel.has_opportunity_within_window then 1 end) as converted_count,
        {{ dbt.dateadd(
            'day',
            'kpi_settings.mql_to_opportunity_window_days',
            dbt.last_day('lead_funnel.mql_month_start_date', 'month')
        ) }} <= reporting_period.as_of_date as is_cohort_mature
    from lead_funnel
    cross join kpi_settings
    cross join reporting_period
    where lead_funnel.mql_at is not null
    group by
        coalesce(lead_funnel.channel, '(unknown)'),
        lead_funnel.mql_month_start_date,
        kpi_settings.mql_to_opportunity_window_days,
        reporting_period.as_of_date
),

final as (
    select
        cohorts.channel,
        cohorts.mql_month_start_date,
        cohorts.mql_count,
        cohorts.converted_count,
        {{ kpi_safe_divide('cohorts.converted_count', 'cohorts.mql_count') }} as mql_to_opportunity_rate,
        conversion_target.target_value as target_rate,
        cohorts.is_cohort_mature,
        case
            when not cohorts.is_cohort_mature then 'immature'
            when {{ fiscal_year('cohorts.mql_month_start_date') }} <> conversion_target.target_fiscal_year
                then 'no_target'
            when {{ kpi_safe_divide('cohorts.converted_count', 'cohorts.mql_count') }} >= conversion_target.target_value
                then 'on_target'
            else 'below_target'
        end as verdict
    from cohorts
    cross join conversion_target
)

select * from final
order by
    channel,
    mql_month_start_date
