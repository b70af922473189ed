-- Every calendar month from the first month with data to the as-of month: the scaffold of
-- dim_months and fct_customer_months. dbt.date_spine counts the months when the model runs
-- (from the built reporting_period), so the spine is filtered again to the bounds below.
with

reporting_period as (
    select * from {{ ref('reporting_period') }}
),

months as (
    {{ dbt.date_spine(
        'month',
        '(select first_month_start_date from ' ~ ref('reporting_period') ~ ')',
        '(select ' ~ dbt.dateadd('month', 1, 'as_of_month_start_date') ~ ' from ' ~ ref('reporting_period') ~ ')'
    ) }}
),

final as (
    select cast(months.date_month as date) as month_start_date
    from months
    inner join reporting_period
        on
            cast(months.date_month as date) >= reporting_period.first_month_start_date
            and cast(months.date_month as date) <= reporting_period.as_of_month_start_date
)

select * from final
