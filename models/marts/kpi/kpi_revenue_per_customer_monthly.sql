-- KSF3 顧客単価向上 (revenue per customer) at KPI x month grain: upsell rate and cross-sell
-- rate (営業・CS). Each rate is "of the customers active at the start of a window, the share
-- with at least one won upsell (cross-sell) in the window" (cross-sell: of the companies
-- across business units, or of the CRM customers of one business unit: kpi_tree.yml
-- `basis`), for four windows ending with the
-- month: the month itself (actual), the fiscal quarter to date (qtd), the fiscal year to date
-- (fytd, what the annual kpi_tree.yml target is judged on, pro-rated by the months elapsed)
-- and the trailing 3 months. A customer counts once per window however many deals it won, so
-- the windows are computed from customers, not added up from months.
with

customer_months as (
    select * from {{ ref('fct_customer_months') }}
),

contracts as (
    select * from {{ ref('fct_contracts') }}
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

-- クロスセル率 by company (basis company, the default): a company (its CRM customers of every
-- business unit together) cross-sells when it starts a term of a product line it did not
-- hold, whatever the business unit (a SaaS customer buying consulting is a cross-sell). The
-- same rule as int_contracts_renewals_matched, on the company instead of the CRM customer.
company_terms as (
    select
        contract_id,
        coalesce(company_id, {{ dbt.concat(["'customer:'", 'customer_id']) }}) as company_key,
        product_line,
        contract_type,
        start_date,
        end_date
    from contracts
),

company_cross_sells as (
    select
        new_terms.company_key,
        cast({{ dbt.date_trunc('month', 'new_terms.start_date') }} as date) as month_start_date,
        new_terms.contract_id
    from company_terms as new_terms
    inner join company_terms as held
        on
            new_terms.company_key = held.company_key
            and new_terms.contract_id != held.contract_id
            and new_terms.start_date > held.start_date
            and {{ dbt.dateadd('day', -1, 'new_terms.start_date') }} <= held.end_date
    where new_terms.contract_type != 'renewal'
    group by
        new_terms.company_key,
        new_terms.start_date,
        new_terms.contract_id
    having max(case when held.product_line = new_terms.product_line then 1 else 0 end) = 0
),

company_cross_sell_months as (
    select
        company_key,
        month_start_date,
        count(*) as won_count
    from company_cross_sells
    group by
        company_key,
        month_start_date
),

company_months as (
    select
        coalesce(company_id, {{ dbt.concat(["'customer:'", 'customer_id']) }}) as company_key,
        month_start_date,
        max(case when is_active_at_month_start then 1 else 0 end) = 1 as is_active_at_month_start
    from customer_months
    group by
        coalesce(company_id, {{ dbt.concat(["'customer:'", 'customer_id']) }}),
        month_start_date
),

-- The entities each KPI and basis counts, month by month: whether active at the month start
-- and how many upsells / cross-sells it won in the month.
entity_months as (
    select
        'upsell_rate' as kpi_id,
        cast(null as {{ dbt.type_string() }}) as basis,
        customer_id as entity_id,
        month_start_date,
        is_active_at_month_start,
        upsell_won_count as won_count
    from customer_months

    union all

    select
        'cross_sell_rate' as kpi_id,
        'business_unit' as basis,
        customer_id as entity_id,
        month_start_date,
        is_active_at_month_start,
        cross_sell_won_count as won_count
    from customer_months

    union all

    select
        'cross_sell_rate' as kpi_id,
        'company' as basis,
        company_months.company_key as entity_id,
        company_months.month_start_date,
        company_months.is_active_at_month_start,
        coalesce(company_cross_sell_months.won_count, 0) as won_count
    from company_months
    left join company_cross_sell_months
        on
            company_months.company_key = company_cross_sell_months.company_key
            and company_months.month_start_date = company_cross_sell_months.month_start_date
),

kpi_bases as (
    select distinct
        kpi_id,
        basis
    from entity_months
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

-- The entities active at the start of each window (its denominator).
window_cohorts as (
    select
        entity_months.kpi_id,
        entity_months.basis,
        windows.month_start_date,
        windows.window_name,
        entity_months.entity_id
    from windows
    inner join entity_months
        on
            windows.window_start_date = entity_months.month_start_date
            and entity_months.is_active_at_month_start
),

-- Deals won by each entity within each window.
window_wins as (
    select
        entity_months.kpi_id,
        entity_months.basis,
        windows.month_start_date,
        windows.window_name,
        entity_months.entity_id,
        sum(entity_months.won_count) as won_count
    from windows
    inner join entity_months
        on
            windows.window_start_date <= entity_months.month_start_date
            and windows.month_start_date >= entity_months.month_start_date
            and entity_months.won_count > 0
    group by
        entity_months.kpi_id,
        entity_months.basis,
        windows.month_start_date,
        windows.window_name,
        entity_months.entity_id
),

window_rates as (
    select
        window_cohorts.kpi_id,
        window_cohorts.basis,
        window_cohorts.month_start_date,
        window_cohorts.window_name,
        count(*) as active_count,
        count(window_wins.entity_id) as won_entity_count
    from window_cohorts
    left join window_wins
        on
            window_cohorts.kpi_id = window_wins.kpi_id
            and coalesce(window_cohorts.basis, '') = coalesce(window_wins.basis, '')
            and window_cohorts.month_start_date = window_wins.month_start_date
            and window_cohorts.window_name = window_wins.window_name
            and window_cohorts.entity_id = window_wins.entity_id
    group by
        window_cohorts.kpi_id,
        window_cohorts.basis,
        window_cohorts.month_start_date,
        window_cohorts.window_name
),

-- Windows side by side, one row per KPI x basis x month (a window with no active entity at
-- its start has a null denominator and so a null rate).
measures as (
    select
        kpi_bases.kpi_id,
        kpi_bases.basis,
        months.month_start_date,
        months.fiscal_year,
        months.fiscal_quarter,
        coalesce(month_rates.won_entity_count, 0) as numerator,
        month_rates.active_count as denominator,
        1 as value_scale,
        months.is_complete as is_mature,
        coalesce(qtd_rates.won_entity_count, 0) as qtd_numerator,
        qtd_rates.active_count as qtd_denominator,
        coalesce(fytd_rates.won_entity_count, 0) as fytd_numerator,
        fytd_rates.active_count as fytd_denominator,
        coalesce(trailing_3_month_rates.won_entity_count, 0) as trailing_3_month_numerator,
        trailing_3_month_rates.active_count as trailing_3_month_denominator,
        cast(null as integer) as trailing_3_month_count
    from months
    cross join kpi_bases
    {%- for window_name in ['month', 'qtd', 'fytd', 'trailing_3_month'] %}
        left join window_rates as {{ window_name }}_rates
            on
                months.month_start_date = {{ window_name }}_rates.month_start_date
                and kpi_bases.kpi_id = {{ window_name }}_rates.kpi_id
                and coalesce(kpi_bases.basis, '') = coalesce({{ window_name }}_rates.basis, '')
                and {{ window_name }}_rates.window_name = '{{ window_name }}'
    {%- endfor %}
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
