-- Customer months (顧客×月): one row per CRM customer and calendar month, from the month of
-- the customer's first contract term to the as-of month (months after a churn stay, with
-- zero revenue, so that churn remains visible). Per month:
--   active terms       terms whose start_date..end_date overlaps the month
--   recurring revenue  each term's monthly revenue recognised in the month (the term's
--                      months counted from its start month, as the ledger does; whole yen,
--                      the last month taking the rounding remainder: fct_contracts)
--   renewals           terms whose end_date falls in the month (due), of which renewed
--                      (fct_contracts.is_renewed) or churned (decided without renewal);
--                      due revenue = their monthly revenue, renewed revenue = the monthly
--                      revenue of their renewal terms, each renewal term counted once
--   expansion          terms starting in the month that fct_contracts types upsell (more of
--                      a product line the customer already had) or cross_sell (a product
--                      line it did not have)
with

months as (
    select * from {{ ref('dim_months') }}
),

contracts as (
    select * from {{ ref('fct_contracts') }}
),

customers as (
    select * from {{ ref('stg_crm__customers') }}
),

company_identity as (
    select * from {{ ref('int_company_identity') }}
),

contract_spans as (
    select
        *,
        cast({{ dbt.date_trunc('month', 'start_date') }} as date) as start_month_start_date,
        cast({{ dbt.dateadd('month', 'term_months - 1', dbt.date_trunc('month', 'start_date')) }} as date)
            as last_recognised_month_start_date
    from contracts
),

customer_first_months as (
    select
        customer_id,
        min(start_month_start_date) as first_month_start_date
    from contract_spans
    group by customer_id
),

customer_months as (
    select
        customer_first_months.customer_id,
        months.month_start_date,
        months.month_end_date
    from customer_first_months
    inner join months
        on customer_first_months.first_month_start_date <= months.month_start_date
),

contract_months as (
    select
        customer_months.customer_id,
        customer_months.month_start_date,
        contract_spans.contract_id,
        contract_spans.product_line,
        contract_spans.start_date <= customer_months.month_end_date
        and contract_spans.end_date >= customer_months.month_start_date as is_term_overlapping,
        contract_spans.start_date <= customer_months.month_start_date
        and contract_spans.end_date >= customer_months.month_start_date as is_active_at_month_start,
        case
            when customer_months.month_start_date = contract_spans.last_recognised_month_start_date
                then contract_spans.last_month_revenue_jpy
            when
                customer_months.month_start_date >= contract_spans.start_month_start_date
                and customer_months.month_start_date < contract_spans.last_recognised_month_start_date
                then contract_spans.monthly_revenue_jpy
            else 0
        end as recognised_revenue_jpy
    from customer_months
    inner join contract_spans
        on
            customer_months.customer_id = contract_spans.customer_id
            and customer_months.month_start_date >= contract_spans.start_month_start_date
            and (
                customer_months.month_start_date <= contract_spans.end_date
                or customer_months.month_start_date <= contract_spans.last_recognised_month_start_date
            )
),

activity as (
    select
        customer_id,
        month_start_date,
        max(case when is_active_at_month_start then 1 else 0 end) = 1 as is_active_at_month_start,
        sum(case when is_term_overlapping then 1 else 0 end) as active_contract_count,
        sum(recognised_revenue_jpy) as recurring_revenue_jpy
    from contract_months
    group by
        customer_id,
        month_start_date
),

active_product_lines as (
    select distinct
        customer_id,
        month_start_date,
        product_line
    from contract_months
    where is_term_overlapping
),

product_lines as (
    select
        customer_id,
        month_start_date,
        {{ dbt.listagg('product_line', "', '", 'order by product_line') }} as product_lines_active
    from active_product_lines
    group by
        customer_id,
        month_start_date
),

due_terms as (
    select
        customer_id,
        end_month_start_date as month_start_date,
        count(*) as contracts_due_count,
        sum(case when is_renewed then 1 else 0 end) as contracts_renewed_count,
        sum(case when is_renewal_decided and not is_renewed then 1 else 0 end) as contracts_churned_count,
        sum(monthly_revenue_jpy) as due_revenue_jpy
    from contract_spans
    group by
        customer_id,
        end_month_start_date
),

renewal_terms as (
    select distinct
        customer_id,
        end_month_start_date as month_start_date,
        renewal_contract_id,
        renewal_monthly_revenue_jpy
    from contract_spans
    where is_renewed
),

renewed_revenue as (
    select
        customer_id,
        month_start_date,
        sum(renewal_monthly_revenue_jpy) as renewed_revenue_jpy
    from renewal_terms
    group by
        customer_id,
        month_start_date
),

expansions as (
    select
        customer_id,
        start_month_start_date as month_start_date,
        sum(case when contract_type = 'upsell' then 1 else 0 end) as upsell_won_count,
        sum(case when contract_type = 'cross_sell' then 1 else 0 end) as cross_sell_won_count
    from contract_spans
    group by
        customer_id,
        start_month_start_date
),

final as (
    select
        customer_months.customer_id,
        customer_months.month_start_date,
        company_identity.company_id,
        customers.business_unit,
        coalesce(activity.is_active_at_month_start, false) as is_active_at_month_start,
        cast(coalesce(activity.active_contract_count, 0) as {{ dbt.type_bigint() }}) as active_contract_count,
        cast(coalesce(activity.recurring_revenue_jpy, 0) as {{ dbt.type_numeric() }}) as recurring_revenue_jpy,
        cast(coalesce(due_terms.contracts_due_count, 0) as {{ dbt.type_bigint() }}) as contracts_due_count,
        cast(coalesce(due_terms.contracts_renewed_count, 0) as {{ dbt.type_bigint() }}) as contracts_renewed_count,
        cast(coalesce(due_terms.contracts_churned_count, 0) as {{ dbt.type_bigint() }}) as contracts_churned_count,
        cast(coalesce(due_terms.due_revenue_jpy, 0) as {{ dbt.type_numeric() }}) as due_revenue_jpy,
        cast(coalesce(renewed_revenue.renewed_revenue_jpy, 0) as {{ dbt.type_numeric() }}) as renewed_revenue_jpy,
        cast(coalesce(expansions.upsell_won_count, 0) as {{ dbt.type_bigint() }}) as upsell_won_count,
        cast(coalesce(expansions.cross_sell_won_count, 0) as {{ dbt.type_bigint() }}) as cross_sell_won_count,
        product_lines.product_lines_active
    from customer_months
    left join activity
        on
            customer_months.customer_id = activity.customer_id
            and customer_months.month_start_date = activity.month_start_date
    left join product_lines
        on
            customer_months.customer_id = product_lines.customer_id
            and customer_months.month_start_date = product_lines.month_start_date
    left join due_terms
        on
            customer_months.customer_id = due_terms.customer_id
            and customer_months.month_start_date = due_terms.month_start_date
    left join renewed_revenue
        on
            customer_months.customer_id = renewed_revenue.customer_id
            and customer_months.month_start_date = renewed_revenue.month_start_date
    left join expansions
        on
            customer_months.customer_id = expansions.customer_id
            and customer_months.month_start_date = expansions.month_start_date
    left join customers
        on customer_months.customer_id = customers.customer_id
    left join company_identity
        on
            company_identity.source_table = 'crm.customers'
            and customer_months.customer_id = company_identity.source_record_id
)

select * from final
