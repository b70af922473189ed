-- Engagement score of every company and reporting month (the dynamic half of the ABM
-- score). Each activity of the company's people within the trailing window counts
-- weight × count × 0.5 ^ (age in days / half-life), its age measured from the month's
-- evaluation date; the window holds the evaluation date and the window_days - 1 days before
-- it. The sum (engagement_raw_points) is scaled linearly to abm_engagement_max_points and
-- capped there: score = max × least(raw / full_score_raw_points, 1). The undecayed activity
-- counts of the window are kept beside the score so that it can be explained. Each activity's
-- points are fixed-point (var abm_engagement_decimal_places) before they are added up, so
-- the sum, and the ranking on it, is the same on every rebuild whatever the order of addition.
{%- set weights = var('abm_engagement_weights') %}
{%- set max_points = var('abm_engagement_max_points') %}
{%- set full_score_raw_points = var('abm_engagement_full_score_raw_points') %}

with

account_months as (
    select * from {{ ref('int_abm_account_months') }}
),

activity_days as (
    select * from {{ ref('int_abm_company_activity_days') }}
),

-- The months whose trailing window can hold a day: the day's month and the next ones, as
-- far as window_days reach (a month has at least 28 days).
month_offsets as (
    {% for month_offset in range(0, var('abm_engagement_window_days') // 28 + 2) %}
        select {{ month_offset }} as month_offset
        {% if not loop.last %}union all{% endif %}
    {% endfor %}
),

evaluation_months as (
    select distinct
        month_start_date,
        evaluation_date
    from account_months
),

-- Each company-day of activity meets the months whose window covers it (window_days / 30
-- months or so), found by month arithmetic and a join on the month: no join on the company
-- before the sum, so the sum is the one large hash table of this query (a join on the
-- company ran out of memory beside it at scale 50, docs/performance.md).
windowed_activities as (
    select
        activity_days.company_id,
        evaluation_months.month_start_date,
        activity_days.activity_type,
        activity_days.activity_count,
        {{ dbt.datediff('activity_days.activity_date', 'evaluation_months.evaluation_date', 'day') }}
            as activity_age_days
    from activity_days
    cross join month_offsets
    inner join evaluation_months
        on evaluation_months.month_start_date = cast(
            {{ dbt.dateadd(
                'month', 'month_offsets.month_offset', dbt.date_trunc('month', 'activity_days.activity_date')
            ) }} as date
        )
    where
        evaluation_months.evaluation_date >= activity_days.activity_date
        and {{ dbt.dateadd(
            'day', -1 * var('abm_engagement_window_days'), 'evaluation_months.evaluation_date'
        ) }} < activity_days.activity_date
),

weighted_activities as (
    select
        company_id,
        month_start_date,
        activity_type,
        activity_count,
        case activity_type
            {% for activity_type, weight in weights.items() %}
                when '{{ activity_type }}' then {{ weight }}
            {% endfor %}
            else 0
        end as activity_weight,
        {{ half_life_decay('activity_age_days', var('abm_engagement_half_life_days')) }} as decay_factor
    from windowed_activities
),

activity_points as (
    select
        company_id,
        month_start_date,
        activity_type,
        activity_count,
        cast(
            activity_count * activity_weight * decay_factor
            as numeric(18, {{ var('abm_engagement_decimal_places') }})
        ) as activity_points
    from weighted_activities
),

company_month_points as (
    select
        company_id,
        month_start_date,
        sum(case when activity_type = 'web_visit' then activity_count else 0 end) as web_visit_count,
        sum(case when activity_type = 'page_view' then activity_count else 0 end) as page_view_count,
        sum(case when activity_type like 'form%' then activity_count else 0 end)
            as form_submission_count,
        sum(case when activity_type = 'email_open' then activity_count else 0 end) as email_open_count,
        sum(case when activity_type = 'email_click' then activity_count else 0 end) as email_click_count,
        sum(activity_points) as engagement_raw_points
    from activity_points
    group by
        company_id,
        month_start_date
),

account_month_points as (
    select
        account_months.company_id,
        account_months.month_start_date,
        coalesce(company_month_points.web_visit_count, 0) as web_visit_count,
        coalesce(company_month_points.page_view_count, 0) as page_view_count,
        coalesce(company_month_points.form_submission_count, 0) as form_submission_count,
        coalesce(company_month_points.email_open_count, 0) as email_open_count,
        coalesce(company_month_points.email_click_count, 0) as email_click_count,
        coalesce(company_month_points.engagement_raw_points, 0) as engagement_raw_points
    from account_months
    left join company_month_points
        on
            account_months.company_id = company_month_points.company_id
            and account_months.month_start_date = company_month_points.month_start_date
),

final as (
    select
        company_id,
        month_start_date,
        cast(round(web_visit_count) as {{ dbt.type_bigint() }}) as web_visit_count,
        cast(round(page_view_count) as {{ dbt.type_bigint() }}) as page_view_count,
        cast(form_submission_count as {{ dbt.type_bigint() }}) as form_submission_count,
        cast(email_open_count as {{ dbt.type_bigint() }}) as email_open_count,
        cast(email_click_count as {{ dbt.type_bigint() }}) as email_click_count,
        cast(engagement_raw_points as {{ kpi_type_double() }}) as engagement_raw_points,
        cast(
            case
                when engagement_raw_points >= {{ full_score_raw_points }} then {{ max_points }}
                else {{ max_points }} * engagement_raw_points / {{ full_score_raw_points }}
            end
            as {{ kpi_type_double() }}
        ) as engagement_score
    from account_month_points
)

select * from final
