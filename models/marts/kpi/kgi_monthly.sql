-- KGI (最終目標) at KGI x month grain: revenue recognised per month, judged fiscal-year-to-date
-- against the annual target pro-rated by the months elapsed, and the operating margin of the
-- P&L, judged fiscal-year-to-date against its target as it is (a ratio does not accumulate).
with

customer_months as (
    select * from {{ ref('fct_customer_months') }}
),

pl_months as (
    select * from {{ ref('fct_pl_months') }}
),

months as (
    select * from {{ ref('dim_months') }}
),

kpi_nodes as (
    select * from {{ ref('kpi_tree_nodes') }}
    where mart_name = 'kgi_monthly'
),

kpi_settings as (
    select * from {{ ref('kpi_tree_settings') }}
),

recognised_revenue as (
    select
        month_start_date,
        sum(recurring_revenue_jpy) as revenue_jpy
    from customer_months
    group by month_start_date
),

pl_totals as (
    select
        month_start_date,
        sum(revenue_jpy) as revenue_jpy,
        sum(operating_income_jpy) as operating_income_jpy
    from pl_months
    group by month_start_date
),

-- Finance closes a month some time after it ends: a month counts for the margin once its
-- P&L, or a later month's, has been loaded; a closed month without P&L shows as no_data.
latest_closed_pl_month as (
    select max(month_start_date) as month_start_date
    from pl_totals
),

-- The revenue KGI on its two bases (kpi_tree.yml `basis`): contract_revenue (default: the
-- contracts' revenue recognised monthly, available as soon as a month ends and the same
-- source as the KPIs under it) or pl_revenue (the P&L's revenue, counted once finance has
-- closed the month, the source of the operating margin).
measures as (
    select
        'kgi_revenue' as kpi_id,
        'contract_revenue' as basis,
        months.month_start_date,
        months.fiscal_year,
        months.fiscal_quarter,
        coalesce(recognised_revenue.revenue_jpy, 0) as numerator,
        cast(null as {{ kpi_type_double() }}) as denominator,
        1 as value_scale,
        months.is_complete as is_mature
    from months
    left join recognised_revenue
        on months.month_start_date = recognised_revenue.month_start_date

    union all

    select
        'kgi_revenue' as kpi_id,
        'pl_revenue' as basis,
        months.month_start_date,
        months.fiscal_year,
        months.fiscal_quarter,
        pl_totals.revenue_jpy as numerator,
        cast(null as {{ kpi_type_double() }}) as denominator,
        1 as value_scale,
        months.is_complete
        and coalesce(months.month_start_date <= latest_closed_pl_month.month_start_date, false) as is_mature
    from months
    cross join latest_closed_pl_month
    left join pl_totals
        on months.month_start_date = pl_totals.month_start_date

    union all

    select
        'kgi_operating_margin' as kpi_id,
        cast(null as {{ dbt.type_string() }}) as basis,
        months.month_start_date,
        months.fiscal_year,
        months.fiscal_quarter,
        pl_totals.operating_income_jpy as numerator,
        pl_totals.revenue_jpy as denominator,
        1 as value_scale,
        months.is_complete
        and coalesce(months.month_start_date <= latest_closed_pl_month.month_start_date, false) as is_mature
    from months
    cross join latest_closed_pl_month
    left join pl_totals
        on months.month_start_date = pl_totals.month_start_date
),

measures_rolled_up as (
    {{ kpi_additive_rollups('measures') }}
),

{{ kpi_scored_ctes('measures_rolled_up', 'kpi_nodes', 'kpi_settings', 'months') }},

final as (
    select
        kpi_id,
        month_start_date,
        fiscal_year,
        fiscal_quarter,
        fiscal_month_number,
        kpi_name_ja,
        kpi_name_en,
        owner_department,
        owner_department_ja,
        unit,
        judged_period,
        direction,
        severity,
        basis,
        basis_label_ja,
        basis_label_en,
        numerator,
        denominator,
        actual,
        qtd_actual,
        fytd_actual,
        trailing_3_month_actual,
        judged_actual,
        judged_numerator,
        judged_denominator,
        judged_month_count,
        target_value,
        target,  -- noqa: RF04
        achievement_rate,
        gap,
        status,
        is_mature,
        is_latest_judged
    from kpi_scored
)

select * from final
