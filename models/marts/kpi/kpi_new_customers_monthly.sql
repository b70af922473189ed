-- KSF1 新規顧客獲得 (new customer acquisition) at KPI x month grain: the KPIs of kpi_tree.yml
-- under the KSF this mart shows (monthly MQLs, MQL→opportunity rate, win rate, lead-handoff
-- SLA compliance on the demo), computed in kpi_measures_monthly and judged in
-- kpi_scored_monthly.
with

scored as (
    select * from {{ ref('kpi_scored_monthly') }}
    where mart_name = 'kpi_new_customers_monthly'
),

final as (
    select
        {{ kpi_mart_columns('scored') }}
    from scored
)

select * from final
