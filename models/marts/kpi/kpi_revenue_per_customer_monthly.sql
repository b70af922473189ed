-- KSF3 顧客単価向上 (revenue per customer) at KPI x month grain: the KPIs of kpi_tree.yml under
-- the KSF this mart shows (upsell and cross-sell rates on the demo: of the customers active at
-- the start of a window, the share with at least one won deal in the window), computed in
-- kpi_measures_monthly and judged in kpi_scored_monthly.
with

scored as (
    select * from {{ ref('kpi_scored_monthly') }}
    where mart_name = 'kpi_revenue_per_customer_monthly'
),

final as (
    select
        {{ kpi_mart_columns('scored') }}
    from scored
)

select * from final
