-- Every calendar day from the first day with data to the day after the as-of date (the
-- business clock needs the end of the as-of day). dbt.date_spine counts the days when the
-- model runs (from the built reporting_period), so the spine is filtered again below.
with

reporting_period as (
    select * from {{ ref('reporting_period') }}
),

days as (
    {{ dbt.date_spine(
        'day',
        '(select first_data_date from ' ~ ref('reporting_period') ~ ')',
        '(select ' ~ dbt.dateadd('day', 2, 'as_of_date') ~ ' from ' ~ ref('reporting_period') ~ ')'
    ) }}
),

final as (
    select cast(days.date_day as date) as calendar_date
    from days
    inner join reporting_period
        on
            cast(days.date_day as date) >= reporting_period.first_data_date
            and cast(days.date_day as date) <= cast({{ dbt.dateadd('day', 1, 'reporting_period.as_of_date') }} as date)
)

select * from final
