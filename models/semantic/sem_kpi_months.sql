-- The judged KGIs and KPIs (kpi_scored_monthly) in one long table, one row per KPI x month with
-- the numerator and denominator of the definition chosen in kpi_tree.yml (basis), for the
-- semantic layer's per-KPI metrics (generated from kpi_tree.yml into
-- models/semantic/generated/_semantic__kpi_metrics.yml): every KPI is computed once, in
-- kpi_measures_monthly, and the metrics read its numbers here. A yen or count KPI's numerator
-- is also given in whole units (integers, so MetricFlow prints 563083661, not 5.63e+08).
with

scored as (
    select * from {{ ref('kpi_scored_monthly') }}
),

final as (
    select
        kpi_id || '|' || cast(month_start_date as {{ dbt.type_string() }}) as kpi_month_key,
        kpi_id,
        basis,
        month_start_date,
        unit,
        numerator,
        denominator,
        numerator * coalesce(value_scale, 1) as scaled_numerator,
        case
            when unit in ('jpy', 'count') then cast({{ engine_round('numerator', 0) }} as bigint)
        end as whole_numerator
    from scored
)

select * from final
