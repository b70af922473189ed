-- 売上 what-if / KGI revenue if each KPI were at target from next month: the fiscal year's
-- revenue at the current run-rate (fiscal-year-to-date revenue + the average month so far x
-- the months left), then the same plus the yearly revenue kpi_priorities says closing the
-- KPI's gap is worth, for the months left. Shows which single KPI fix brings the KGI closest to
-- its annual target.
with

kgi as (
    select * from {{ ref('kgi_monthly') }}
),

kpi_priorities as (
    select * from {{ ref('kpi_priorities') }}
),

latest_revenue as (
    select
        fytd_actual as fytd_revenue_jpy,
        target_value as annual_target_jpy,
        judged_month_count as months_elapsed,
        -- months in a fiscal year (12) minus those elapsed
        12 - judged_month_count as months_left
    from kgi
    where
        kpi_id = 'kgi_revenue'
        and is_latest_judged
),

run_rate as (
    select
        latest_revenue.*,
        latest_revenue.fytd_revenue_jpy
        + latest_revenue.fytd_revenue_jpy / latest_revenue.months_elapsed * latest_revenue.months_left
            as projected_revenue_jpy
    from latest_revenue
),

final as (
    select
        kpi_priorities.priority_rank,
        kpi_priorities.kpi_id,
        kpi_priorities.kpi_name_ja,
        kpi_priorities.kpi_name_en,
        kpi_priorities.owner_department_ja,
        kpi_priorities.actual,
        kpi_priorities.target,
        kpi_priorities.annual_revenue_impact_jpy,
        run_rate.annual_target_jpy,
        run_rate.projected_revenue_jpy,
        run_rate.projected_revenue_jpy
        + coalesce(kpi_priorities.annual_revenue_impact_jpy, 0) * run_rate.months_left / 12
            as projected_revenue_if_at_target_jpy,
        run_rate.projected_revenue_jpy
        + coalesce(kpi_priorities.annual_revenue_impact_jpy, 0) * run_rate.months_left / 12
        - run_rate.annual_target_jpy as gap_to_annual_target_jpy
    from kpi_priorities
    cross join run_rate
)

select * from final
order by priority_rank
