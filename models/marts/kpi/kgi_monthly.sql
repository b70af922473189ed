-- KGI (最終目標) at KGI x month grain: the KGIs of kpi_tree.yml (revenue and operating margin
-- on the demo), computed in kpi_measures_monthly and judged in kpi_scored_monthly.
-- The revenue KGI has two sources (kpi_tree.yml `basis`: contract_revenue or pl_revenue);
-- whichever is chosen, the other source's value over the same judged period and the gap
-- between the two (yen and share of the other) stand beside it, so a reader sees how far the
-- contract revenue and the P&L disagree. The other source's value is null while its month is
-- not mature (the P&L of a month finance has not closed yet): no gap is shown against a
-- partial period.
with

scored as (
    select * from {{ ref('kpi_scored_monthly') }}
    where mart_name = 'kgi_monthly'
),

measures as (
    select * from {{ ref('kpi_measures_monthly') }}
),

revenue_sources as (
    select * from measures
    where kpi_id = 'kgi_revenue'
),

other_source as (
    select
        scored.kpi_id,
        scored.month_start_date,
        revenue_sources.basis as other_source_basis,
        case
            when revenue_sources.is_mature
                then case scored.judged_period
                    when 'month' then revenue_sources.actual
                    when 'fiscal_quarter' then revenue_sources.qtd_actual
                    when 'fiscal_year' then revenue_sources.fytd_actual
                end
        end as other_source_judged_actual
    from scored
    inner join revenue_sources
        on
            scored.month_start_date = revenue_sources.month_start_date
            and scored.basis != revenue_sources.basis
    where scored.kpi_id = 'kgi_revenue'
),

final as (
    select
        {{ kpi_mart_columns('scored') }},
        other_source.other_source_basis,
        other_source.other_source_judged_actual,
        scored.judged_actual - other_source.other_source_judged_actual as source_gap_jpy,
        {{ kpi_safe_divide(
            'scored.judged_actual - other_source.other_source_judged_actual',
            'other_source.other_source_judged_actual'
        ) }} as source_gap_rate
    from scored
    left join other_source
        on
            scored.kpi_id = other_source.kpi_id
            and scored.month_start_date = other_source.month_start_date
)

select * from final
