-- KSF3 顧客単価向上 (revenue per customer) at KPI x month grain: upsell rate and cross-sell
-- rate (営業・CS). Each rate is "of the customers active at the start of a window, the share
-- with at least one won upsell (cross-sell) in the window", for four windows ending with the
-- month: the month itself (actual), the fiscal quarter to date (qtd), the fiscal year to date
-- (fytd, what the annual kpi_tree.yml target is judged on, pro-rated by the months elapsed)
-- and the trailing 3 months. A customer counts once per window however many deals it won, so
-- the windows are computed from customers, not added up from months.
with

customer_months as (
    select * from {{ ref('fct_customer_months') }}
),

months as (
    select * from {{ ref('dim_months') }}
),

kpi_nodes as (
    select * from {{ ref('kpi_tree_nodes') }}
    where mart_name = 'kpi_revenue_per_customer_monthly'
),

kpi_settings as (
    select * from {{ ref('kpi_tree_settings') }}
),

-- One row per month and window, with the first month of the window.
windows as (
    select
        month_start_date,
        'month' as window_name,
        month_start_date as window_start_date
    from months

    union all

    select
        month_start_date,
        'qtd' as window_name,
        cast({{ dbt.dateadd('month', '-mod(fiscal_month_number - 1, 3)', 'month_start_date') }} as date)
            as window_start_date
    from months

    union all

    select
        month_start_date,
        'fytd' as window_name,
        fiscal_year_start_date as window_start_date
    from months

    union all

    select
        month_start_date,
        'trailing_3_month' as window_name,
        cast({{ dbt.dateadd('month', -2, 'month_start_date') }} as date) as window_start_date
    from months
),

-- The customers active at the start of each window (its denominator).
window_cohorts as (
    select
        windows.month_start_date,
        windows.window_name,
        customer_months.customer_id
    from windows
    inner join customer_months
        on
            windows.window_start_date = customer_months.month_start_date
            and customer_months.is_active_at_month_start
),

-- Upsells and cross-sells won by each customer within each window.
window_wins as (
    select
        windows.month_start_date,
        windows.window_name,
        customer_months.customer_id,
        sum(customer_months.upsell_won_count) as upsell_won_count,
        sum(customer_months.cross_sell_won_count) as cross_sell_won_count
    from windows
    inner join customer_months
        on
            windows.window_start_date <= customer_months.month_start_date
            and windows.month_start_date >= customer_months.month_start_date
            and (customer_months.upsell_won_count > 0 or customer_months.cross_sell_won_count > 0)
    group by
        windows.month_start_date,
        windows.window_name,
        customer_months.customer_id
),

window_rates as (
    select
        window_cohorts.month_start_date,
        window_cohorts.window_name,
        count(*) as active_customer_count,
        count(case when window_wins.upsell_won_count > 0 then 1 end) as upsold_customer_count,
        count(case when window_wins.cross_sell_won_count > 0 then 1 end) as cross_sold_customer_count
    from window_cohorts
    left join window_wins
        on
            window_cohorts.month_start_date = window_wins.month_start_date
            and window_cohorts.window_name = window_wins.window_name
            and window_cohorts.customer_id = window_wins.customer_id
    group by
        window_cohorts.month_start_date,
        window_cohorts.window_name
),

-- Windows side by side, one row per month (a window with no active customer at its start
-- has a null denominator and so a null rate).
month_windows as (
    select
        months.month_start_date,
        months.fiscal_year,
        months.fiscal_quarter,
        months.is_complete,
        month_rates.active_customer_count as month_active_customer_count,
        month_rates.upsold_customer_count as month_upsold_customer_count,
        month_rates.cross_sold_customer_count as month_cross_sold_customer_count,
        qtd_rates.active_customer_count as qtd_active_customer_count,
        qtd_rates.upsold_customer_count as qtd_upsold_customer_count,
        qtd_rates.cross_sold_customer_count as qtd_cross_sold_customer_count,
        fytd_rates.active_customer_count as fytd_active_customer_count,
        fytd_rates.upsold_customer_count as fytd_upsold_customer_count,
        fytd_rates.cross_sold_customer_count as fytd_cross_sold_customer_count,
        trailing_3_month_rates.active_customer_count as trailing_3_month_active_customer_count,
        trailing_3_month_rates.upsold_customer_count as trailing_3_month_upsold_customer_count,
        trailing_3_month_rates.cross_sold_customer_count as trailing_3_month_cross_sold_customer_count
    from months
    left join window_rates as month_rates
        on
            months.month_start_date = month_rates.month_start_date
            and month_rates.window_name = 'month'
    left join window_rates as qtd_rates
        on
            months.month_start_date = qtd_rates.month_start_date
            and qtd_rates.window_name = 'qtd'
    left join window_rates as fytd_rates
        on
            months.month_start_date = fytd_rates.month_start_date
            and fytd_rates.window_name = 'fytd'
    left join window_rates as trailing_3_month_rates
        on
            months.month_start_date = trailing_3_month_rates.month_start_date
            and trailing_3_month_rates.window_name = 'trailing_3_month'
),

measures as (
    select
        'upsell_rate' as kpi_id,
        month_start_date,
        fiscal_year,
        fiscal_quarter,
        coalesce(month_upsold_customer_count, 0) as numerator,
        month_active_customer_count as denominator,
        1 as value_scale,
        is_complete as is_mature,
        coalesce(qtd_upsold_customer_count, 0) as qtd_numerator,
        qtd_active_customer_count as qtd_denominator,
        coalesce(fytd_upsold_customer_count, 0) as fytd_numerator,
        fytd_active_customer_count as fytd_denominator,
        coalesce(trailing_3_month_upsold_customer_count, 0) as trailing_3_month_numerator,
        trailing_3_month_active_customer_count as trailing_3_month_denominator,
        cast(null as integer) as trailing_3_month_count
    from month_windows

    union all

    select
        'cross_sell_rate' as kpi_id,
        month_start_date,
        fiscal_year,
        fiscal_quarter,
        coalesce(month_cross_sold_customer_count, 0) as numerator,
        month_active_customer_count as denominator,
        1 as value_scale,
        is_complete as is_mature,
        coalesce(qtd_cross_sold_customer_count, 0) as qtd_numerator,
        qtd_active_customer_count as qtd_denominator,
        coalesce(fytd_cross_sold_customer_count, 0) as fytd_numerator,
        fytd_active_customer_count as fytd_denominator,
        coalesce(trailing_3_month_cross_sold_customer_count, 0) as trailing_3_month_numerator,
        trailing_3_month_active_customer_count as trailing_3_month_denominator,
        cast(null as integer) as trailing_3_month_count
    from month_windows
),

{{ kpi_scored_ctes('measures', 'kpi_nodes', 'kpi_settings', 'months') }},

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
