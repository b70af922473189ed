-- The Japanese business calendar as a clock: for every day, whether it is a business day
-- (a weekday that is neither a public holiday from seed japanese_holidays nor a year-end
-- closure day from var business_closure_month_days), and how many business seconds
-- (var business_day_start_hour to business_day_end_hour, JST) elapsed before the day began.
-- (business_seconds_before_day) and how many business days came before it
-- (business_days_before_day, for the business-day clock that counts whole days).
-- Business time between two JST timestamps is then a difference of two clock readings.
{%- set day_start_seconds = var('business_day_start_hour') * 3600 %}
{%- set business_seconds_per_day = (var('business_day_end_hour') - var('business_day_start_hour')) * 3600 %}
-- Reference Monday for the day of the week (calendar fact, not a setting): 2000-01-03.
{%- set reference_monday = "cast('2000-01-03' as date)" %}
with

days as (
    select * from {{ ref('int_days_spined') }}
),

japanese_holidays as (
    select * from {{ ref('japanese_holidays') }}
),

classified as (
    select
        days.calendar_date,
        -- 1 = Monday ... 7 = Sunday (ISO), counted from the reference Monday
        mod(mod({{ dbt.datediff(reference_monday, 'days.calendar_date', 'day') }}, 7) + 7, 7) + 1
            as iso_day_of_week,
        japanese_holidays.holiday_date is not null as is_public_holiday,
        japanese_holidays.holiday_name_ja,
        (
            {%- for month_day in var('business_closure_month_days') %}
            (
                extract(month from days.calendar_date) = {{ month_day.split('-')[0] | int }}
                and extract(day from days.calendar_date) = {{ month_day.split('-')[1] | int }}
            ){% if not loop.last %} or{% endif %}
            {%- else %}
            false
            {%- endfor %}
        ) as is_year_end_closure
    from days
    left join japanese_holidays
        on days.calendar_date = cast(japanese_holidays.holiday_date as date)
),

business_days as (
    select
        calendar_date,
        iso_day_of_week,
        iso_day_of_week >= 6 as is_weekend,
        is_public_holiday,
        holiday_name_ja,
        is_year_end_closure,
        iso_day_of_week < 6 and not is_public_holiday and not is_year_end_closure as is_business_day
    from classified
),

final as (
    select
        calendar_date,
        iso_day_of_week,
        is_weekend,
        is_public_holiday,
        holiday_name_ja,
        is_year_end_closure,
        is_business_day,
        {{ day_start_seconds }} as business_day_start_second,
        case when is_business_day then {{ business_seconds_per_day }} else 0 end as business_seconds_in_day,
        coalesce(
            sum(case when is_business_day then {{ business_seconds_per_day }} else 0 end) over (
                order by calendar_date
                rows between unbounded preceding and 1 preceding
            ),
            0
        ) as business_seconds_before_day,
        coalesce(
            sum(case when is_business_day then 1 else 0 end) over (
                order by calendar_date
                rows between unbounded preceding and 1 preceding
            ),
            0
        ) as business_days_before_day
    from business_days
)

select * from final
