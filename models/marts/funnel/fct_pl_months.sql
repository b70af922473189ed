-- Monthly P&L (月次損益) per business unit: one row per closed month and business unit, the
-- ledger lines side by side; operating income = revenue − cost of sales − SG&A.
with

pl_lines as (
    select * from {{ ref('stg_finance__pl_monthly') }}
),

pivoted as (
    select
        month_start_date,
        business_unit,
        sum(case when line_item = 'revenue' then amount_jpy else 0 end) as revenue_jpy,
        sum(case when line_item = 'cost_of_sales' then amount_jpy else 0 end) as cost_of_sales_jpy,
        sum(case when line_item = 'sga' then amount_jpy else 0 end) as sga_jpy
    from pl_lines
    group by
        month_start_date,
        business_unit
),

final as (
    select
        month_start_date,
        business_unit,
        cast(revenue_jpy as {{ dbt.type_numeric() }}) as revenue_jpy,
        cast(cost_of_sales_jpy as {{ dbt.type_numeric() }}) as cost_of_sales_jpy,
        cast(sga_jpy as {{ dbt.type_numeric() }}) as sga_jpy,
        cast(revenue_jpy - cost_of_sales_jpy - sga_jpy as {{ dbt.type_numeric() }}) as operating_income_jpy
    from pivoted
)

select * from final
