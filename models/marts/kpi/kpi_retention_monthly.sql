-- KSF2 既存顧客維持 (customer retention) at KPI x month grain: the KPIs of kpi_tree.yml under
-- the KSF this mart shows (継続率 on its basis and NPS on the demo), computed in
-- kpi_measures_monthly and judged in kpi_scored_monthly, with gross revenue retention on MRR
-- beside 継続率 whatever its basis (the measures' revenue_mrr basis of retention_rate).
with

scored as (
    select * from {{ ref('kpi_scored_monthly') }}
    where mart_name = 'kpi_retention_monthly'
),

measures as (
    select * from {{ ref('kpi_measures_monthly') }}
),

mrr_retention as (
    select
        month_start_date,
        -- no contract due in the month: no MRR at stake (null, not 0 yen)
        case when denominator != 0 then denominator end as due_mrr_jpy,
        case when denominator != 0 then numerator end as retained_mrr_jpy
    from measures
    where
        kpi_id = 'retention_rate'
        and basis = 'revenue_mrr'
),

final as (
    select
        {{ kpi_mart_columns('scored') }},
        mrr_retention.due_mrr_jpy,
        mrr_retention.retained_mrr_jpy,
        {{ kpi_safe_divide('mrr_retention.retained_mrr_jpy', 'mrr_retention.due_mrr_jpy') }}
            as gross_revenue_retention_rate
    from scored
    left join mrr_retention
        on
            scored.month_start_date = mrr_retention.month_start_date
            and scored.kpi_id = 'retention_rate'
)

select * from final
