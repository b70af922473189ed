-- The ABM scaffold: one row per company and reporting month, from the month of the
-- company's first dated signal (first seen in any system, first MA activity, lead,
-- opportunity or contract start) to the as-of month, so that a company enters the monthly
-- ranking when it first shows up (tier movement 'new'). A company without any dated
-- signal is scored in every month.
-- evaluation_date is the day the month is scored on: its last day, or the as-of date for
-- the running month.
with

companies as (
    select * from {{ ref('dim_companies') }}
),

activity_days as (
    select * from {{ ref('int_abm_company_activity_days') }}
),

lead_funnel as (
    select * from {{ ref('fct_lead_funnel') }}
),

opportunities as (
    select * from {{ ref('fct_opportunities') }}
),

contracts as (
    select * from {{ ref('fct_contracts') }}
),

months as (
    select * from {{ ref('dim_months') }}
),

reporting_period as (
    select * from {{ ref('reporting_period') }}
),

signal_dates as (
    select
        company_id,
        cast(first_seen_at as date) as signal_date
    from companies
    where first_seen_at is not null
    union all
    select
        company_id,
        activity_date as signal_date
    from activity_days
    union all
    select
        company_id,
        cast(lead_created_at as date) as signal_date
    from lead_funnel
    where company_id is not null
    union all
    select
        company_id,
        created_date as signal_date
    from opportunities
    where company_id is not null
    union all
    select
        company_id,
        start_date as signal_date
    from contracts
    where company_id is not null
),

company_first_signals as (
    select
        company_id,
        min(signal_date) as first_signal_date
    from signal_dates
    group by company_id
),

reporting_months as (
    select
        months.month_start_date,
        months.month_end_date,
        months.is_complete,
        case
            when months.month_end_date < reporting_period.as_of_date then months.month_end_date
            else reporting_period.as_of_date
        end as evaluation_date
    from months
    cross join reporting_period
    where months.month_start_date <= reporting_period.as_of_date
),

final as (
    select
        companies.company_id,
        reporting_months.month_start_date,
        reporting_months.month_end_date,
        reporting_months.evaluation_date,
        reporting_months.is_complete,
        company_first_signals.first_signal_date
    from companies
    left join company_first_signals
        on companies.company_id = company_first_signals.company_id
    inner join reporting_months
        on
            company_first_signals.first_signal_date is null
            or company_first_signals.first_signal_date <= reporting_months.month_end_date
)

select * from final
