-- One row per calendar month from the first month with data to the as-of month, with its
-- fiscal year / quarter / month (the fiscal year starts in var fiscal_year_start_month and
-- is named after the calendar year it starts in) and its position relative to the as-of date.
with

months as (
    select * from {{ ref('int_months_spined') }}
),

reporting_period as (
    select * from {{ ref('reporting_period') }}
),

fiscal as (
    select
        month_start_date,
        cast({{ dbt.dateadd('day', -1, dbt.dateadd('month', 1, 'month_start_date')) }} as date) as month_end_date,
        cast({{ fiscal_year('month_start_date') }} as integer) as fiscal_year,
        cast({{ fiscal_quarter('month_start_date') }} as integer) as fiscal_quarter,
        cast(
            mod(cast(extract(month from month_start_date) as integer) - {{ var('fiscal_year_start_month') }} + 12, 12)
            + 1
            as integer
        ) as fiscal_month_number
    from months
),

final as (
    select
        fiscal.month_start_date,
        fiscal.month_end_date,
        fiscal.fiscal_year,
        fiscal.fiscal_quarter,
        fiscal.fiscal_month_number,
        cast({{ dbt.dateadd('month', '1 - fiscal.fiscal_month_number', 'fiscal.month_start_date') }} as date)
            as fiscal_year_start_date,
        fiscal.month_end_date <= reporting_period.as_of_date as is_complete,
        fiscal.month_start_date = reporting_period.latest_complete_month_start_date as is_latest_complete,
        cast(
            {{ dbt.datediff('fiscal.month_start_date', 'reporting_period.as_of_month_start_date', 'month') }}
            as integer
        ) as months_before_as_of
    from fiscal
    cross join reporting_period
)

select * from final
