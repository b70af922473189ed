-- MetricFlow's time spine: one row per calendar day over the months of dim_months, with the
-- first day of the fiscal year and of the fiscal quarter the day belongs to. Those two columns
-- are the custom granularities fiscal_year and fiscal_quarter (see _semantic__time_spine.yml),
-- so `metric_time__fiscal_year` groups by the fiscal year that starts in var
-- fiscal_year_start_month, exactly as dim_months does.
with

months as (
    select * from {{ ref('dim_months') }}
),

days as (
    {{ dbt.date_spine(
        'day',
        '(select min(month_start_date) from ' ~ ref('dim_months') ~ ')',
        '(select ' ~ dbt.dateadd('day', 1, 'max(month_end_date)') ~ ' from ' ~ ref('dim_months') ~ ')'
    ) }}
),

final as (
    select
        cast(days.date_day as date) as date_day,
        months.fiscal_year,
        months.fiscal_year_start_date,
        cast(
            {{ dbt.dateadd('month', '0 - mod(months.fiscal_month_number - 1, 3)', 'months.month_start_date') }}
            as date
        ) as fiscal_quarter_start_date
    from days
    inner join months
        on cast({{ dbt.date_trunc('month', 'days.date_day') }} as date) = months.month_start_date
)

select * from final
