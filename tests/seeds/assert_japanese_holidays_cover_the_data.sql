-- The business-hours SLA clock knows holidays only for the years seed japanese_holidays holds
-- (generated from jpholiday by `common-kpi holidays`). One row per calendar year of the data
-- (dim_months) that the seed has no holiday in: the clock would silently treat every holiday
-- of that year as a business day. Fix: common-kpi holidays --last-year <year>.
{{ config(severity='error') }}

with

months as (
    select * from {{ ref('dim_months') }}
),

holidays as (
    select * from {{ ref('japanese_holidays') }}
),

data_years as (
    select distinct
        cast(extract(year from month_start_date) as integer) as calendar_year
    from months
),

covered_years as (
    select distinct
        cast(extract(year from holiday_date) as integer) as calendar_year
    from holidays
),

final as (
    select
        data_years.calendar_year,
        'seed japanese_holidays has no holiday in this year of the data' as reason
    from data_years
    left join covered_years
        on data_years.calendar_year = covered_years.calendar_year
    where covered_years.calendar_year is null
)

select * from final
